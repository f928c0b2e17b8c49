import Foundation

/// Runs long work off the request path. A job gets a random 128-bit id, runs on one of a few job
/// threads, reports progress, can be cancelled, and is recorded in the `JobStore` so that finished
/// results survive a restart and resumable kinds (those registered with `registerResumable`) pick up
/// again from their checkpoint.
///
/// ```swift
/// let snapshot = try jobs.submit(kind: "lucas-lehmer", spec: specJSON) { ctx in
///     ctx.progress(10, of: 100); return "{\"isPrime\":true}"
/// }
/// ```
public final class JobManager: @unchecked Sendable {
    public struct QueueFull: Error {}

    private let store: JobStore
    private let log: AccessLog
    private let maxConcurrent: Int
    private let maxQueued: Int
    private let condition = NSCondition()
    private var jobs: [String: Job] = [:]
    private var queue: [Job] = []
    private var running = 0
    private var stopping = false
    private var resumers: [String: @Sendable (String) -> (@Sendable (JobContext) throws -> String)?] = [:]
    /// Finished jobs are forgotten after this long.
    private let retention: TimeInterval = 24 * 3600

    public init(store: JobStore, maxConcurrent: Int, maxQueued: Int, log: AccessLog) {
        self.store = store
        self.log = log
        self.maxConcurrent = max(1, maxConcurrent)
        self.maxQueued = maxQueued
        for _ in 0..<self.maxConcurrent {
            let t = Thread { [self] in self.runJobs() }
            t.name = "jobs"
            t.stackSize = 16 << 20
            t.start()
        }
    }

    /// Tells the manager how to rebuild the work of a `kind` from its stored spec after a restart.
    public func registerResumable(kind: String, _ rebuild: @escaping @Sendable (String) -> (@Sendable (JobContext) throws -> String)?) {
        condition.lock()
        resumers[kind] = rebuild
        condition.unlock()
    }

    /// Loads stored jobs: finished ones become visible again, unfinished resumable ones are queued.
    /// Call after every `registerResumable`.
    public func restore() {
        for var snapshot in store.loadAll() {
            if let finished = snapshot.finishedAt, Date().timeIntervalSince(finished) > retention {
                store.remove(id: snapshot.id)
                continue
            }
            condition.lock()
            let rebuild = resumers[snapshot.kind]
            condition.unlock()
            if snapshot.status.isFinished {
                let job = Job(id: snapshot.id, kind: snapshot.kind, spec: snapshot.spec, createdAt: snapshot.createdAt, traceId: snapshot.traceId) { _ in "" }
                job.mutate { $0 = snapshot }
                condition.lock(); jobs[job.id] = job; condition.unlock()
            } else if let spec = snapshot.spec, let work = rebuild?(spec) {
                let job = Job(id: snapshot.id, kind: snapshot.kind, spec: spec, createdAt: snapshot.createdAt, traceId: snapshot.traceId, work: work)
                job.mutate { $0.progress = snapshot.progress }
                condition.lock()
                jobs[job.id] = job
                queue.append(job)
                condition.signal()
                condition.unlock()
                log.event("job resumed", [("id", job.id), ("kind", job.kind)], trace: .resuming(traceID: snapshot.traceId))
            } else {
                snapshot.status = .failed
                snapshot.finishedAt = Date()
                snapshot.progress.etaSeconds = nil
                snapshot.error = JobError(status: 500, detail: "the service restarted and this job cannot be resumed")
                try? store.save(snapshot)
            }
        }
    }

    /// Queues a job. Throws `QueueFull` when too many wait already. The job keeps the trace id of the request
    /// submitting it (`TraceContext.current`), and its run logs in that trace.
    @discardableResult
    public func submit(kind: String, spec: String? = nil, work: @escaping @Sendable (JobContext) throws -> String) throws -> JobSnapshot {
        let job = Job(id: RandomID.make(bytes: 16), kind: kind, spec: spec, createdAt: Date(), traceId: TraceContext.current?.traceID, work: work)
        condition.lock()
        guard queue.count < maxQueued, !stopping else { condition.unlock(); throw QueueFull() }
        jobs[job.id] = job
        queue.append(job)
        condition.signal()
        condition.unlock()
        try? store.save(job.current)
        return job.current
    }

