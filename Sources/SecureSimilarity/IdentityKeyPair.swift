/// An instance's long-term identity: an X25519 key pair (libsodium `crypto_kx`), created on first
/// start and kept by the Service layer in its data directory (`serialized()` bytes, written
/// atomically with owner-only permissions). Peers pin each other's public key.
///
/// ```swift
/// let identity = IdentityKeyPair.generate()
/// try store.write(identity.serialized())                 // 68 bytes, secret
/// let again = try IdentityKeyPair(serialized: bytes)
/// print(identity.publicKeyHex, identity.fingerprint)     // GET /v1/similarity/identity
/// ```
public struct IdentityKeyPair: Sendable {
    static let magic: [UInt8] = Array("ISK1".utf8)
    /// Length of `serialized()`.
    public static let serializedBytes = 4 + 32 + 32

    /// The 32-byte X25519 public key.
    public let publicKey: [UInt8]
    let secretKey: [UInt8]

    /// A fresh key pair from the operating system's CSPRNG.
    public static func generate() -> IdentityKeyPair {
        let (pk, sk) = Sodium.kxKeyPair()
        return IdentityKeyPair(publicKey: pk, secretKey: sk)
    }

    private init(publicKey: [UInt8], secretKey: [UInt8]) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Restores a key pair written by `serialized()`; the stored public key must match the one
    /// derived from the secret key.
    public init(serialized bytes: [UInt8]) throws(SimilarityError) {
        try Sodium.ensureInitialised()
        guard bytes.count == Self.serializedBytes, Array(bytes.prefix(4)) == Self.magic else {
            throw .invalidInput(field: "identity", message: "not a serialized identity key pair")
        }
        let sk = Array(bytes[4..<36]), pk = Array(bytes[36..<68])
        guard let derived = Sodium.kxPublicKey(secretKey: sk), Sodium.constantTimeEqual(derived, pk) else {
            throw .invalidInput(field: "identity", message: "the stored public key does not match the secret key")
        }
        self.init(publicKey: pk, secretKey: sk)
    }

    /// magic "ISK1" ‖ secret key ‖ public key. Secret: store with owner-only permissions.
    public func serialized() -> [UInt8] { Self.magic + secretKey + publicKey }

    /// The public key as 64 lowercase hex digits (the form peers configure).
    public var publicKeyHex: String { Self.hex(publicKey) }

    /// SHA-256 of the public key, first 16 bytes, hex in groups of four: for humans comparing keys.
    public var fingerprint: String { Self.fingerprint(of: publicKey) }

    public static func fingerprint(of publicKey: [UInt8]) -> String {
        let h = hex(Array(Sodium.sha256(publicKey).prefix(16)))
        var groups: [Substring] = []
        var rest = Substring(h)
        while !rest.isEmpty { groups.append(rest.prefix(4)); rest = rest.dropFirst(4) }
        return groups.joined(separator: ":")
    }

    /// Parses a peer public key given as 64 hex digits.
    public static func parsePublicKey(_ text: String, field: String = "peer.publicKey") throws(SimilarityError) -> [UInt8] {
        let chars = Array(text.utf8)
        guard chars.count == 64 else {
            throw .invalidInput(field: field, message: "a public key is 64 hex digits")
        }
        var out = [UInt8]()
        for i in stride(from: 0, to: 64, by: 2) {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else {
                throw .invalidInput(field: field, message: "a public key is 64 hex digits")
            }
            out.append(hi << 4 | lo)
        }
        guard out.contains(where: { $0 != 0 }) else {
            throw .invalidInput(field: field, message: "the all-zero key is not a valid public key")
        }
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var s = [UInt8]()
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return String(decoding: s, as: UTF8.self)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}
