import Foundation

/// Something a running job reports besides progress: an error check that failed and the rollback that
/// followed, a change of method. Kept in the job record (the last `JobEvent.limit`), listed in the job
/// document and sent on the events stream as `event: notice`.
public struct JobEvent: Codable, Sendable, Equatable {
    public var at: Date
    public var message: String

    /// Events kept per job; older ones are dropped.
    static let limit = 100
}
