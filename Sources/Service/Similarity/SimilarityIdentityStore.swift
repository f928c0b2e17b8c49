import Foundation
import SecureSimilarity

/// This instance's long-term identity key pair, kept in `<data>/similarity/identity.key`
/// (68 bytes, owner-only permissions, written atomically). Created on first start; a file that
/// exists but does not parse is never overwritten (the operator must look at it).
///
/// ```swift
/// let identity = try SimilarityIdentityStore(dataDirectory: "./data").loadOrCreate()
/// print(identity.publicKeyHex)
/// ```
struct SimilarityIdentityStore: IdentityKeyStore {
    let url: URL

    init(dataDirectory: String) {
        url = URL(fileURLWithPath: dataDirectory).appendingPathComponent("similarity").appendingPathComponent("identity.key")
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads the key pair, or creates and stores a fresh one when there is none.
    func loadOrCreate() throws -> IdentityKeyPair {
        if let data = FileManager.default.contents(atPath: url.path) {
            do {
                return try IdentityKeyPair(serialized: Array(data))
            } catch {
                throw Failure(description: "\(url.path) is not a valid identity key file (\(error.message)); move it away to create a new identity")
            }
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let identity = IdentityKeyPair.generate()
        try AtomicFile.write(identity.serialized(), to: url)   // mode 0600
        return identity
    }
}
