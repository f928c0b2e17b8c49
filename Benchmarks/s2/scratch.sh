# Sourced by the S2 benchmark scripts: builds a one-program scratch package in release mode against
# Sources/S2Geometry (compiled with -enable-testing so the program may use @testable internals).
# Usage: scratch_build <folder under $S2BENCH_SCRATCH> <product> <main.swift>; sets SCRATCH and BIN.
scratch_build() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  SCRATCH=${S2BENCH_SCRATCH:-/tmp/s2bench-$(id -u)}/$1
  mkdir -p "$SCRATCH/Sources/$2"
  ln -sfn "$root/Sources/S2Geometry" "$SCRATCH/Sources/S2Geometry"
  ln -sfn "$3" "$SCRATCH/Sources/$2/main.swift"
  cat > "$SCRATCH/Package.swift" <<PKG
// swift-tools-version:6.0
import PackageDescription
let package = Package(name: "S2Scratch$2", targets: [
    .target(name: "S2Geometry", path: "Sources/S2Geometry", swiftSettings: [.unsafeFlags(["-enable-testing"])]),
    .executableTarget(name: "$2", dependencies: ["S2Geometry"], path: "Sources/$2"),
])
PKG
  (cd "$SCRATCH" && swift build -c release --product "$2" >/dev/null)
  BIN="$SCRATCH/.build/release/$2"
}
