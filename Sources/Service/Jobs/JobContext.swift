import Foundation

/// What a running job sees: progress reporting, cancellation, and its checkpoint slot.
public final class JobContext: @unchecked Sendable {
    public let id: String
    let job: Job
    let store: JobStore

    init(job: Job, store: JobStore) {
        self.id = job.id
        self.job = job
        self.store = store
    }

    /// Reports progress (`done` of `total` units).
    public func progress(_ done: Int, of total: Int) { job.setProgress(done: done, total: total) }

    /// Records a notice in the job's record and sends it on the events stream (`event: notice`); it is
    /// stored with the job record at once.
    public func event(_ message: String) {
        job.record(message)
        try? store.save(job.current)
    }

    /// True once the job was cancelled or the service is shutting down: stop at the next safe point.
    public var isCancelled: Bool { job.cancelRequested }

    /// True when the stop is for a shutdown (keep the checkpoint; the job resumes on restart).
    public var isShuttingDown: Bool { job.shutdownRequested }

    /// Stores a checkpoint atomically; a restart (or the replica that takes the job over) passes it back
    /// through `checkpoint`. With the local store the job record (with its progress) is saved beside it, so
    /// that after a restart the job shows the progress it resumes from, not 0 (a shared store gets progress
    /// from the heartbeat). A shared database that is unreachable for a moment keeps the previous checkpoint
    /// and the job carries on; a replica that lost the job stops it.
    public func saveCheckpoint(_ bytes: [UInt8]) throws {
        do {
            try store.saveCheckpoint(id: id, bytes)
        } catch is JobLeaseLost {
            job.markLost()
            throw JobCancelled()
        } catch is PostgresConnection.Failure {
            return
        }
        if !(store is SharedJobStore) { try? store.save(job.current) }
    }

    /// The last checkpoint, if the job ran before.
    public var checkpoint: [UInt8]? { store.loadCheckpoint(id: id) }
}

/// Thrown by job bodies that noticed `isCancelled`.
public struct JobCancelled: Error { public init() {} }
