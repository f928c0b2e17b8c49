// swift-tools-version:6.0
import PackageDescription

/// Compiler flags of the kernels built for one x86-64 processor generation (`-target-cpu`): only those modules
/// get the wider instructions, and their callers choose them after asking the processor. The transformer kernels
/// and the primes kernels (FFT, IBDWT: the same files compiled for the x86-64 baseline, AVX2 + FMA and
/// AVX-512, where 32 vector registers keep the radix-4 butterflies out of the stack) use it; SentenceEncoder and
/// Primes choose among the builds by `HostCPU` (cpuid and XCR0). Other architectures build them plain.
func kernelFlags(_ cpu: String) -> [SwiftSetting] {
    #if arch(x86_64)
    return [.unsafeFlags(["-target-cpu", cpu])]
    #else
    return []
    #endif
}

let package = Package(
    name: "Incognita",
    products: [
        .executable(name: "incognita", targets: ["incognita"]),
        // A typed Swift client of the service, generated from openapi.yaml (scripts/generate-client.py), over URLSession.
        .library(name: "IncognitaClient", targets: ["IncognitaClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // The runtime and URLSession transport of the generated client; the service itself uses neither.
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession.git", from: "1.4.0"),
    ],
    targets: [
        // System libraries (Debian -dev packages), each fenced by one wrapper file in the target that uses it.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // epoll, eventfd and accept4, which Glibc's Swift module does not export.
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
        .systemLibrary(name: "CGMP", path: "Sources/CGMP", pkgConfig: "gmp", providers: [.apt(["libgmp-dev"])]),
        .systemLibrary(name: "CMPFR", path: "Sources/CMPFR", pkgConfig: "mpfr", providers: [.apt(["libmpfr-dev"])]),
        .systemLibrary(name: "CSodium", path: "Sources/CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        // PostgreSQL's own client library, for the shared store of replicas (--database-url).
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // cpuid and xgetbv, to choose the kernels this processor runs.
        .systemLibrary(name: "CCPUID", path: "Sources/CCPUID"),
        // The one CPU feature detector (cpuid + XCR0) of the transformer and primes kernels.
        .target(name: "HostCPU", dependencies: ["CCPUID"]),

        // The HTTP/1.1 server on POSIX sockets: knows nothing about any domain.
        .target(name: "HTTPServer", dependencies: [
            "CZlib", "CLinux",
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),

        // Strict JSON decoding of request bodies (unknown members, exact numbers, positions of syntax errors).
        .target(name: "StrictJSON"),

        // The domains: each knows nothing about HTTP.
        .target(name: "S2Geometry"),
        .target(name: "Bounds", dependencies: ["StrictJSON"]),
        .target(name: "PrimesKernels"),
        // The same sources as PrimesKernels (symbolic links), built for AVX2 + FMA.
        .target(name: "PrimesKernelsAVX2", swiftSettings: kernelFlags("haswell")),
        // And for AVX-512 (skylake-avx512).
        .target(name: "PrimesKernelsAVX512", swiftSettings: kernelFlags("skylake-avx512")),
        .target(name: "Primes", dependencies: ["CGMP", "CMPFR", "HostCPU", "PrimesKernels", "PrimesKernelsAVX2", "PrimesKernelsAVX512"]),
        .target(name: "Geodesics"),
        .target(name: "SecureSimilarity", dependencies: ["CSodium"]),
        // The transformer's numeric kernels (register-tiled matrix product, LayerNorm, softmax, GELU), generic over
        // the instruction set, with their portable build; the same kernels compiled for AVX2+FMA (haswell) and
        // for AVX-512 (skylake-avx512).
        .target(name: "TransformerKernels"),
        .target(name: "TransformerKernelsAVX2", dependencies: ["TransformerKernels"], swiftSettings: kernelFlags("haswell")),
        .target(name: "TransformerKernelsAVX512", dependencies: ["TransformerKernels"], swiftSettings: kernelFlags("skylake-avx512")),
        // all-MiniLM-L6-v2 in Swift (tokenizer, safetensors, transformer), a TextEncoder for SecureSimilarity.
        .target(name: "SentenceEncoder", dependencies: ["SecureSimilarity", "TransformerKernels", "TransformerKernelsAVX2",
                                                        "TransformerKernelsAVX512", "HostCPU"]),

        // Binds the domains to routes: validation, problem+json, jobs, metrics, configuration.
        .target(name: "Service", dependencies: [
            "HTTPServer",
            "StrictJSON",
            "Primes",
            "S2Geometry",
            "Bounds",
            "Geodesics",
            "SecureSimilarity",
            "SentenceEncoder",
            "CLibPQ",
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),

        .executableTarget(name: "incognita", dependencies: [
            "Service", "HTTPServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // The typed client (Generated/ is swift-openapi-generator's output, committed; see docs/client.md).
        .target(name: "IncognitaClient", dependencies: [
            .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        // The README's example of a Swift service calling Incognita through the client (the suite builds and runs it).
        .executableTarget(name: "IncognitaClientExample", dependencies: ["IncognitaClient"], path: "Examples/IncognitaClientExample"),

        // libFuzzer targets (Fuzz/run.sh builds them with -sanitize=fuzzer); a normal build replays a corpus.
        .executableTarget(name: "HTTPParserFuzzer", dependencies: ["HTTPServer"], path: "Fuzz/HTTPParserFuzzer"),
        .executableTarget(name: "PeerMessageFuzzer", dependencies: ["SecureSimilarity"], path: "Fuzz/PeerMessageFuzzer"),

        // Benchmarks built as part of the package (release builds by their run scripts).
        .executableTarget(name: "PrimesBenchmark", dependencies: ["Primes", "PrimesKernels", "PrimesKernelsAVX2", "PrimesKernelsAVX512"], path: "Benchmarks/primes", exclude: ["reference", "README.md", "RESULTS.md", "run.sh"]),
        .executableTarget(name: "EmbeddingsBenchmark", dependencies: ["SentenceEncoder"], path: "Benchmarks/embeddings",
                          exclude: ["README.md", "run.sh", "texts.py", "reference.py"]),
        .executableTarget(name: "SimilarityBenchmark", dependencies: ["SecureSimilarity"], path: "Benchmarks/similarity", exclude: ["README.md", "run.sh"]),

        // Raw-socket client and a launcher for the real executable, shared by the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        .testTarget(name: "StrictJSONTests", dependencies: ["StrictJSON"]),
        .testTarget(name: "IncognitaClientTests", dependencies: [
            "IncognitaClient", "TestSupport",
            .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
        ]),
        .testTarget(name: "ServiceTests", dependencies: ["Service", "HTTPServer", "TestSupport", "Primes"]),
        .testTarget(name: "S2GeometryTests", dependencies: ["S2Geometry"], exclude: ["Fixtures", "Scripts"]),
        .testTarget(name: "BoundsTests", dependencies: ["Bounds"], exclude: ["Fixtures", "Scripts"]),
        .testTarget(name: "PrimesTests", dependencies: ["Primes"], exclude: ["Fixtures", "Scripts"]),
        .testTarget(name: "GeodesicsTests", dependencies: ["Geodesics"], exclude: ["Fixtures", "Scripts"]),
        .testTarget(name: "SecureSimilarityTests", dependencies: ["SecureSimilarity"], exclude: ["Fixtures", "Scripts"]),
        .testTarget(name: "SentenceEncoderTests", dependencies: ["SentenceEncoder", "SecureSimilarity", "TransformerKernels", "HostCPU"], exclude: ["Fixtures", "Scripts"]),
        .testTarget(name: "HostCPUTests", dependencies: ["HostCPU"]),
    ]
)
