/// Whose keys a route's `Idempotency-Key`s are: the same key in two scopes is two keys.
public struct IdempotencyScope: Sendable {
    /// Part of every key's identity.
    public let name: String
    /// Runs before any key is looked at, so that a caller without the credential learns nothing of
    /// the answers stored under it.
    public let authorize: (@Sendable (RequestContext) throws -> Void)?

    public init(name: String, authorize: (@Sendable (RequestContext) throws -> Void)? = nil) {
        self.name = name
        self.authorize = authorize
    }

    /// Endpoints without a credential: every caller of the instance (or of the replicas sharing its
    /// database), that is the organisation.
    public static let instance = IdempotencyScope(name: IdempotentRequests.instanceScope)
}
