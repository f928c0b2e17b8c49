/// An incremental SHA-256 for other targets that fingerprint what determines their embeddings (model
/// weights, vocabularies), so they use this target's one libsodium wrapper instead of a second hash.
///
/// ```swift
/// var d = ContentDigest()
/// d.update("minilm-v1")
/// d.update(tensorBytes)          // an UnsafeRawBufferPointer, hashed in place
/// let hex = d.hex(bytes: 16)
/// ```
public struct ContentDigest: Sendable {
    private var stream = Sodium.SHA256Stream()

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { stream.update(bytes) }

    public mutating func update(_ bytes: [UInt8]) { stream.update(bytes) }

    /// The UTF-8 bytes of `text`, then a NUL, so consecutive strings cannot run together.
    public mutating func update(_ text: String) { stream.update(Array(text.utf8) + [0]) }

    /// The first `bytes` bytes (at most 32) of the digest so far, in lowercase hex.
    public func hex(bytes: Int = 32) -> String { IdentityKeyPair.hex(Array(stream.digest().prefix(bytes))) }
}
