import HTTPServer

/// A request's id: the caller's `X-Request-ID` when it sent one sane token, else 16 lowercase hex digits of our
/// own, kept as a number until something needs the text (the answer and the access log write the digits
/// straight into their bytes; a 16-character string would be an allocation per request).
public struct RequestID: Sendable, Equatable, CustomStringConvertible {
    /// The caller's id, when taken.
    let given: String?
    /// Our own id, when not.
    let word: UInt64

    /// The caller's `X-Request-ID` values (a sane token is 1–128 of `A–Z a–z 0–9 . _ - :`, sent once), else `word`.
    init(given values: [String], word: UInt64) {
        if values.count == 1, Self.isSane(values[0]) { given = values[0] } else { given = nil }
        self.word = word
    }

    /// An id as given, unchecked (the access log escapes it).
    init(text: String) {
        given = text
        word = 0
    }

    public var description: String { given ?? RequestIDs.hex16(word) }

    /// Bytes `write(into:)` takes.
    var byteCount: Int { given?.utf8.count ?? 16 }

    func write(into w: inout ByteWriter) {
        if let given { w.write(utf8: given) } else { w.writeHex(word) }
    }

    static func isSane(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128
            && id.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 46 || $0 == 95 || $0 == 45 || $0 == 58 }
    }
}