    public func snapshot(id: String) -> JobSnapshot? {
        condition.lock(); defer { condition.unlock() }
        return jobs[id]?.current
    }

    /// Cancels a queued or running job. Returns nil for an unknown id, false when it had already finished.
    public func cancel(id: String) -> Bool? {
        condition.lock()
        guard let job = jobs[id] else { condition.unlock(); return nil }
        queue.removeAll { $0 === job }
        condition.unlock()
        let cancelled = job.cancel()
        if cancelled {
            try? store.save(job.current)
            store.removeCheckpoint(id: id)
        }
        return cancelled
    }

    /// Waits for a change of the job after `version` (or `timeout`); nil for an unknown id.
    public func waitForChange(id: String, after version: Int, timeout: Double) -> (JobSnapshot, Int)? {
        condition.lock()
        let job = jobs[id]
        condition.unlock()
        return job?.wait(after: version, timeout: timeout)
    }

    public func countsByStatus() -> [String: Int] {
        condition.lock()
        let all = Array(jobs.values)
        condition.unlock()
        var counts: [String: Int] = [:]
        for s in JobStatus.allCases { counts[s.rawValue] = 0 }
        for job in all { counts[job.current.status.rawValue, default: 0] += 1 }
        return counts
    }

    /// Asks running jobs to stop at their next checkpoint (they stay resumable) and starts no more.
    public func shutdown() {
        condition.lock()
        stopping = true
        let all = Array(jobs.values)
        condition.broadcast()
        condition.unlock()
        for job in all { job.requestShutdown() }
    }

    private func runJobs() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if stopping { condition.unlock(); return }
            let job = queue.removeFirst()
            running += 1
            condition.unlock()
            execute(job)
            condition.lock()
            running -= 1
            pruneFinished()
            condition.unlock()
        }
    }

    /// Runs a job in its own span of the trace that created it, so the events it logs carry that trace.
    private func execute(_ job: Job) {
        TraceContext.$current.withValue(.resuming(traceID: job.current.traceId)) { run(job) }
    }

    private func run(_ job: Job) {
        if job.current.status == .cancelled { return }
        job.mutate { s in
            s.status = .running
            if s.startedAt == nil { s.startedAt = Date() }
        }
        try? store.save(job.current)
        let context = JobContext(job: job, store: store)
        let outcome: Result<String, Error>
        do { outcome = .success(try job.work(context)) } catch { outcome = .failure(error) }
        if job.shutdownRequested && !job.current.status.isFinished {
            // Leave the record unfinished: the job resumes from its checkpoint after the restart.
            try? store.save(job.current)
            return
        }
        if job.current.status == .cancelled { return }
        job.mutate { s in
            s.finishedAt = Date()
            switch outcome {
            case .success(let json):
                s.status = .succeeded
                s.resultJSON = json
                s.progress.fraction = 1
                s.progress.done = max(s.progress.done, s.progress.total)
            case .failure(let error):
                if error is JobCancelled {
                    s.status = .cancelled
                } else {
                    s.status = .failed
                    let api = (error as? APIError) ?? (error as? APIErrorConvertible)?.apiError
                    s.error = JobError(status: api?.status.code ?? 500, detail: api?.detail ?? "the job failed: \(error)")
                }
            }
        }
        do { try store.save(job.current) } catch {
            log.event("job record not saved", level: "error", [("id", job.id), ("error", "\(error)")])
        }
        store.removeCheckpoint(id: job.id)
        log.event("job finished", [("id", job.id), ("kind", job.kind), ("status", job.current.status.rawValue)])
    }

    private func pruneFinished() {
        let now = Date()
        for (id, job) in jobs {
            let s = job.current
            if let finished = s.finishedAt, now.timeIntervalSince(finished) > retention {
                jobs[id] = nil
                store.remove(id: id)
            }
        }
    }
}
