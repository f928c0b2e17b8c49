/// A 128-bit session identifier, fresh and random per protocol run; every message and every hash
/// of the run is bound to it.
public struct SessionID: Sendable, Hashable, CustomStringConvertible {
    public static let byteCount = 16
    public let bytes: [UInt8]

    /// A fresh random id.
    public static func random() -> SessionID {
        SessionID(unchecked: Sodium.randomBytes(byteCount))
    }

    /// An id from exactly 16 bytes.
    public init(bytes: [UInt8]) throws(SimilarityError) {
        guard bytes.count == Self.byteCount else {
            throw .invalidInput(field: "sessionId", message: "a session id is 16 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// An id from its 32-character lowercase or uppercase hex form.
    public init(hex: String) throws(SimilarityError) {
        let chars = Array(hex.utf8)
        guard chars.count == 2 * Self.byteCount else {
            throw .invalidInput(field: "sessionId", message: "a session id is 32 hex digits")
        }
        var out = [UInt8]()
        out.reserveCapacity(Self.byteCount)
        for i in stride(from: 0, to: chars.count, by: 2) {
            guard let hi = Self.nibble(chars[i]), let lo = Self.nibble(chars[i + 1]) else {
                throw .invalidInput(field: "sessionId", message: "a session id is 32 hex digits")
            }
            out.append(hi << 4 | lo)
        }
        self.bytes = out
    }

    init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// A second id bound to this one, for a separate channel of the same session:
    /// the first 16 bytes of SHA-256("IncognitaSessionID" ‖ label ‖ id). Distinct labels give
    /// unrelated ids, so two channels of one session never share a key or a nonce.
    public func derived(_ label: String) -> SessionID {
        SessionID(unchecked: Array(Sodium.sha256(Array("IncognitaSessionID".utf8) + Array(label.utf8) + [0] + bytes).prefix(Self.byteCount)))
    }

    /// Lowercase hex.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var s = [UInt8]()
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return String(decoding: s, as: UTF8.self)
    }

    public var description: String { hex }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}
