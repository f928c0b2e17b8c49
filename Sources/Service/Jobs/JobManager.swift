import Foundation

/// Runs long work off the request path. A job gets a random 128-bit id, runs on one of a few job
/// threads, reports progress, can be cancelled, and is recorded in the `JobStore` so that finished
/// results survive a restart and resumable kinds (those registered with `registerResumable`) pick up
/// again from their checkpoint.
///
/// With a `SharedJobStore` (replicas sharing a database) the store is the queue: a submitted job is
/// inserted queued and any replica with a free slot claims it under a lease, rebuilding the work
/// from the kind and the stored spec; a heartbeat every 0.5 s writes progress and renews the lease;
/// on shutdown running jobs stop at their next checkpoint and are handed back to the queue.
///
/// ```swift
/// let snapshot = try jobs.submit(kind: "lucas-lehmer", spec: specJSON) { ctx in
///     ctx.progress(10, of: 100); return "{\"isPrime\":true}"
/// }
/// ```
public final class JobManager: @unchecked Sendable {
    public struct QueueFull: Error {}

    private let store: JobStore
    private let shared: SharedJobStore?
    private let log: AccessLog
    private let maxConcurrent: Int
    private let maxQueued: Int
    /// This replica's name in `runningOn`.
    let instanceID: String
    /// Seconds a claim lasts without a heartbeat (shared store only).
    let lease: Double
    private let condition = NSCondition()
    /// Local store: every known job. Shared store: the jobs running (or about to run) here.
    private var jobs: [String: Job] = [:]
    private var queue: [Job] = []
    private var running = 0
    private var stopping = false
    private var wakeups = 0
    /// Unfinished jobs by join key (local store; the shared store keeps a unique index).
    private var joinKeys: [String: String] = [:]
    private var resumers: [String: @Sendable (String) -> (@Sendable (JobContext) throws -> String)?] = [:]
    /// Finished jobs are forgotten after this long.
    private let retention: TimeInterval = 24 * 3600

    public init(store: JobStore, maxConcurrent: Int, maxQueued: Int, log: AccessLog, instanceID: String = "local", lease: Double = 30) {
        self.store = store
        self.shared = store as? SharedJobStore
        self.log = log
        self.maxConcurrent = max(1, maxConcurrent)
        self.maxQueued = maxQueued
        self.instanceID = instanceID
        self.lease = lease
        for _ in 0..<self.maxConcurrent {
            let t = Thread { [self] in self.runJobs() }
            t.name = "jobs"
            t.stackSize = 16 << 20
            t.start()
        }
        if shared != nil {
            let dispatcher = Thread { [self] in dispatchLoop() }
            dispatcher.name = "jobs-claim"
            dispatcher.start()
            let heartbeat = Thread { [self] in heartbeatLoop() }
            heartbeat.name = "jobs-heartbeat"
            heartbeat.start()
        }
    }

    /// Tells the manager how to rebuild the work of a `kind` from its stored spec after a restart
    /// (or, with a shared store, on whichever replica claims it).
    public func registerResumable(kind: String, _ rebuild: @escaping @Sendable (String) -> (@Sendable (JobContext) throws -> String)?) {
        condition.lock()
        resumers[kind] = rebuild
        condition.unlock()
    }

