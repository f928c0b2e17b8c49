import Foundation

/// Where idempotency keys live: beside the jobs and sessions they created, so they survive a restart.
/// The local implementation keeps them in the data directory; a shared database implements the same
/// protocol when replicas must agree on them.
///
/// A request claims its key; while it runs, others with the same key wait (`wait` seconds at most);
/// then it completes the key with its answer, or releases it when it failed (nothing was created).
public protocol IdempotencyStore: Sendable {
    /// Claims `id` for a request with `fingerprint`, or tells what is already known of it.
    func claim(id: String, fingerprint: String, now: Date, wait: TimeInterval) throws -> IdempotencyClaim
    /// Records the answer of the request that claimed `record.id`.
    func complete(_ record: IdempotencyRecord) throws
    /// Gives up a claim: the request failed and created nothing; the key may be used again.
    func release(id: String)
    /// Records `record` unless its key already has one (recovery from the job it created).
    func adopt(_ record: IdempotencyRecord) throws
}
