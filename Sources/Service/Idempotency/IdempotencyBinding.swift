/// The key (its digest, `IdempotencyKey.id`) and request fingerprint a job or session was created under.
public struct IdempotencyBinding: Codable, Sendable, Equatable {
    public var id: String
    public var fingerprint: String

    public init(id: String, fingerprint: String) {
        self.id = id
        self.fingerprint = fingerprint
    }
}
