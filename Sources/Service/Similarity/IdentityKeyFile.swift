import Foundation
import SecureSimilarity

/// `--identity-key-file`: the key pair in a file the operator provides (a mounted Kubernetes Secret),
/// the 68-byte form of `<data>/similarity/identity.key`. Never created or written by the service
/// (except by `--generate-identity-key`), so all replicas given the file are one identity and the
/// database then holds no key at all.
public struct IdentityKeyFile: IdentityKeyStore {
    let path: String

    func loadOrCreate() throws -> IdentityKeyPair {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SimilarityIdentityStore.Failure(description: "the identity key file \(path) cannot be read")
        }
        do {
            return try IdentityKeyPair(serialized: Array(data))
        } catch {
            throw SimilarityIdentityStore.Failure(description: "\(path) is not an identity key file (\(error.message)); create one with --generate-identity-key")
        }
    }

    /// Writes a fresh key pair to `path` (owner-only, atomically; an existing file is never replaced)
    /// and returns its public key in hex.
    public static func generate(at path: String) throws -> String {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw SimilarityIdentityStore.Failure(description: "\(path) exists already; it is never overwritten")
        }
        let identity = IdentityKeyPair.generate()
        try AtomicFile.write(identity.serialized(), to: URL(fileURLWithPath: path))
        return identity.publicKeyHex
    }
}
