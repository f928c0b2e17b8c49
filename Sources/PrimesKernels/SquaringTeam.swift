import Foundation
import Synchronization

/// Two threads on one transform: the caller's thread does part 0 of each job and a worker thread of its
/// own part 1, meeting at spin barriers between the steps that depend on each other's data.
///
/// A squaring of a few hundred microseconds has four barriers, so they must cost far less than a condition
/// variable's wake-up: each thread bumps its own counter (on its own cache line) and spins until the other's
/// counter catches up, yielding the processor after a while so that a descheduled partner on a busy machine
/// gets to run. Between jobs the worker spins briefly, then sleeps on a semaphore until the next job.
///
/// The worker holds the team, not its owner: `stop()` (from the owner's deinit) ends it.
package final class SquaringTeam: @unchecked Sendable {
    /// One counter alone on its cache line (64 bytes of padding on either side).
    private final class Counter: @unchecked Sendable {
        private let before: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
        let value = Atomic<Int>(0)
        private let after: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    }

    /// Jobs posted so far.
    private let posted = Counter()
    /// Barriers passed by each thread.
    private let arrivals = [Counter(), Counter()]
    private let sleeping = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    /// The job: called with the part (0 on the caller's thread, 1 on the worker).
    private let work: @Sendable (Int) -> Void

    /// Spins before yielding the processor while waiting (at a barrier or for a job), and yields before the
    /// idle worker sleeps (some tens of microseconds of spinning, then about a millisecond of yielding).
    private static let spins = 4000, idleYields = 2000

    package init(work: @escaping @Sendable (Int) -> Void) {
        self.work = work
        let thread = Thread { [self] in self.workerLoop() }
        thread.name = "ibdwt-worker"
        thread.start()
    }

    /// Runs the job on both threads; returns when both parts are done.
    package func run() {
        posted.value.add(1, ordering: .sequentiallyConsistent)
        if sleeping.load(ordering: .sequentiallyConsistent) { wake.signal() }
        work(0)
        barrier(0)
    }

    /// Waits until the other thread has reached the same barrier. Every job calls it equally often on both parts.
    package func barrier(_ part: Int) {
        let target = arrivals[part].value.add(1, ordering: .releasing).newValue
        let other = arrivals[1 - part]
        var spins = 0
        while other.value.load(ordering: .acquiring) < target {
            spins += 1
            if spins > Self.spins { sched_yield() }
        }
    }

    /// Ends the worker thread after its current job (the owner is going away).
    package func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        posted.value.add(1, ordering: .sequentiallyConsistent)
        wake.signal()
    }

    private func workerLoop() {
        var seen = 0
        while true {
            var spins = 0
            while posted.value.load(ordering: .acquiring) == seen {
                spins += 1
                if spins > Self.spins + Self.idleYields {
                    sleeping.store(true, ordering: .sequentiallyConsistent)
                    if posted.value.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
                    sleeping.store(false, ordering: .sequentiallyConsistent)
                    spins = 0
                } else if spins > Self.spins {
                    sched_yield()
                }
            }
            seen += 1
            if stopped.load(ordering: .sequentiallyConsistent) { return }
            work(1)
            barrier(1)
        }
    }
}
