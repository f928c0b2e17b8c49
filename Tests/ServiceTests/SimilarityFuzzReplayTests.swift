import Foundation
import Testing
import TestSupport

/// Every peer message the fuzzer was seeded with or ever found (Fuzz/corpus/peer-message,
/// Fuzz/regressions/peer-message) is replayed through the same harness on every test run,
/// without the fuzzing instrumentation. Runs once the package declares the PeerMessageFuzzer product.
@Suite struct SimilarityFuzzReplayTests {
    static var fuzzer: URL { ServerProcess.builtProduct("PeerMessageFuzzer") }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: SimilarityFuzzReplayTests.fuzzer.path)))
    func peerMessageCorpusReplaysCleanly() throws {
        let (status, text) = try ServerProcess.runProduct(
            "PeerMessageFuzzer", arguments: ["Fuzz/corpus/peer-message", "Fuzz/regressions/peer-message"])
        #expect(status == 0)
        #expect(text.contains("without a crash"))
        #expect(!text.contains("replayed 0 inputs"))
    }
}
