import Foundation

/// One I/O thread: an epoll instance, the connections it accepted, a task queue other threads post to
/// (woken through an eventfd), and a timer sweep that enforces every deadline.
final class EventLoop: @unchecked Sendable {
    let server: HTTPServer
    let index: Int
    private let epfd: Int32
    private let wakeFd: Int32
    private let lock = NSLock()
    private var tasks: [@Sendable () -> Void] = []
    private var listenerFd: Int32 = -1
    private var listenerActive = false
    private var listenerPausedUntil: UInt64 = 0
    private var stopped = false
    /// The open connections, indexed by descriptor (descriptors are small integers, reused after close).
    private var table: [Connection?] = []
    private(set) var connectionCount = 0
    /// Scratch space for reads: a request that arrives whole is parsed where it lies; connections copy out
    /// only what they keep.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    /// Scratch space for answers made on this thread, staged by one connection at a time and sent before the loop
    /// moves on.
    let writeBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    private(set) var now: UInt64 = Posix.monotonicNanos()
    /// Returns from epoll so far (read on this thread: see `HTTPServer.loopPasses`).
    private(set) var passes = 0
    /// Yields between passes so far (read on this thread).
    private(set) var yieldsMade = 0
    private let finished = NSCondition()
    private var isFinished = false

    init(server: HTTPServer, index: Int) throws {
        self.server = server
        self.index = index
        epfd = try Posix.epollCreate()
        wakeFd = try Posix.eventCreate()
        Posix.epollAdd(epfd, wakeFd, events: Posix.readable)
    }

    deinit {
        readBuffer.deallocate()
        writeBuffer.deallocate()
        Posix.close(epfd)
        Posix.close(wakeFd)
    }

    /// Runs `task` on this loop's thread.
    func execute(_ task: @escaping @Sendable () -> Void) {
        lock.lock()
        tasks.append(task)
        lock.unlock()
        Posix.eventSignal(wakeFd)
    }

    func start(listener: Int32) {
        listenerFd = listener
        listenerActive = Posix.epollAdd(epfd, listener, events: Posix.readable | Posix.exclusive)
        let t = Thread { [self] in self.run() }
        t.name = "io-\(index)"
        t.start()
    }

    /// Stops watching the listener after taking in the backlog; `done` runs on this loop once it has.
    func stopAccepting(done: @escaping @Sendable () -> Void) {
        execute { [self] in
            // Take in what the kernel has already accepted, so no connection in the backlog is reset;
            // those connections get a moment to send their request and are answered with Connection: close.
            if listenerActive { while acceptConnections() {} }
            if listenerActive { Posix.epollRemove(epfd, listenerFd) }
            listenerActive = false
            listenerFd = -1
            done()
        }
    }

    func stop() { execute { [self] in stopped = true } }

    func waitUntilFinished() {
        finished.lock()
        while !isFinished { finished.wait() }
        finished.unlock()
    }

    func register(_ fd: Int32, events: UInt32) { Posix.epollAdd(epfd, fd, events: events) }
    func reregister(_ fd: Int32, events: UInt32) { Posix.epollModify(epfd, fd, events: events) }
    func deregister(_ fd: Int32) { Posix.epollRemove(epfd, fd) }

    private func run() {
        var fds = [Int32](repeating: 0, count: 256)
        var events = [UInt32](repeating: 0, count: 256)
        var nextSweep = Posix.monotonicNanos()
        let yields = server.configuration.yieldBetweenPasses
        let thresholds = server.configuration.crowdedBusy
        // Whether this thread is busy enough to yield between passes, judged every 10 ms from its CPU time.
        var crowded = false
        var windowStart = nextSweep
        var cpuAtWindowStart = Posix.threadCPUNanos()
        // True after a pass that found work while crowded: the next wait only polls.
        var polling = false
        while !stopped {
            let n = Posix.epollWait(epfd, fds: &fds, events: &events, timeoutMs: polling ? 0 : 100)
            now = Posix.monotonicNanos()
            passes &+= 1
            var woken = false
            for i in 0..<n {
                let fd = fds[i]
                if fd == wakeFd {
                    Posix.eventDrain(wakeFd)
                    woken = true
                } else if fd == listenerFd && listenerActive {
                    acceptConnections()
                } else if Int(fd) < table.count, let connection = table[Int(fd)] {
                    connection.handle(events: events[i])
                }
            }
            // Every task posted signals the eventfd, so the queue needs a look only when it did.
            if woken { runTasks() }
            if now >= nextSweep {
                sweep()
                nextSweep = now + 100_000_000
            }
            if yields && now &- windowStart >= 10_000_000 {
                let cpu = Posix.threadCPUNanos()
                let busy = Double(cpu &- cpuAtWindowStart) / Double(now &- windowStart)
                crowded = busy >= (crowded ? thresholds.leave : thresholds.enter)
                windowStart = now
                cpuAtWindowStart = cpu
            }
            polling = crowded && n > 0
            if polling {
                Posix.yieldCore()
                yieldsMade &+= 1
            }
        }
        for connection in openConnections { connection.close() }
        finished.lock()
        isFinished = true
        finished.broadcast()
        finished.unlock()
    }

    private func runTasks() {
        while true {
            lock.lock()
            let batch = tasks
            tasks.removeAll(keepingCapacity: true)
            lock.unlock()
            if batch.isEmpty { return }
            for task in batch { task() }
        }
    }

    /// Accepts up to 64 connections; true when it stopped at that count (more may be waiting).
    @discardableResult
    private func acceptConnections() -> Bool {
        for _ in 0..<64 {
            switch Posix.accept(listenerFd) {
            case .accepted(let fd):
                let admitted = server.admitConnection()
                let owner = server.loopForNewConnection()
                if owner === self { adopt(fd, admitted: admitted) } else { owner.execute { owner.adopt(fd, admitted: admitted) } }
            case .wouldBlock:
                return false
            case .outOfDescriptors:
                // Back off: stop watching the listener for a moment instead of spinning on EMFILE.
                Posix.epollRemove(epfd, listenerFd)
                listenerActive = false
                listenerPausedUntil = now + 100_000_000
                return false
            case .failed:
                return false
            }
        }
        return true
    }

    /// Takes ownership of an accepted socket; runs on this loop's thread.
    func adopt(_ fd: Int32, admitted: Bool) {
        let connection = Connection(fd: fd, loop: self, counted: admitted)
        let slot = Int(fd)
        if slot >= table.count { table.append(contentsOf: repeatElement(nil, count: max(slot + 1 - table.count, table.count))) }
        table[slot] = connection
        connectionCount += 1
        register(fd, events: Posix.readable | Posix.hangup)
        if !admitted { connection.refuseOverLimit() }
    }

    func connectionClosed(_ fd: Int32, counted: Bool) {
        if Int(fd) < table.count, table[Int(fd)] != nil {
            table[Int(fd)] = nil
            connectionCount -= 1
        }
        if counted { server.releaseConnection() }
    }

    private func sweep() {
        if !listenerActive && listenerFd >= 0 && now >= listenerPausedUntil && listenerPausedUntil != 0 {
            listenerActive = Posix.epollAdd(epfd, listenerFd, events: Posix.readable | Posix.exclusive)
            listenerPausedUntil = 0
        }
        for connection in openConnections { connection.checkDeadlines(now: now) }
    }

    /// The connections open now (a copy: closing one while walking them is safe).
    var openConnections: [Connection] {
        var open: [Connection] = []
        open.reserveCapacity(connectionCount)
        for fd in 0..<table.count { if let connection = table[fd] { open.append(connection) } }
        return open
    }
}
