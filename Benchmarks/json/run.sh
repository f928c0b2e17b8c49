#!/usr/bin/env bash
# Request-body decoding: StrictJSONDecoder (every JSON body of the service) against Foundation's JSONDecoder,
# which it replaced, on the same bodies and types in one release process: a similarity body of 64×1024 doubles
# (17 significant digits), 20,000 S2 points, and two small bounds bodies. Prints bodies/s (wall) and CPU seconds
# per body (getrusage; robust to a busy machine), "cpu x" = foundation CPU / strict CPU (> 1: strict is faster),
# with the load average before and after.
# Usage: Benchmarks/json/run.sh [seconds-per-measurement] [scratch-dir]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-2}"
scratch="${2:-${TMPDIR:-/tmp}/json-bench}"
mkdir -p "$scratch/pkg/Sources"
ln -sfn "$root/Sources/StrictJSON" "$scratch/pkg/Sources/StrictJSON"
ln -sfn "$here/Sources/JSONBenchmark" "$scratch/pkg/Sources/JSONBenchmark"
cat > "$scratch/pkg/Package.swift" <<'PKG'
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "JSONBench",
    targets: [
        .target(name: "StrictJSON"),
        .executableTarget(name: "JSONBenchmark", dependencies: ["StrictJSON"]),
    ]
)
PKG
(cd "$scratch/pkg" && swift build -c release --product JSONBenchmark >&2)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$scratch/pkg/.build/release/JSONBenchmark" "$seconds"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
