#!/usr/bin/env bash
# Scale-out overhead, one command (SCALE_JOBS=40 SCALE_SECONDS=10 bash Benchmarks/scale/run.sh):
#  1. job submission-to-completion of many small Lucas–Lehmer jobs, one at a time, with the local store
#     and with PostgreSQL (same binary, same work: the difference is the shared store's overhead), p50/p99;
#  2. GET /healthz and a mixed load through nginx with 1 and then 3 replicas sharing PostgreSQL (wrk).
# PostgreSQL 15 and nginx are started in a temporary folder on free ports and stopped by pid on exit.
# On a 2-core machine the client, nginx, PostgreSQL and the replicas share the cores: this measures
# overhead, not scaling.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product incognita >/dev/null
exec python3 Benchmarks/scale/bench.py "$@"
