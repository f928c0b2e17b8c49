#!/usr/bin/env bash
# Instructions per request, robust to other load on the machine: each server runs under valgrind's callgrind
# (user-space instructions of every thread, the kernel's work not counted), `keepalive_client.py` sends WARM
# requests, callgrind's counting is switched on, REQUESTS more are sent over one keep-alive connection, and the
# instructions counted are divided by REQUESTS.
#
#   Benchmarks/http/instructions.sh                 # incognita (log on, log off), nginx (log, no log)
#   SERVERS="incognita" REQUESTS=5000 Benchmarks/http/instructions.sh
#
# Environment: INCOGNITA_BIN (default .build/release/incognita), REQUESTS=2000, WARM=300, PATH_UNDER_TEST=/healthz,
# SERVERS="incognita incognita-nolog nginx-log nginx-nolog", NGINX=nginx. nginx runs as one process
# (`master_process off`) so that valgrind follows it; incognita's stdout goes to /dev/null.
# Needs: valgrind (callgrind_control), python3, nginx.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
INCOGNITA_BIN="${INCOGNITA_BIN:-$ROOT/.build/release/incognita}"
REQUESTS="${REQUESTS:-2000}"
WARM="${WARM:-300}"
TARGET="${PATH_UNDER_TEST:-/healthz}"
SERVERS="${SERVERS:-incognita incognita-nolog nginx-log nginx-nolog}"
NGINX="${NGINX:-nginx}"
WORK="$(mktemp -d /tmp/incognita-instructions.XXXXXX)"
PID=""
cleanup() {
    if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

measure() {
    local name="$1" port out
    port="$(free_port)"
    out="$WORK/$name.callgrind"
    local vg=(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" --trace-children=no)
    case "$name" in
        incognita|incognita-nolog)
            local log=true; [[ "$name" == incognita-nolog ]] && log=false
            mkdir -p "$WORK/data-$name"
            "${vg[@]}" "$INCOGNITA_BIN" --host 127.0.0.1 --port "$port" --access-log "$log" --data-dir "$WORK/data-$name" \
                >/dev/null 2>"$WORK/$name.err" &
            ;;
        nginx-log|nginx-nolog)
            mkdir -p "$WORK/$name/tmp"
            sed "s/__PORT__/$port/" "$HERE/nginx/$name.conf" >"$WORK/$name/nginx.conf"
            "${vg[@]}" "$NGINX" -p "$WORK/$name/" -c nginx.conf -e "$WORK/$name/error.log" -g 'daemon off; master_process off;' \
                >/dev/null 2>"$WORK/$name.err" &
            ;;
    esac
    PID=$!
    local i
    for i in $(seq 1 600); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
        kill -0 "$PID" 2>/dev/null || { echo "$name exited:"; cat "$WORK/$name.err"; exit 1; }
        sleep 0.2
    done
    python3 "$HERE/keepalive_client.py" "$port" "$WARM" "$TARGET"
    callgrind_control -i on "$PID" >/dev/null 2>&1
    python3 "$HERE/keepalive_client.py" "$port" "$REQUESTS" "$TARGET"
    callgrind_control -i off "$PID" >/dev/null 2>&1
    kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=""
    local total
    total="$(cat "$out"* 2>/dev/null | awk '/^totals:/ { s += $2 } END { print s + 0 }')"
    printf '%-16s %12.0f instructions per request (%d requests of GET %s)\n' "$name" "$(awk -v t="$total" -v n="$REQUESTS" 'BEGIN { print t / n }')" "$REQUESTS" "$TARGET"
}

for name in $SERVERS; do measure "$name"; done
