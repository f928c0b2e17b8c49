#!/bin/sh
# Release build of the benchmark package, then Swift and the scipy reference on the same cases.
set -e
cd "$(dirname "$0")"
swift build -c release --scratch-path .build >/dev/null
.build/release/GeodesicsBenchmark "$@"
