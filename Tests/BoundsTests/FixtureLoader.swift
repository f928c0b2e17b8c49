import Foundation

/// Reads JSON fixtures next to this file (not via bundle resources). Numbers go through
/// `JSONDecoder`, which parses decimal text exactly (`JSONSerialization` on Linux does not always).
enum FixtureLoader {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A fixture file: named tables of numeric rows, plus free-text fields.
    struct Table: Decodable {
        let tables: [String: [[Double]]]

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            var tables: [String: [[Double]]] = [:]
            for key in container.allKeys {
                if let rows = try? container.decode([[Double]].self, forKey: key) { tables[key.stringValue] = rows }
            }
            self.tables = tables
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    static func rows(_ name: String, _ key: String) throws -> [[Double]] {
        try JSONDecoder().decode(Table.self, from: data(name)).tables[key] ?? []
    }

    /// |a − b|/|b|, with equality counting as 0.
    static func relativeError(_ a: Double, _ b: Double) -> Double {
        if a == b { return 0 }
        return abs(a - b) / abs(b)
    }
}
