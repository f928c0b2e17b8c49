#!/usr/bin/env bash
# Measures polygon covering cost against the estimate that S2Operations.plan refuses on
# (Benchmarks/s2/estimate/main.swift, release build) and summarises it (estimate/analyze.py).
# Usage: Benchmarks/s2/estimate.sh [shape-filter]    (takes ~10 min on a shared 2-core machine)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SCRATCH=${S2BENCH_SCRATCH:-/tmp/s2bench-$(id -u)}/estimate
mkdir -p "$SCRATCH/Sources/Est"
ln -sfn "$ROOT/Sources/S2Geometry" "$SCRATCH/Sources/S2Geometry"
ln -sfn "$HERE/estimate/main.swift" "$SCRATCH/Sources/Est/main.swift"
cat > "$SCRATCH/Package.swift" <<'PKG'
// swift-tools-version:6.0
import PackageDescription
let package = Package(name: "S2Est", targets: [
    .target(name: "S2Geometry", path: "Sources/S2Geometry", swiftSettings: [.unsafeFlags(["-enable-testing"])]),
    .executableTarget(name: "Est", dependencies: ["S2Geometry"], path: "Sources/Est"),
])
PKG
(cd "$SCRATCH" && swift build -c release --product Est >/dev/null)
"$SCRATCH/.build/release/Est" ${1:+"$1"} | tee "$SCRATCH/estimate.tsv" | python3 "$HERE/estimate/analyze.py"
