#!/usr/bin/env bash
# Mixed load across every domain: one wrk process per endpoint, 8 connections each (64 in all) for
# LOAD_SECONDS (default 60) against a release build of incognita. Reports per-endpoint req/s, p50/p99,
# errors and unexpected statuses, and the server's RSS after warm-up and at the end (and its peak).
#   LOAD_SECONDS=60 bash Benchmarks/load/run.sh
#   INCOGNITA_BIN=/path/to/incognita bash Benchmarks/load/run.sh     (skips the build; compare two binaries)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${LOAD_SECONDS:-60}"
command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }
if [[ -z "${INCOGNITA_BIN:-}" ]]; then
  swift build -c release --product incognita >/dev/null
  INCOGNITA_BIN=.build/release/incognita
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
data=$(mktemp -d)
"$INCOGNITA_BIN" --host 127.0.0.1 --port "$port" --data-dir "$data" --access-log false --max-connections 4096 >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# name | method | path | body
endpoints=$(cat <<'LIST'
health|GET|/healthz|
s2-cell|GET|/v1/s2/cells?lat=48.8584&lng=2.2945&level=15|
s2-covering|POST|/v1/s2/coverings|{"region":{"cap":{"center":{"lat":-30.1,"lng":-51.2},"radiusMeters":5000}},"maxCells":16}
digits|GET|/v1/digits?base=2&exponent=1000000007&leading=20&trailing=20|
mersenne|GET|/v1/mersenne/82589933|
bounds-hoeffding|POST|/v1/bounds/hoeffding|{"n":100,"lower":0,"upper":1,"deviation":0.1,"tail":"twoSided"}
bounds-compare|POST|/v1/bounds/compare|{"distribution":{"family":"poisson","lambda":40},"event":{"tail":"upper","threshold":80}}
geodesic-metric|POST|/v1/metric|{"density":{"kind":"gaussian","mean":[0,0],"covariance":[[1,0],[0,1]]},"metric":{"kind":"stein","lambda":1},"points":[[0.5,0.5],[1,-1]]}
LIST
)

# Check every request once before loading it.
while IFS='|' read -r name method path body; do
  [ -z "$name" ] && continue
  status=$(curl -s -o /dev/null -w '%{http_code}' -X "$method" ${body:+-H 'Content-Type: application/json' -d "$body"} "http://127.0.0.1:$port$path")
  [ "$status" = "200" ] || { echo "$name answered $status before the load: fix the request"; exit 1; }
done <<<"$endpoints"

sleep 1
rss_kb() { awk '/^VmRSS/ {print $2}' /proc/$pid/status; }
hwm_kb() { awk '/^VmHWM/ {print $2}' /proc/$pid/status; }
out=$(mktemp -d)
while IFS='|' read -r name method path body; do
  [ -z "$name" ] && continue
  LOAD_METHOD="$method" LOAD_PATH="$path" LOAD_BODY="$body" \
    wrk -t1 -c8 -d"${seconds}s" --timeout 10s -s Benchmarks/load/request.lua "http://127.0.0.1:$port" >"$out/$name.txt" 2>&1 &
done <<<"$endpoints"
sleep 5
rss_start=$(rss_kb)
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
sleep 0.5
rss_end=$(rss_kb); hwm=$(hwm_kb)

echo "Mixed load: $(date -u +%Y-%m-%dT%H:%MZ), ${seconds}s, 64 connections (8 per endpoint), $(nproc) cores, incognita release, access log off"
printf '%-18s %10s %9s %9s %8s %8s\n' endpoint req/s p50_ms p99_ms errors status!=200
fail=0
for f in "$out"/*.txt; do
  name=$(basename "$f" .txt)
  line=$(grep '^RESULT' "$f" || true)
  [ -z "$line" ] && { echo "$name: wrk produced no result"; cat "$f"; fail=1; continue; }
  eval "$(echo "$line" | sed 's/^RESULT //')"
  errs=$((errors_connect + errors_read + errors_write + errors_timeout))
  printf '%-18s %10s %9s %9s %8s %8s\n' "$name" "$rps" "$p50_ms" "$p99_ms" "$errs" "$errors_status"
  [ "$errs" -eq 0 ] && [ "$errors_status" -eq 0 ] || fail=1
done
echo "server RSS: ${rss_start} kB after warm-up, ${rss_end} kB at the end, peak ${hwm} kB"
kill -0 $pid || { echo "the server died"; fail=1; }
[ $fail -eq 0 ] && echo "load: PASS (no errors, no unexpected status)" || { echo "load: FAIL"; exit 1; }
