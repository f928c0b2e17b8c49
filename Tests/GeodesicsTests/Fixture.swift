import Foundation

/// The cases of a JSON fixture under `Fixtures/` (`{"cases": [...]}`, written by a script under `Scripts/`);
/// no cases when the file is missing or does not decode, which the fixture tests then report.
enum Fixture {
    private struct File<Case: Decodable>: Decodable { var cases: [Case] }

    static func cases<Case: Decodable>(_ name: String, as type: Case.Type = Case.self) -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File<Case>.self, from: data) else { return [] }
        return file.cases
    }
}
