import Foundation

/// Carries a streamed body from a worker thread to a connection's event loop, with back-pressure:
/// a write blocks while more than `highWater` bytes wait to be sent, and fails once the connection
/// is gone or the client has read nothing for the write timeout.
final class StreamChannel: HTTPBodyWriter, @unchecked Sendable {
    private let condition = NSCondition()
    private var pending = 0
    private var closed = false
    private let loop: EventLoop
    private let connection: Connection
    private let writeTimeout: Double
    private let plan: ResponseEncoder.StreamPlan
    private var headSent = false
    private let gzip: GzipStream?
    private let highWater = 1 << 20

    struct ConnectionGone: Error {}

    init(loop: EventLoop, connection: Connection, writeTimeout: Double, plan: ResponseEncoder.StreamPlan) {
        self.loop = loop
        self.connection = connection
        self.writeTimeout = writeTimeout
        self.plan = plan
        self.gzip = plan.gzip ? GzipStream(level: 6) : nil
    }

    var isClosed: Bool {
        condition.lock(); defer { condition.unlock() }
        return closed
    }

    func write(_ bytes: [UInt8]) throws {
        if bytes.isEmpty { return }
        var payload = bytes
        if let gzip { payload = gzip.compress(bytes, flush: true) }
        if payload.isEmpty { return }
        try sendRaw(plan.chunked ? ResponseEncoder.chunk(payload) : payload)
    }

    func finish() throws {
        var tail: [UInt8] = []
        if let gzip {
            let rest = gzip.finish()
            if !rest.isEmpty { tail = plan.chunked ? ResponseEncoder.chunk(rest) : rest }
        }
        if plan.chunked { tail += ResponseEncoder.lastChunk }
        try sendRaw(tail)
    }

    /// Sends framed bytes (the response head goes first, with the first piece).
    func sendRaw(_ framed: [UInt8]) throws {
        var bytes = framed
        if !headSent {
            headSent = true
            bytes = plan.head + framed
        }
        if bytes.isEmpty { return }
        condition.lock()
        let deadline = Date().addingTimeInterval(writeTimeout)
        while pending > highWater && !closed {
            if !condition.wait(until: deadline) { closed = true }
        }
        if closed { condition.unlock(); throw ConnectionGone() }
        pending += bytes.count
        condition.unlock()
        loop.execute { [connection, bytes] in connection.enqueueStreamBytes(bytes, channel: self) }
    }

    func update(pending now: Int) {
        condition.lock()
        pending = now
        condition.broadcast()
        condition.unlock()
    }

    func connectionClosed() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
