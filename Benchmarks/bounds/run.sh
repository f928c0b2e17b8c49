#!/usr/bin/env bash
# Builds the Bounds target and its benchmark in release mode and runs it beside scipy on the same
# inputs, then prints evaluations per second and the ratio Swift / scipy.
# Usage: Benchmarks/bounds/run.sh [scratch-dir]   (default: ${TMPDIR:-/tmp}/bounds-bench)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scratch="${1:-${TMPDIR:-/tmp}/bounds-bench}"
mkdir -p "$scratch/pkg/Sources"
ln -sfn "$root/Sources/Bounds" "$scratch/pkg/Sources/Bounds"
ln -sfn "$root/Sources/StrictJSON" "$scratch/pkg/Sources/StrictJSON"
ln -sfn "$here/Sources/BoundsBenchmark" "$scratch/pkg/Sources/BoundsBenchmark"
cat > "$scratch/pkg/Package.swift" <<'PKG'
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "BoundsBench",
    targets: [
        .target(name: "StrictJSON"),
        .target(name: "Bounds", dependencies: ["StrictJSON"]),
        .executableTarget(name: "BoundsBenchmark", dependencies: ["Bounds"]),
    ]
)
PKG
(cd "$scratch/pkg" && swift build -c release --product BoundsBenchmark >&2)
python3 "$here/cases.py" "$scratch/cases.json"
"$scratch/pkg/.build/release/BoundsBenchmark" "$scratch/cases.json" > "$scratch/swift.txt"
python3 "$here/scipy_bench.py" "$scratch/cases.json" > "$scratch/scipy.txt"
cat "$scratch/swift.txt" "$scratch/scipy.txt"
echo
printf '%-14s %12s %14s %14s %10s %10s %12s\n' workload swift/s scipy_scalar/s scipy_vector/s vs_scalar vs_vector checksum_rel
awk 'NR==FNR { if ($1 !~ /^#/) { s[$1]=$2; c[$1]=$3 } next }
     $1 !~ /^#/ { d = c[$1] - $4; if (d < 0) d = -d;
                  printf "%-14s %12d %14d %14d %10.2f %10.2f %12.1e\n", $1, s[$1], $2, $3, s[$1]/$2, s[$1]/$3, d / $4 }' \
    "$scratch/swift.txt" "$scratch/scipy.txt"
