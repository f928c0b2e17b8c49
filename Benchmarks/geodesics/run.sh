#!/bin/sh
# Release build of the benchmark package, then Swift and the scipy reference on the same cases.
# SCRATCH sets the build directory (default .build here; e.g. SCRATCH=/work/dev/geodesics/bench-build).
set -e
cd "$(dirname "$0")"
swift build -c release --scratch-path "${SCRATCH:-.build}" >/dev/null
"${SCRATCH:-.build}/release/GeodesicsBenchmark" "$@"
