import Foundation
import Synchronization

/// An HTTP/1.1 server on POSIX sockets: `ioThreads` epoll loops accept and parse, `workerThreads`
/// run handlers, and every limit and deadline of `HTTPServerConfiguration` is enforced.
///
/// ```swift
/// let server = HTTPServer(configuration: config, responder: app)
/// try server.start()
/// print("listening on", server.port)
/// server.shutdown()           // stop accepting, finish in-flight requests, close
/// ```
public final class HTTPServer: @unchecked Sendable {
    public let configuration: HTTPServerConfiguration
    let responder: any HTTPResponder
    let parser: RequestHeadParser
    let workers: WorkerPool
    private var loops: [EventLoop] = []
    private var listenerFd: Int32 = -1
    private let connectionCount = Atomic<Int>(0)
    private let nextLoopIndex = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)
    private let stateLock = NSLock()
    private var stopped = false
    /// The port actually bound (useful when the configuration asked for port 0).
    public private(set) var port: Int = 0
    /// The open-file limit in force after raising it.
    public private(set) var openFileLimit: Int = 0

    public init(configuration: HTTPServerConfiguration, responder: any HTTPResponder) {
        self.configuration = configuration
        self.responder = responder
        self.parser = RequestHeadParser(configuration: configuration)
        self.workers = WorkerPool(threads: configuration.workerThreads, name: "worker")
    }

    /// Binds, starts the event loops and returns at once.
    public func start() throws {
        Posix.ignoreSIGPIPE()
        openFileLimit = Posix.raiseOpenFileLimit()
        let (fd, boundPort) = try Posix.listen(host: configuration.host, port: configuration.port, backlog: configuration.listenBacklog)
        listenerFd = fd
        port = boundPort
        for i in 0..<max(1, configuration.ioThreads) {
            let loop = try EventLoop(server: self, index: i)
            loops.append(loop)
        }
        for loop in loops { loop.start(listener: fd) }
    }

    /// Connections currently open.
    public var openConnections: Int { connectionCount.load(ordering: .relaxed) }

    /// True once shutdown has begun: readiness probes should fail.
    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// Requests waiting for a worker thread.
    public var queuedRequests: Int { workers.backlog }

    func admitConnection() -> Bool {
        let n = connectionCount.add(1, ordering: .relaxed).newValue
        if n > configuration.maxConnections {
            connectionCount.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// The loop that owns the next accepted connection: round robin, so that every I/O thread gets its share
    /// (with EPOLLEXCLUSIVE alone, the loop that wakes first accepts a whole burst and serves it alone).
    func loopForNewConnection() -> EventLoop {
        loops[nextLoopIndex.add(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// For each loop, how often it has returned from epoll and how often it yielded between passes, read on the
    /// loops' own threads: an idle server's loops should sleep (a few timer wake-ups a second), whatever they did
    /// under load.
    func loopPasses() -> [(passes: Int, yields: Int)] {
        loops.map { loop in
            let done = DispatchSemaphore(value: 0)
            let counts = Mutex((0, 0))
            loop.execute { counts.withLock { $0 = (loop.passes, loop.yieldsMade) }; done.signal() }
            done.wait()
            return counts.withLock { (passes: $0.0, yields: $0.1) }
        }
    }

    func releaseConnection() { connectionCount.subtract(1, ordering: .relaxed) }

    /// Graceful shutdown: stop accepting (connections already handshaken are still taken in), let in-flight
    /// requests finish and answer any request still arriving on an open connection with `Connection: close`
    /// for up to `gracePeriod` seconds; idle keep-alive connections are closed once idle for
    /// `drainIdleTimeout` (or by their client first); then close everything.
    /// Blocks until done.
    public func shutdown(gracePeriod: Double? = nil) {
        stateLock.lock()
        if stopped { stateLock.unlock(); return }
        stopped = true
        stateLock.unlock()
        draining.store(true, ordering: .relaxed)
        // New connection attempts are dropped from now on, while handshakes under way still complete; after a
        // moment for those, every loop takes in its share of the backlog and the listener closes, so later
        // attempts are refused (a balancer then tries the next replica, even for a POST, as nothing was sent).
        // Closing the listener without this would reset connections that completed their handshake after the
        // last accept, with a request perhaps already sent on them.
        if listenerFd >= 0 && Posix.refuseNewConnections(listenerFd) { usleep(50_000) }
        let stoppedAccepting = DispatchGroup()
        for loop in loops {
            stoppedAccepting.enter()
            loop.stopAccepting { stoppedAccepting.leave() }
        }
        _ = stoppedAccepting.wait(timeout: .now() + 2)
        if listenerFd >= 0 { Posix.close(listenerFd); listenerFd = -1 }
        let deadline = Date().addingTimeInterval(gracePeriod ?? configuration.shutdownGracePeriod)
        while openConnections > 0 && Date() < deadline { usleep(20_000) }
        for loop in loops { loop.stop() }
        for loop in loops { loop.waitUntilFinished() }
        if listenerFd >= 0 { Posix.close(listenerFd); listenerFd = -1 }
        workers.stop()
    }
}
