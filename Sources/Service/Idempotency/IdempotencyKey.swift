import HTTPServer
import HTTPTypes
import SecureSimilarity

/// The caller's `Idempotency-Key`, validated and scoped.
///
/// Syntax: 1–255 characters of `A–Z a–z 0–9 - . _ : ~ + / =` (a UUID, a ULID, base64 all fit), sent bare
/// or as a structured-field string in double quotes (`"8e03978e-…"`, as the IETF draft writes it). One
/// field only. Anything else is 400 naming the header. The key is never stored: `id` is the SHA-256 of
/// the scope and the key, so the same key in another scope (another bearer token) is another key.
public struct IdempotencyKey: Sendable, Equatable {
    public static let field = HTTPField.Name("Idempotency-Key")!
    public static let headerName = "Idempotency-Key"
    public static let maxLength = 255

    /// Hex SHA-256 of scope and key: the record's identity in every store.
    public let id: String

    /// The key of a request, nil when it sent none; throws a 400 naming the header when it is malformed.
    public init?(_ fields: RequestFields, scope: String) throws {
        let values = fields[values: Self.field]
        guard !values.isEmpty else { return nil }
        guard values.count == 1 else { throw Self.malformed("must be sent once, not \(values.count) times") }
        var key = Substring(values[0].trimmingCharacters(in: .whitespaces))
        if key.count >= 2, key.hasPrefix("\""), key.hasSuffix("\"") { key = key.dropFirst().dropLast() }
        guard !key.isEmpty else { throw Self.malformed("must not be empty") }
        guard key.utf8.count <= Self.maxLength else { throw Self.malformed("must be at most \(Self.maxLength) characters, got \(key.utf8.count)") }
        guard key.utf8.allSatisfy(Self.allowed) else {
            throw Self.malformed("may contain only A–Z a–z 0–9 and - . _ : ~ + / = (a UUID, for example)")
        }
        id = SHA256.hex(Array(scope.utf8) + [0] + Array(key.utf8))
    }

    static func allowed(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "~"),
             UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="): return true
        default: return false
        }
    }

    static func malformed(_ message: String) -> APIError {
        APIError(status: .badRequest, slug: "malformed-request", detail: "\(headerName): \(message)",
                 errors: [FieldError(field: headerName, message: message)])
    }
}
