import Foundation

/// A job's life: queued → running → succeeded | failed | cancelled.
public enum JobStatus: String, Codable, Sendable, CaseIterable {
    case queued, running, succeeded, failed, cancelled

    public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// How far a job has come. `etaSeconds` is extrapolated from the rate so far, and present only while
/// the job is queued or running.
public struct JobProgress: Codable, Sendable, Equatable {
    public var done: Int
    public var total: Int
    public var fraction: Double
    public var etaSeconds: Double?
}

/// The public view of a job, as `GET /v1/jobs/{id}` returns it (the result is spliced in as raw JSON).
public struct JobSnapshot: Codable, Sendable {
    public var id: String
    public var kind: String
    public var status: JobStatus
    public var progress: JobProgress
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var error: JobError?
    /// The instance (`--instance-id`) running the job; nil while queued and once ended.
    public var runningOn: String?
    /// The request that created the job, so a restart can resume it (never returned to callers).
    public var spec: String?
    /// The result document (raw JSON text), present once succeeded.
    public var resultJSON: String?
    /// The W3C trace id of the request that created the job (nil in records from before traces were kept).
    public var traceId: String?
    /// Notices from the job (rollbacks after failed error checks, …), oldest first; nil when none.
    public var events: [JobEvent]? = nil
    /// The `Idempotency-Key` (its digest) and request fingerprint that created the job, saved with it in one
    /// write, so that a key whose own record was lost in a crash is recovered from the job (never returned).
    public var idempotency: IdempotencyBinding?

    /// The job as it was accepted (the body of its `202`): queued, no progress yet.
    public var asAccepted: JobSnapshot {
        var s = self
        s.status = .queued
        s.progress = JobProgress(done: 0, total: 0, fraction: 0, etaSeconds: nil)
        s.startedAt = nil
        s.finishedAt = nil
        s.error = nil
        s.resultJSON = nil
        return s
    }
}

/// Why a job failed: a problem summary.
public struct JobError: Codable, Sendable {
    public var status: Int
    public var detail: String
}
