// swift-tools-version:6.0
// Builds swift-openapi-generator, pinned to the version the committed client was generated with.
// Used only by scripts/generate-client.py (`make client`); the service and its tests never build it.
import PackageDescription

let package = Package(
    name: "ClientGenerator",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator.git", exact: "1.14.3"),
    ],
    targets: []
)
