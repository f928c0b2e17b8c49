import Foundation
import Testing
import TestSupport

/// Every input the parser fuzzer was seeded with or ever found (Fuzz/corpus, Fuzz/regressions) is replayed
/// through the same harness on every test run, without the fuzzing instrumentation.
@Suite struct FuzzRegressionTests {
    @Test func httpParserCorpusReplaysCleanly() throws {
        let (status, text) = try ServerProcess.runProduct(
            "HTTPParserFuzzer", arguments: ["Fuzz/corpus/http-parser", "Fuzz/regressions/http-parser"])
        #expect(status == 0)
        #expect(text.contains("without a crash"))
        #expect(!text.contains("replayed 0 inputs"))
    }
}