    /// Loads stored jobs: finished ones become visible again, unfinished resumable ones are queued.
    /// Call after every `registerResumable`. With a shared store there is nothing to load: claims start.
    public func restore() {
        if shared != nil { wake(); return }
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
                job.mutate { $0.progress = snapshot.progress; $0.runningOn = nil; $0.events = snapshot.events; $0.idempotency = snapshot.idempotency }
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
                snapshot.runningOn = nil
                snapshot.error = JobError(status: 500, detail: "the service restarted and this job cannot be resumed")
                try? store.save(snapshot)
            }
        }
    }

    /// Queues a job. Throws `QueueFull` when too many wait already. When an unfinished job with the
    /// same `joinKey` exists, returns it instead of starting another. The job keeps the trace id of the request
    /// submitting it (`TraceContext.current`), and its run logs in that trace.
    @discardableResult
    public func submit(kind: String, spec: String? = nil, joinKey: String? = nil, idempotency: IdempotencyBinding? = nil,
                       work: @escaping @Sendable (JobContext) throws -> String) throws -> JobSnapshot {
        let job = Job(id: RandomID.make(bytes: 16), kind: kind, spec: spec, createdAt: Date(), traceId: TraceContext.current?.traceID, work: work)
        if let idempotency { job.mutate { $0.idempotency = idempotency } }
        if let shared {
            condition.lock()
            let claimable = resumers[kind] != nil && spec != nil
            let isStopping = stopping
            condition.unlock()
            precondition(claimable, "with a shared store every job kind needs a spec and a registered builder (\(kind))")
            guard !isStopping else { throw QueueFull() }
            let (snapshot, inserted) = try shared.insert(job.current, joinKey: joinKey, maxQueued: maxQueued)
            if inserted {
                wake()
                notifyOthers?("job")
            }
            return snapshot
        }
        condition.lock()
        if let joinKey, let existing = joinKeys[joinKey].flatMap({ jobs[$0] }), !existing.current.status.isFinished {
            condition.unlock()
            return existing.current
        }
        guard queue.count < maxQueued, !stopping else { condition.unlock(); throw QueueFull() }
        jobs[job.id] = job
        queue.append(job)
        if let joinKey { joinKeys[joinKey] = job.id }
        condition.signal()
        condition.unlock()
        try? store.save(job.current)
        return job.current
    }

    /// Sends a notification to the other replicas (set by the application when a database is configured).
    var notifyOthers: (@Sendable (String) -> Void)?

    /// The job, nil for an unknown id. With a shared store a job running here answers from memory,
    /// any other from the store (which throws while the database is unreachable).
    public func snapshot(id: String) throws -> JobSnapshot? {
        condition.lock()
        let local = jobs[id]
        condition.unlock()
        if let local { return local.current }
        return try shared?.load(id: id)
    }

    /// Cancels a queued or running job: nil for an unknown id, `cancelled` false when it had already finished.
    public func cancel(id: String) throws -> (snapshot: JobSnapshot, cancelled: Bool)? {
        condition.lock()
        let job = jobs[id]
        if let job { queue.removeAll { $0 === job } }
        condition.unlock()
        if let shared {
            guard let outcome = try shared.cancel(id: id) else { return nil }
            if outcome.cancelled {
                _ = job?.cancel()
                notifyOthers?("cancel:\(id)")
            }
            return outcome
        }
        guard let job else { return nil }
        let cancelled = job.cancel()
        if cancelled {
            try? store.save(job.current)
            store.removeCheckpoint(id: id)
        }
        return (job.current, cancelled)
    }

    /// Waits for a change of the job after `version` (or `timeout`); nil for an unknown id. A job running
    /// on another replica is read from the shared store every 0.25 s.
    public func waitForChange(id: String, after version: Int, timeout: Double) -> (JobSnapshot, Int)? {
        condition.lock()
        let job = jobs[id]
        condition.unlock()
        if let job { return job.wait(after: version, timeout: timeout) }
        guard let shared else { return nil }
        let deadline = Date().addingTimeInterval(timeout)
        guard let first = try? shared.load(id: id) else { return nil }
        var latest = first
        while Date() < deadline && !latest.status.isFinished {
            Thread.sleep(forTimeInterval: min(0.25, max(0.01, deadline.timeIntervalSinceNow)))
            // Claimed by this replica meanwhile: follow it in memory from now on.
            condition.lock()
            let claimed = jobs[id]
            condition.unlock()
            if let claimed { return claimed.wait(after: -1, timeout: 0) }
            guard let next = try? shared.load(id: id) else { return nil }
            let changed = next.status != latest.status || next.progress != latest.progress
            latest = next
            if changed { break }
        }
        return (latest, version + 1)
    }

    /// Every job this instance knows.
    public func snapshots() -> [JobSnapshot] {
        condition.lock()
        let all = Array(jobs.values)
        condition.unlock()
        return all.map(\.current)
    }

    /// Jobs this instance holds, by state (with a shared store: those running here).
    public func countsByStatus() -> [String: Int] {
        condition.lock()
        let all = Array(jobs.values)
        condition.unlock()
        var counts: [String: Int] = [:]
        for s in JobStatus.allCases { counts[s.rawValue] = 0 }
        for job in all { counts[job.current.status.rawValue, default: 0] += 1 }
        return counts
    }

    /// Asks running jobs to stop at their next checkpoint (they stay resumable, and with a shared store
    /// are handed back to the queue) and starts no more.
    public func shutdown() {
        condition.lock()
        stopping = true
        let all = Array(jobs.values)
        condition.broadcast()
        condition.unlock()
        for job in all { job.requestShutdown() }
    }

    /// Waits until no job runs here any more (after `shutdown`), at most `timeout` seconds.
    public func awaitIdle(timeout: Double) {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        while running > 0 {
            if !condition.wait(until: deadline) { break }
        }
        condition.unlock()
    }

    /// Reacts to a notification from another replica: "job" (something to claim), "cancel:<id>", "tick".
    func handleNotification(_ payload: String) {
        if payload.hasPrefix("cancel:") {
            let id = String(payload.dropFirst(7))
            condition.lock()
            let job = jobs[id]
            condition.unlock()
            _ = job?.cancel()
        }
        wake()
    }

    private func wake() {
        condition.lock()
        wakeups += 1
        condition.broadcast()
        condition.unlock()
    }

    private func runJobs() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if stopping && (shared == nil || queue.isEmpty) { condition.unlock(); return }
            let job = queue.removeFirst()
            running += 1
            condition.unlock()
            execute(job)
            condition.lock()
            running -= 1
            if shared != nil { jobs[job.id] = nil; wakeups += 1 } else { pruneFinished() }
            condition.broadcast()
            condition.unlock()
        }
    }

    // MARK: - shared store: claims and heartbeats

    /// Claims jobs while slots are free; sleeps until woken (a notification, a submission, a finished
    /// job) or for one second, which also picks up jobs whose lease expired on a dead replica.
    private func dispatchLoop() {
        guard let shared else { return }
        var seen = -1
        while true {
            condition.lock()
            if wakeups == seen && !stopping { _ = condition.wait(until: Date().addingTimeInterval(1)) }
            seen = wakeups
            if stopping { condition.unlock(); return }
            var free = maxConcurrent - running - queue.count
            let kinds = Array(resumers.keys)
            condition.unlock()
            while free > 0 {
                let claimed: JobSnapshot?
                do { claimed = try shared.claim(kinds: kinds, lease: lease) } catch { break }
                guard var snapshot = claimed else { break }
                condition.lock()
                let rebuild = resumers[snapshot.kind]
                condition.unlock()
                guard let spec = snapshot.spec, let work = rebuild?(spec) else {
                    snapshot.status = .failed
                    snapshot.finishedAt = Date()
                    snapshot.runningOn = nil
                    snapshot.error = JobError(status: 500, detail: "this job's request cannot be rebuilt")
                    _ = try? shared.finish(snapshot)
                    continue
                }
                let job = Job(id: snapshot.id, kind: snapshot.kind, spec: spec, createdAt: snapshot.createdAt, traceId: snapshot.traceId, work: work)
                job.mutate { s in
                    s = snapshot
                    s.status = .running
                    s.runningOn = instanceID
                    if s.startedAt == nil { s.startedAt = Date() }
                }
                if snapshot.progress.done > 0 {
                    log.event("job resumed", [("id", job.id), ("kind", job.kind), ("from", String(snapshot.progress.done))])
                }
                condition.lock()
                jobs[job.id] = job
                queue.append(job)
                condition.broadcast()
                condition.unlock()
                free -= 1
            }
        }
    }

    /// Every 0.5 s: writes the progress of each job running here and renews its lease. A job the store
    /// no longer gives to this replica is stopped (cancelled elsewhere, or taken over after a stall).
    private func heartbeatLoop() {
        guard let shared else { return }
        var lastPrune = Date.distantPast
        while true {
            Thread.sleep(forTimeInterval: 0.5)
            condition.lock()
            let local = Array(jobs.values)
            let done = stopping && running == 0 && queue.isEmpty
            condition.unlock()
            if done { return }
            for job in local {
                let s = job.current
                guard s.status == .running, !job.isLost else { continue }
                do {
                    if try !shared.renew(s, lease: lease) {
                        if let stored = try shared.load(id: s.id), stored.status == .cancelled {
                            _ = job.cancel()
                        } else if !job.current.status.isFinished {
                            job.markLost()
                            log.event("job lease lost", level: "warn", [("id", s.id), ("kind", s.kind)])
                        }
                    }
                } catch {
                    // The database is unreachable: keep computing; the next heartbeat tries again.
                }
            }
            if Date().timeIntervalSince(lastPrune) > 60 {
                lastPrune = Date()
                try? shared.prune(finishedBefore: retention)
            }
        }
    }

    // MARK: - running one job

    /// Runs a job in its own span of the trace that created it, so the events it logs carry that trace.
    private func execute(_ job: Job) {
        TraceContext.$current.withValue(.resuming(traceID: job.current.traceId)) { run(job) }
    }

    private func run(_ job: Job) {
        if job.current.status == .cancelled { return }
        job.mutate { s in
            s.status = .running
            s.runningOn = instanceID
            if s.startedAt == nil { s.startedAt = Date() }
        }
        if shared == nil { try? store.save(job.current) }
        let context = JobContext(job: job, store: store)
        let outcome: Result<String, Error>
        do { outcome = .success(try job.work(context)) } catch { outcome = .failure(error) }
        if job.isLost {
            log.event("job stopped here: another replica runs it", level: "warn", [("id", job.id), ("kind", job.kind)])
            return
        }
        if job.shutdownRequested && !job.current.status.isFinished {
            // Leave the record unfinished: the job resumes from its checkpoint after the restart,
            // or at once on another replica.
            if let shared {
                do {
                    try shared.handBack(job.current)
                    notifyOthers?("job")
                    log.event("job handed back", [("id", job.id), ("kind", job.kind), ("at", String(job.current.progress.done))])
                } catch {
                    log.event("job not handed back; its lease will expire", level: "warn", [("id", job.id), ("error", "\(error)")])
                }
            } else {
                job.mutate { $0.runningOn = nil }
                try? store.save(job.current)
            }
            return
        }
        if job.current.status == .cancelled { return }
        var final = job.current
        final.finishedAt = Date()
        final.runningOn = nil
        switch outcome {
        case .success(let json):
            final.status = .succeeded
            final.resultJSON = json
            final.progress.fraction = 1
            final.progress.done = max(final.progress.done, final.progress.total)
        case .failure(let error):
            if error is JobCancelled {
                final.status = .cancelled
            } else {
                final.status = .failed
                let api = (error as? APIError) ?? (error as? APIErrorConvertible)?.apiError
                final.error = JobError(status: api?.status.code ?? 500, detail: api?.detail ?? "the job failed: \(error)")
            }
        }
        // No estimate of time left once the job has ended (as `Job.mutate` enforces for what is shown here).
        final.progress.etaSeconds = nil
        if let shared {
            // Stored first, so a reader on any replica sees the outcome as soon as one here does.
            recordOutcome(final, id: job.id, shared)
            job.mutate { $0 = final }
        } else {
            job.mutate { $0 = final }
            do { try store.save(job.current) } catch {
                log.event("job record not saved", level: "error", [("id", job.id), ("error", "\(error)")])
            }
            store.removeCheckpoint(id: job.id)
        }
        log.event("job finished", [("id", job.id), ("kind", job.kind), ("status", job.current.status.rawValue)])
    }

    /// Writes the outcome to the shared store, retrying while the database is unreachable (it may be
    /// restarting), until it is written or the store says another replica has the job.
    private func recordOutcome(_ outcome: JobSnapshot, id: String, _ shared: SharedJobStore) {
        var attempt = 0
        while true {
            do {
                if try !shared.finish(outcome) {
                    log.event("job outcome dropped: another replica runs it", level: "warn", [("id", id)])
                }
                return
            } catch {
                if attempt % 10 == 0 {
                    log.event("job outcome not written yet; retrying", level: "warn", [("id", id), ("error", "\(error)")])
                }
                attempt += 1
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
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
        joinKeys = joinKeys.filter { jobs[$0.value].map { !$0.current.status.isFinished } ?? false }
    }
}
