import Foundation

/// One job's mutable state, guarded by its own condition so event streams can wait for changes.
final class Job: @unchecked Sendable {
    let id: String
    let kind: String
    let spec: String?
    let work: @Sendable (JobContext) throws -> String
    private let condition = NSCondition()
    private var snapshot: JobSnapshot
    private(set) var version = 0
    private var cancelled = false
    private var shuttingDown = false
    /// Another replica runs the job now (or it was cancelled there): stop and write nothing more.
    private var lost = false
    private var lastPersist = Date.distantPast

    init(id: String, kind: String, spec: String?, createdAt: Date, traceId: String?, work: @escaping @Sendable (JobContext) throws -> String) {
        self.id = id
        self.kind = kind
        self.spec = spec
        self.work = work
        snapshot = JobSnapshot(id: id, kind: kind, status: .queued, progress: JobProgress(done: 0, total: 0, fraction: 0, etaSeconds: nil),
                               createdAt: createdAt, startedAt: nil, finishedAt: nil, error: nil, runningOn: nil, spec: spec, resultJSON: nil, traceId: traceId)
    }

    var current: JobSnapshot {
        condition.lock(); defer { condition.unlock() }
        return snapshot
    }

    var cancelRequested: Bool {
        condition.lock(); defer { condition.unlock() }
        return cancelled || shuttingDown || lost
    }

    var isLost: Bool {
        condition.lock(); defer { condition.unlock() }
        return lost
    }

    /// Stops the local run without changing the recorded state (fencing: the shared store says another replica has it).
    func markLost() {
        condition.lock()
        lost = true
        condition.broadcast()
        condition.unlock()
    }

    var shutdownRequested: Bool {
        condition.lock(); defer { condition.unlock() }
        return shuttingDown
    }

    func mutate(_ change: (inout JobSnapshot) -> Void) {
        condition.lock()
        change(&snapshot)
        // An estimate of time left means nothing once the job has ended (succeeded, failed or cancelled),
        // also when a worker reports progress after a cancellation.
        if snapshot.status.isFinished { snapshot.progress.etaSeconds = nil }
        version += 1
        condition.broadcast()
        condition.unlock()
    }

    func setProgress(done: Int, total: Int) {
        mutate { s in
            s.progress.done = done
            s.progress.total = total
            s.progress.fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
            if let started = s.startedAt, done > 0, total > done {
                let elapsed = Date().timeIntervalSince(started)
                s.progress.etaSeconds = (elapsed / Double(done) * Double(total - done) * 10).rounded() / 10
            } else if done >= total {
                s.progress.etaSeconds = 0
            }
        }
    }

    /// Appends a notice (the oldest are dropped beyond `JobEvent.limit`).
    func record(_ message: String) {
        mutate { s in
            var events = s.events ?? []
            events.append(JobEvent(at: Date(), message: message))
            if events.count > JobEvent.limit { events.removeFirst(events.count - JobEvent.limit) }
            s.events = events
        }
    }

    /// Requests cancellation; returns false when the job had already finished.
    func cancel() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if snapshot.status.isFinished { return false }
        cancelled = true
        snapshot.status = .cancelled
        snapshot.finishedAt = Date()
        snapshot.progress.etaSeconds = nil
        version += 1
        condition.broadcast()
        return true
    }

    func requestShutdown() {
        condition.lock()
        shuttingDown = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the version moves past `seen` or `timeout` passes; returns the snapshot and its version.
    func wait(after seen: Int, timeout: Double) -> (JobSnapshot, Int) {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(timeout)
        while version == seen {
            if !condition.wait(until: deadline) { break }
        }
        return (snapshot, version)
    }

    /// True at most every `interval` seconds: throttles how often progress is persisted.
    func shouldPersist(interval: Double) -> Bool {
        condition.lock(); defer { condition.unlock() }
        if Date().timeIntervalSince(lastPersist) >= interval { lastPersist = Date(); return true }
        return false
    }
}
