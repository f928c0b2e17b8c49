import HTTPTypes

/// Field names common in requests, recognised from their bytes so that parsing them builds no name string,
/// with the role those that decide framing and connection handling play.
struct KnownField {
    enum Role { case host, contentLength, transferEncoding, expect, connection, other }

    let name: HTTPField.Name
    let role: Role

    /// The known field spelled exactly as `bytes` (in its usual capitalisation or all lowercase); nil otherwise,
    /// and then the caller builds the name from the bytes.
    static func match(_ bytes: UnsafeBufferPointer<UInt8>) -> KnownField? {
        guard bytes.count < table.count else { return nil }
        for entry in table[bytes.count] where entry.matches(bytes) { return entry.field }
        return nil
    }

    private struct Entry {
        let spelling: [UInt8]
        let field: KnownField

        func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            for i in 0..<spelling.count where spelling[i] != bytes[i] { return false }
            return true
        }
    }

    /// Entries by length: each name in its usual capitalisation and in lowercase.
    private static let table: [[Entry]] = {
        let names: [(String, Role)] = [
            ("Host", .host), ("Content-Length", .contentLength), ("Transfer-Encoding", .transferEncoding), ("Expect", .expect),
            ("Connection", .connection), ("Content-Type", .other), ("Accept", .other), ("Accept-Encoding", .other),
            ("Accept-Language", .other), ("User-Agent", .other), ("Authorization", .other), ("X-Request-ID", .other),
            ("traceparent", .other), ("tracestate", .other), ("Cache-Control", .other), ("Cookie", .other), ("Origin", .other),
            ("Referer", .other), ("If-None-Match", .other), ("Range", .other), ("X-Forwarded-For", .other),
        ]
        var table = [[Entry]](repeating: [], count: 18)
        for (spelling, role) in names {
            for variant in Set([spelling, spelling.lowercased()]) {
                table[variant.utf8.count].append(Entry(spelling: Array(variant.utf8), field: KnownField(name: HTTPField.Name(variant)!, role: role)))
            }
        }
        return table
    }()
}
