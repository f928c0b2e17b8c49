#!/usr/bin/env bash
# HTTP benchmark: incognita beside nginx and a Hummingbird 2 hello-world, GET /healthz, wrk, one run.
#
# Servers (each started fresh on 127.0.0.1 on a free port for every round, warmed up, measured, stopped by its PID):
#   incognita          the default configuration: access log on, its stdout to /dev/null
#   incognita-nolog    --access-log false
#   nginx-log          nginx, 2 workers, `return 200` with the same JSON body, a JSON access-log line per request
#                      to a file (Benchmarks/http/nginx/nginx-log.conf)
#   nginx-nolog        the same without the access log (nginx/nginx-nolog.conf)
#   hummingbird        Hummingbird 2.28.1 answering the same body, logger at warning (baseline/)
# Each round runs `wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency` against every server, in an order that
# rotates per round, and reads the server's CPU time (user + system, all its processes) from /proc before and
# after, and its peak RSS. Prints every round, then medians (req/s, p50, p99, CPU per request) and the ratios the
# HTTP issue sets targets for: incognita / nginx-log >= 1.0, incognita / hummingbird >= 1.9, incognita's p99 no
# worse than nginx-log's, incognita-nolog / nginx-nolog >= 1.0. Then incognita and nginx-log again below
# saturation: each connection waits 1 ms between answer and next request (think.lua), so both get nearly the same
# offered load, and their p50/p90/p99 at that load are compared. The load average is printed before and after:
# throughput ratios are only meaningful when it stays well under 1 (client and servers share the machine's cores);
# CPU per request suffers least from other load.
#
# Environment (all optional):
#   DURATION=8 ROUNDS=3 THREADS=2 CONNECTIONS=64 WARMUP=2   wrk settings (seconds, rounds, wrk threads, conns)
#   SERVERS="incognita incognita-nolog nginx-log nginx-nolog hummingbird"   which servers to run
#   INCOGNITA_PACKAGE_DIR   package to build incognita from (default: the repository root)
#   INCOGNITA_SCRATCH       its --scratch-path (default: <package>/.build)
#   BASELINE_SCRATCH        the baseline's --scratch-path (default: <repo>/.build-hummingbird-baseline)
#   INCOGNITA_BIN, BASELINE_BIN   use these binaries and skip the corresponding build
#   NGINX=nginx             the nginx binary
#   RESULTS_TSV             also append the per-round numbers to this file
#   THINK=0                 skip the rounds below saturation (1 ms think time per connection, think.lua)
#   THINK_CONNECTIONS="64 128"   connection counts for those rounds (each sets an offered load)
#   IDLE=0                  skip the idle keep-alive test (idle.sh) that runs after the wrk rounds
# Needs: swift, wrk, curl, nginx, python3 (only to find a free port).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DURATION="${DURATION:-8}"
ROUNDS="${ROUNDS:-3}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
WARMUP="${WARMUP:-2}"
THINK_CONNECTIONS="${THINK_CONNECTIONS:-64 128}"
INCOGNITA_PACKAGE_DIR="${INCOGNITA_PACKAGE_DIR:-$ROOT}"
INCOGNITA_SCRATCH="${INCOGNITA_SCRATCH:-$INCOGNITA_PACKAGE_DIR/.build}"
BASELINE_SCRATCH="${BASELINE_SCRATCH:-$ROOT/.build-hummingbird-baseline}"
SWIFT="${SWIFT:-swift}"
NGINX="${NGINX:-nginx}"
SERVERS="${SERVERS:-incognita incognita-nolog nginx-log nginx-nolog hummingbird}"

for tool in wrk curl python3 "$NGINX"; do
    command -v "$tool" >/dev/null || { echo "run.sh: '$tool' not found (apt-get install -y wrk curl python3 nginx)" >&2; exit 1; }
done

WORK="$(mktemp -d /tmp/incognita-bench-http.XXXXXX)"
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

