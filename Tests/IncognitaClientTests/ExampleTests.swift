import Foundation
import Testing
import TestSupport

/// The README's Swift example (Examples/IncognitaClientExample) runs against the real binary, and the README
/// shows exactly its code.
@Suite struct ExampleTests {
    @Test func theReadmeExampleRunsAndIsTheOneInTheReadme() throws {
        let server = try ServerProcess(arguments: ["--access-log", "false"])
        defer { server.stop() }
        let p = Process()
        p.executableURL = ServerProcess.builtProduct("IncognitaClientExample")
        p.environment = ProcessInfo.processInfo.environment.merging(["INCOGNITA_URL": "http://127.0.0.1:\(server.port)"]) { $1 }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(String(decoding: data, as: UTF8.self) == "M22013: prime false, Res64 B569285892344C6A\n")

        let source = try String(contentsOf: ClientTestSupport.root.appendingPathComponent("Examples/IncognitaClientExample/main.swift"), encoding: .utf8)
        let readme = try String(contentsOf: ClientTestSupport.root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let begin = source.range(of: "// README example begins\n"), let end = source.range(of: "// README example ends") else {
            Issue.record("the example has lost its README markers"); return
        }
        let example = String(source[begin.upperBound..<end.lowerBound])
        #expect(readme.contains("```swift\nimport Foundation\nimport IncognitaClient\n\n" + example + "```"),
                "README.md must show Examples/IncognitaClientExample/main.swift between its markers, after the two imports")
    }
}
