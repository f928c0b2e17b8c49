import SecureSimilarity

/// Where an organisation's similarity identity key pair comes from: the data directory
/// (`SimilarityIdentityStore`), a file the operator provides (`IdentityKeyFile`), or the shared
/// database (`PostgresIdentityKeyStore`, created once by the first replica).
protocol IdentityKeyStore {
    /// The key pair, created and stored first when the store may create one and has none.
    func loadOrCreate() throws -> IdentityKeyPair
}
