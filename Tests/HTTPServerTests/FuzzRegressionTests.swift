import Foundation
import Testing
import TestSupport

/// Every input the parser fuzzer was seeded with or ever found (Fuzz/corpus, Fuzz/regressions) is replayed
/// through the same harness on every test run, without the fuzzing instrumentation.
@Suite struct FuzzRegressionTests {
    @Test func httpParserCorpusReplaysCleanly() throws {
        let p = Process()
        p.executableURL = ServerProcess.builtProduct("HTTPParserFuzzer")
        p.arguments = ["Fuzz/corpus/http-parser", "Fuzz/regressions/http-parser"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("without a crash"))
        #expect(!text.contains("replayed 0 inputs"))
    }
}
