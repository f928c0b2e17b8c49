#!/bin/sh
# Secure similarity sessions between two real instances on loopback (release build): wall time from
# accept to result, bytes between the instances and round trips, for n = 4096 with 2×1 vectors and
# n = 384 with 20×20. Target: n = 4096, 2×1 under 300 ms wall.
# Usage (from the package root): Benchmarks/similarity-sessions/run.sh [repeats]
#   SCRATCH=path  build folder for the release build (default .build)
#   BIN=path      use this incognita binary instead of building one
set -e
REPEATS=${1:-7}
if [ -z "$BIN" ]; then
  swift build -c release --product incognita --scratch-path "${SCRATCH:-.build}" >/dev/null
  BIN=$(swift build -c release --show-bin-path --scratch-path "${SCRATCH:-.build}")/incognita
fi
exec python3 "$(dirname "$0")/bench.py" --bin "$BIN" --repeats "$REPEATS"
