/// SHA-256 (libsodium's `crypto_hash_sha256`, through the `Sodium` wrapper) for the service's own
/// digests, such as the fingerprints of idempotent requests.
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        Sodium.sha256(bytes)
    }

    /// The digest in lowercase hex (64 characters).
    public static func hex(_ bytes: [UInt8]) -> String {
        IdentityKeyPair.hex(hash(bytes))
    }
}
