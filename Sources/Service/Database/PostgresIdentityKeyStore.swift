import Foundation
import SecureSimilarity

/// The organisation's identity key pair in the shared database (`identity_key`, one row): the first
/// replica to start inserts a fresh pair with `ON CONFLICT DO NOTHING`, every replica then reads
/// the one row, so all replicas are one identity. The only key material in the database.
struct PostgresIdentityKeyStore: IdentityKeyStore {
    let pool: PostgresPool

    func loadOrCreate() throws -> IdentityKeyPair {
        let fresh = IdentityKeyPair.generate()
        let stored: [UInt8]? = try pool.run { c in
            try c.execute("INSERT INTO identity_key (id, key_pair) VALUES (1, $1::bytea) ON CONFLICT (id) DO NOTHING", [.bytes(fresh.serialized())])
            let rows = try c.execute("SELECT key_pair FROM identity_key WHERE id = 1", binaryResult: true)
            return rows.count == 1 ? rows.bytes(0, 0) : nil
        }
        guard let stored else { throw SimilarityIdentityStore.Failure(description: "the database holds no identity key") }
        do {
            return try IdentityKeyPair(serialized: stored)
        } catch {
            throw SimilarityIdentityStore.Failure(description: "the identity key in the database is damaged (\(error.message))")
        }
    }
}
