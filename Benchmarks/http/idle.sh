#!/usr/bin/env bash
# Idle-connection test: 10,000 keep-alive connections held open against incognita while fresh requests are
# still answered promptly, with the server's peak RSS under 256 MiB. The client is idle.py (standard library).
#
# incognita runs with --idle-timeout 120 (so the held connections outlive the test), --max-connections 12000
# and --access-log false.
#
# Environment (all optional):
#   CONNECTIONS=10000 HOLD=10 FRESH=100   connections to hold, seconds to hold them, fresh requests to time
#   INCOGNITA_PACKAGE_DIR, INCOGNITA_SCRATCH, INCOGNITA_BIN   as in run.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CONNECTIONS="${CONNECTIONS:-10000}"
HOLD="${HOLD:-10}"
FRESH="${FRESH:-100}"
INCOGNITA_PACKAGE_DIR="${INCOGNITA_PACKAGE_DIR:-$ROOT}"
INCOGNITA_SCRATCH="${INCOGNITA_SCRATCH:-$INCOGNITA_PACKAGE_DIR/.build}"
SWIFT="${SWIFT:-swift}"

if [[ -z "${INCOGNITA_BIN:-}" ]]; then
    echo "== building incognita (release) in $INCOGNITA_PACKAGE_DIR"
    "$SWIFT" build -c release --product incognita --package-path "$INCOGNITA_PACKAGE_DIR" --scratch-path "$INCOGNITA_SCRATCH"
    INCOGNITA_BIN="$("$SWIFT" build -c release --package-path "$INCOGNITA_PACKAGE_DIR" --scratch-path "$INCOGNITA_SCRATCH" --show-bin-path)/incognita"
fi

# The client needs one descriptor per held connection plus slack; the server raises its own limit.
NEED=$((CONNECTIONS + FRESH + 256))
if (( $(ulimit -n) < NEED )); then
    ulimit -n "$NEED" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
if (( $(ulimit -n) < NEED )); then
    echo "idle.sh: open-file limit $(ulimit -n) < $NEED (hard limit $(ulimit -Hn)); raise it" >&2
    exit 1
fi

WORK="$(mktemp -d /tmp/incognita-bench-idle.XXXXXX)"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
MAX_CONNECTIONS=$((CONNECTIONS + FRESH + 2000))
echo "== incognita --idle-timeout 120 --max-connections $MAX_CONNECTIONS --access-log false on 127.0.0.1:$PORT"
"$INCOGNITA_BIN" --host 127.0.0.1 --port "$PORT" --access-log false --idle-timeout 120 \
    --max-connections "$MAX_CONNECTIONS" --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz" 2>/dev/null)" == "200" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "idle.sh: incognita exited at start:" >&2; cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
done
echo "   server open-file limit: $(awk '/Max open files/ { print $4 }' "/proc/$SERVER_PID/limits"), client: $(ulimit -n)"

status=0
python3 "$HERE/idle.py" --port "$PORT" --pid "$SERVER_PID" --connections "$CONNECTIONS" --hold "$HOLD" --fresh "$FRESH" || status=$?
exit "$status"
