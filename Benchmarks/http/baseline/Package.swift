// swift-tools-version:6.0
// Hummingbird 2 hello-world: the baseline Benchmarks/http/run.sh measures incognita against.
// A package of its own, not part of the main build: `swift build -c release --scratch-path <dir>`.
import PackageDescription

let package = Package(
    name: "HummingbirdBaseline",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        .executableTarget(name: "HummingbirdBaseline", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
    ]
)
