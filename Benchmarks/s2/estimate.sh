#!/usr/bin/env bash
# Measures polygon covering cost against the estimate that S2Operations.plan refuses on
# (Benchmarks/s2/estimate/main.swift, release build) and summarises it (estimate/analyze.py).
# Usage: Benchmarks/s2/estimate.sh [shape-filter]    (takes ~10 min on a shared 2-core machine)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$HERE/scratch.sh"
scratch_build estimate Est "$HERE/estimate/main.swift"
"$BIN" ${1:+"$1"} | tee "$SCRATCH/estimate.tsv" | python3 "$HERE/estimate/analyze.py"
