/// What a store says when a request with a key arrives.
public enum IdempotencyClaim: Sendable, Equatable {
    /// The key is new (or its earlier request failed): this request runs, then completes or releases it.
    case claimed
    /// A request with the same key and fingerprint completed: answer what it answered.
    case replay(IdempotencyRecord)
    /// The key belongs to a different request (another body, path or method).
    case mismatch
    /// A request with the same key and fingerprint is still running after the wait.
    case inProgress
}