# ---- build ------------------------------------------------------------------------------------------------
if [[ -z "${INCOGNITA_BIN:-}" ]]; then
    echo "== building incognita (release) in $INCOGNITA_PACKAGE_DIR"
    "$SWIFT" build -c release --product incognita --package-path "$INCOGNITA_PACKAGE_DIR" --scratch-path "$INCOGNITA_SCRATCH"
    INCOGNITA_BIN="$("$SWIFT" build -c release --package-path "$INCOGNITA_PACKAGE_DIR" --scratch-path "$INCOGNITA_SCRATCH" --show-bin-path)/incognita"
fi
if [[ -z "${BASELINE_BIN:-}" && " $SERVERS " == *" hummingbird "* ]]; then
    echo "== building the Hummingbird 2 baseline (release) into $BASELINE_SCRATCH"
    "$SWIFT" build -c release --package-path "$HERE/baseline" --scratch-path "$BASELINE_SCRATCH"
    BASELINE_BIN="$("$SWIFT" build -c release --package-path "$HERE/baseline" --scratch-path "$BASELINE_SCRATCH" --show-bin-path)/HummingbirdBaseline"
fi
[[ -x "$INCOGNITA_BIN" ]] || { echo "run.sh: no incognita binary at $INCOGNITA_BIN" >&2; exit 1; }
[[ " $SERVERS " != *" hummingbird "* || -x "${BASELINE_BIN:-}" ]] || { echo "run.sh: no baseline binary at ${BASELINE_BIN:-}" >&2; exit 1; }

# ---- helpers ----------------------------------------------------------------------------------------------
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_server NAME PORT: starts the server in the background, sets SERVER_PID, waits until /healthz answers 200.
start_server() {
    local name="$1" port="$2"
    case "$name" in
        incognita|incognita-nolog)
            local log=true
            [[ "$name" == incognita-nolog ]] && log=false
            mkdir -p "$WORK/data-$port"
            "$INCOGNITA_BIN" --host 127.0.0.1 --port "$port" --access-log "$log" --data-dir "$WORK/data-$port" \
                >/dev/null 2>"$WORK/$name-$port.log" &
            ;;
        nginx-log|nginx-nolog)
            local dir="$WORK/$name-$port"
            mkdir -p "$dir/tmp"
            sed "s/__PORT__/$port/" "$HERE/nginx/$name.conf" >"$dir/nginx.conf"
            "$NGINX" -p "$dir/" -c nginx.conf -e "$dir/error.log" -g 'daemon off;' >"$WORK/$name-$port.log" 2>&1 &
            ;;
        hummingbird)
            "$BASELINE_BIN" "$port" 127.0.0.1 >"$WORK/$name-$port.log" 2>&1 &
            ;;
    esac
    SERVER_PID=$!
    local i
    for i in $(seq 1 300); do
        if [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" 2>/dev/null)" == "200" ]]; then
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "run.sh: $name exited at start:" >&2; cat "$WORK/$name-$port.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "run.sh: $name did not answer /healthz on port $port within 30 s" >&2
    exit 1
}

