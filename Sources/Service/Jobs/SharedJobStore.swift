import Foundation

/// A `JobStore` that several replicas share: jobs are inserted queued, claimed by exactly one
/// replica under a lease it renews, handed back, finished or cancelled with writes fenced by the
/// claim (a replica that lost its lease can no longer write the job). Implemented by
/// `PostgresJobStore`; the local store needs none of this (one process owns its directory).
protocol SharedJobStore: JobStore {
    /// The replica this store writes for (`runningOn`).
    var instanceID: String { get }
    /// Inserts a queued job; when an unfinished job with the same `joinKey` exists, returns that one
    /// instead (`inserted` false). Throws `JobManager.QueueFull` when `maxQueued` jobs wait already.
    func insert(_ snapshot: JobSnapshot, joinKey: String?, maxQueued: Int) throws -> (snapshot: JobSnapshot, inserted: Bool)
    /// The job as stored, nil when unknown.
    func load(id: String) throws -> JobSnapshot?
    /// Claims the oldest queued job of one of `kinds`, or one whose lease expired, for `lease` seconds.
    func claim(kinds: [String], lease: Double) throws -> JobSnapshot?
    /// Writes progress and renews the lease; false when this replica no longer runs the job (cancelled or taken over).
    func renew(_ snapshot: JobSnapshot, lease: Double) throws -> Bool
    /// Puts a job this replica runs back in the queue (shutdown), keeping its checkpoint.
    func handBack(_ snapshot: JobSnapshot) throws
    /// Records the outcome of a job this replica runs; false when it no longer runs it.
    func finish(_ snapshot: JobSnapshot) throws -> Bool
    /// Cancels a queued or running job wherever it runs: nil for an unknown id, `cancelled` false when it had finished.
    func cancel(id: String) throws -> (snapshot: JobSnapshot, cancelled: Bool)?
    /// Removes jobs that finished more than `seconds` ago.
    func prune(finishedBefore seconds: Double) throws
}

/// Thrown by a fenced write: another replica runs the job now, or it was cancelled.
struct JobLeaseLost: Error {}
