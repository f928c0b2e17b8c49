// swift-tools-version:6.0
// Stand-alone benchmark package: Sources/Geodesics is a symlink to the library's sources.
// Run ./run.sh (release build, then Swift and the scipy reference on the same cases).
import PackageDescription

let package = Package(
    name: "GeodesicsBenchmark",
    targets: [
        .target(name: "Geodesics"),
        .executableTarget(name: "GeodesicsBenchmark", dependencies: ["Geodesics"]),
    ]
)
