// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Incognita",
    products: [
        .executable(name: "incognita", targets: ["incognita"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // System libraries (Debian -dev packages), each fenced by one wrapper file.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // epoll and eventfd, which Glibc's Swift module does not export.
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),

        // The HTTP/1.1 server on POSIX sockets: knows nothing about any domain.
        .target(name: "HTTPServer", dependencies: [
            "CZlib", "CLinux",
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),

        // Binds the domains to routes: validation, problem+json, jobs, metrics, configuration.
        .target(name: "Service", dependencies: [
            "HTTPServer",
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),

        .executableTarget(name: "incognita", dependencies: [
            "Service",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Raw-socket client and a launcher for the real executable, shared by the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        .testTarget(name: "ServiceTests", dependencies: ["Service", "HTTPServer", "TestSupport"]),
    ]
)