# The server's processes: nginx's master and its workers, the others' single process.
server_pids() {
    echo "$SERVER_PID"
    cat /proc/"$SERVER_PID"/task/*/children 2>/dev/null || true
}

# Peak resident set size in KiB of the running server (summed over its processes).
peak_rss_kib() { local p t=0; for p in $(server_pids); do t=$((t + $(awk '/^VmHWM:/ { print $2 }' "/proc/$p/status"))); done; echo "$t"; }

# CPU time (user + system) the server's processes have used so far, in clock ticks. The comm field may hold
# spaces, so count fields after the closing parenthesis: utime and stime are fields 14 and 15 of /proc/PID/stat.
cpu_ticks() { local p t=0; for p in $(server_pids); do t=$((t + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 }'))); done; echo "$t"; }
CLK_TCK="$(getconf CLK_TCK)"

stop_server() {
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# Converts a wrk latency like 812.00us / 1.23ms / 2.01s to microseconds.
to_us() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.1f", v }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.1f", v * 1000 }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.1f", v * 60000000 }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.1f", v * 1000000 }
        else { printf "nan" }
    }'
}

# wrk_numbers OUTPUT: "req/s p50us p90us p99us requests errors" from wrk --latency output (errors: non-2xx
# answers plus socket errors).
wrk_numbers() {
    local out="$1"
    echo "$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")" \
         "$(to_us "$(awk '$1 == "50%" { print $2 }' <<<"$out")")" \
         "$(to_us "$(awk '$1 == "90%" { print $2 }' <<<"$out")")" \
         "$(to_us "$(awk '$1 == "99%" { print $2 }' <<<"$out")")" \
         "$(awk '/requests in/ { print $1 }' <<<"$out")" \
         "$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")"
}

# run_one NAME ROUND: one measured run; appends "name round rps p50us p99us rsskib errors cpu_us_per_request"
# to $WORK/rows. CPU per request (server CPU time during the measured run / requests completed) is the figure
# least disturbed by other load on a shared machine.
run_one() {
    local name="$1" round="$2" port out rps p50 p90 p99 rss errors cpu0 cpu1 requests cpureq
    port="$(free_port)"
    start_server "$name" "$port"
    if [[ "$WARMUP" != "0" ]]; then
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$port/healthz" >/dev/null
    fi
    cpu0="$(cpu_ticks)"
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$port/healthz")"
    cpu1="$(cpu_ticks)"
    rss="$(peak_rss_kib)"
    stop_server
    echo "$out" >"$WORK/wrk-$name-$round.txt"
    read -r rps p50 p90 p99 requests errors <<<"$(wrk_numbers "$out")"
    cpureq="$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.2f", (b - a) / hz * 1e6 / n }')"
    printf '%-15s round %d  %8.0f req/s   p50 %8.1f us   p99 %8.1f us   peak RSS %6.1f MiB   CPU %6.2f us/req   errors %s\n' \
        "$name" "$round" "$rps" "$p50" "$p99" "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')" "$cpureq" "$errors"
    echo "$name $round $rps $p50 $p99 $rss $errors $cpureq" >>"$WORK/rows"
    if [[ -n "${RESULTS_TSV:-}" ]]; then
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$name" "$round" "$rps" "$p50" "$p99" "$rss" "$errors" "$cpureq" >>"$RESULTS_TSV"
    fi
}

# ---- measure ----------------------------------------------------------------------------------------------
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
STARTED="$(date -u +'%Y-%m-%d %H:%M UTC')"
echo
echo "== GET /healthz, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency (warm-up ${WARMUP}s), $ROUNDS rounds each, order rotating"
echo "   machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), load average before: $LOAD_BEFORE"
echo "   incognita: $INCOGNITA_BIN (incognita: access log on, stdout to /dev/null; incognita-nolog: --access-log false)"
echo "   nginx: $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), 2 workers, configs in $HERE/nginx"
[[ " $SERVERS " == *" hummingbird "* ]] && echo "   hummingbird: $BASELINE_BIN (Hummingbird 2, logger at warning)"
echo "   client and servers share the same cores over loopback: compare ratios in one run, not absolute numbers"
echo
: >"$WORK/rows"
read -r -a names <<<"$SERVERS"
for round in $(seq 1 "$ROUNDS"); do
    n=${#names[@]}
    for ((k = 0; k < n; k++)); do run_one "${names[$(((k + round - 1) % n))]}" "$round"; done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- summarise --------------------------------------------------------------------------------------------
echo
echo "$STARTED, load average before: $LOAD_BEFORE, after: $LOAD_AFTER"
awk -v servers="$SERVERS" -v before="${LOAD_BEFORE%% *}" -v after="${LOAD_AFTER%% *}" '
function median(arr, n,    i, j, t) {
    for (i = 2; i <= n; i++) { t = arr[i]; for (j = i - 1; j >= 1 && arr[j] > t; j--) arr[j + 1] = arr[j]; arr[j + 1] = t }
    return (n % 2) ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2
}
function ratio(a, b) { return (a > 0 && b > 0) ? a / b : 0 }
function check(label, value, target, higher) {
    if (value == 0) { printf "%-48s   n/a\n", label; return }
    printf "%-48s %6.2f× (target %s %.2f×): %s\n", label, value, higher ? ">=" : "<=", target, (higher ? value >= target : value <= target) ? "met" : "NOT met"
}
{
    k = $1; n[k]++
    rps[k, n[k]] = $3; p50[k, n[k]] = $4; p99[k, n[k]] = $5; cpu[k, n[k]] = $8
    if ($6 > rss[k]) rss[k] = $6
    err[k] += $7
}
END {
    label["incognita"] = "incognita (default: access log on)"
    label["incognita-nolog"] = "incognita --access-log false"
    label["nginx-log"] = "nginx 2 workers, JSON access log to a file"
    label["nginx-nolog"] = "nginx 2 workers, no access log"
    label["hummingbird"] = "Hummingbird 2.28.1"
    count = split(servers, names, " ")
    for (s = 1; s <= count; s++) {
        k = names[s]; m = n[k]
        for (i = 1; i <= m; i++) { a[i] = rps[k, i] } ; R[k] = median(a, m)
        for (i = 1; i <= m; i++) { a[i] = p50[k, i] } ; P50[k] = median(a, m)
        for (i = 1; i <= m; i++) { a[i] = p99[k, i] } ; P99[k] = median(a, m)
        for (i = 1; i <= m; i++) { a[i] = cpu[k, i] } ; CPU[k] = median(a, m)
    }
    printf "| server (median of %d rounds) | req/s | p50 | p99 | peak RSS | server CPU per request | errors |\n", n[names[1]]
    printf "|---|---:|---:|---:|---:|---:|---:|\n"
    for (s = 1; s <= count; s++) {
        k = names[s]
        printf "| %s | %.0f | %.0f µs | %.0f µs | %.1f MiB | %.2f µs | %d |\n", label[k], R[k], P50[k], P99[k], rss[k] / 1024, CPU[k], err[k]
    }
    printf "\n"
    check("incognita / nginx with its access log, req/s", ratio(R["incognita"], R["nginx-log"]), 1.0, 1)
    check("incognita / Hummingbird, req/s", ratio(R["incognita"], R["hummingbird"]), 1.9, 1)
    check("incognita p99 / nginx-with-log p99", ratio(P99["incognita"], P99["nginx-log"]), 1.0, 0)
    check("incognita --access-log false / nginx without log", ratio(R["incognita-nolog"], R["nginx-nolog"]), 1.0, 1)
    printf "CPU per request, incognita / nginx-log: %.2f×; incognita-nolog / nginx-nolog: %.2f×\n", ratio(CPU["incognita"], CPU["nginx-log"]), ratio(CPU["incognita-nolog"], CPU["nginx-nolog"])
    quiet = (before + 0 < 1.0 && after + 0 < 4.0)
    printf "machine %s (load average %s before, %s after)\n", quiet ? "quiet" : "NOT quiet: the req/s ratios are noise, compare CPU per request", before, after
}' "$WORK/rows"

# ---- the same servers below saturation ------------------------------------------------------------------------
# At saturation the client and the servers share two cores and each request's wait is set by how the kernel
# interleaves four busy threads; a user's service runs below saturation. Here every connection waits 1 ms after
# each answer (think.lua), so the offered load is fixed by the number of connections and is nearly the same for
# both servers; the tail compared is the server's, not the scheduler's at 100 % CPU.
if [[ "${THINK:-1}" != "0" && " $SERVERS " == *" incognita "* && " $SERVERS " == *" nginx-log "* ]]; then
    echo
    echo "== below saturation: 1 ms think time per connection (think.lua), wrk -t$THREADS -c{$THINK_CONNECTIONS} -d${DURATION}s, $ROUNDS rounds (THINK=0 skips it)"
    : >"$WORK/think-rows"
    for round in $(seq 1 "$ROUNDS"); do
        for c in $THINK_CONNECTIONS; do
            for name in incognita nginx-log; do
                port="$(free_port)"
                start_server "$name" "$port"
                wrk -t"$THREADS" -c"$c" -d"${WARMUP}s" -s "$HERE/think.lua" "http://127.0.0.1:$port/healthz" >/dev/null
                out="$(wrk -t"$THREADS" -c"$c" -d"${DURATION}s" --latency -s "$HERE/think.lua" "http://127.0.0.1:$port/healthz")"
                stop_server
                read -r rps p50 p90 p99 requests errors <<<"$(wrk_numbers "$out")"
                printf '%-15s c%-4s round %d  %8.0f req/s   p50 %8.1f us   p90 %8.1f us   p99 %8.1f us   errors %s\n' "$name" "$c" "$round" "$rps" "$p50" "$p90" "$p99" "$errors"
                echo "$name $c $round $rps $p50 $p90 $p99 $errors" >>"$WORK/think-rows"
                if [[ -n "${RESULTS_TSV:-}" ]]; then
                    printf '%s\t%s-think-c%s\t%s\t%s\t%s\t%s\t\t%s\t\n' "$(date -u +%FT%TZ)" "$name" "$c" "$round" "$rps" "$p50" "$p99" "$errors" >>"$RESULTS_TSV"
                fi
            done
        done
    done
    echo
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    awk '
    function median(arr, n,    i, j, t) {
        for (i = 2; i <= n; i++) { t = arr[i]; for (j = i - 1; j >= 1 && arr[j] > t; j--) arr[j + 1] = arr[j]; arr[j + 1] = t }
        return (n % 2) ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2
    }
    {
        k = $1 SUBSEP $2; n[k]++; if (!($2 in seen)) { seen[$2] = 1; order[++levels] = $2 }
        rps[k, n[k]] = $4; p50[k, n[k]] = $5; p90[k, n[k]] = $6; p99[k, n[k]] = $7; err[k] += $8
    }
    END {
        printf "| connections (1 ms think) | server (median of rounds) | req/s | p50 | p90 | p99 | errors |\n|---:|---|---:|---:|---:|---:|---:|\n"
        for (l = 1; l <= levels; l++) {
            c = order[l]
            for (s = 1; s <= 2; s++) {
                name = (s == 1) ? "incognita" : "nginx-log"; k = name SUBSEP c; m = n[k]
                for (i = 1; i <= m; i++) a[i] = rps[k, i]; R[k] = median(a, m)
                for (i = 1; i <= m; i++) a[i] = p50[k, i]; P50[k] = median(a, m)
                for (i = 1; i <= m; i++) a[i] = p90[k, i]; P90[k] = median(a, m)
                for (i = 1; i <= m; i++) a[i] = p99[k, i]; P99[k] = median(a, m)
                printf "| %s | %s | %.0f | %.0f µs | %.0f µs | %.0f µs | %d |\n", c, name, R[k], P50[k], P90[k], P99[k], err[k]
            }
        }
        printf "\n"
        for (l = 1; l <= levels; l++) {
            c = order[l]; i = "incognita" SUBSEP c; g = "nginx-log" SUBSEP c
            if (P99[g] > 0) printf "c%-4s incognita p99 / nginx-with-log p99 %5.2f× at %.0f vs %.0f req/s (target <= 1.00×): %s\n", c, P99[i] / P99[g], R[i], R[g], (P99[i] <= P99[g]) ? "met" : "NOT met"
        }
    }' "$WORK/think-rows"
fi

# ---- idle keep-alive connections ---------------------------------------------------------------------------
if [[ "${IDLE:-1}" != "0" ]]; then
    echo
    echo "== idle keep-alive connections (Benchmarks/http/idle.sh; IDLE=0 skips it)"
    INCOGNITA_BIN="$INCOGNITA_BIN" bash "$HERE/idle.sh"
fi
