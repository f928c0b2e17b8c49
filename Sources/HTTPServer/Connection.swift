import Foundation
import HTTPTypes

/// One client connection, owned by one event loop and touched only on its thread.
/// Reads and parses requests, hands each to the responder, writes responses strictly in order,
/// and enforces the head, body, idle and write deadlines.
///
/// The common exchange copies nothing: a request that arrives whole is parsed straight from the loop's read
/// buffer, and an answer made on the I/O thread is written into the loop's write buffer and sent from there, the
/// answers to pipelined requests together in one send. Only what is left over (the start of the next request, or
/// what the socket would not take) is kept in the connection's own `input` and `output`.
final class Connection: @unchecked Sendable {
    enum Phase {
        case awaitingHead
        case readingBody(RequestHead)
        case processing
        case lingering
        case closed
    }

    let fd: Int32
    let loop: EventLoop
    private let server: HTTPServer
    private(set) var phase: Phase = .awaitingHead

    /// Received bytes not yet consumed, from `inputStart` (empty between requests that arrive whole).
    private var input: [UInt8] = []
    private var inputStart = 0
    /// `input.count - inputStart`, kept beside it: the hot path reads this integer instead of the array, whose
    /// every access the compiler has to check dynamically for exclusivity.
    private var unconsumed = 0
    /// Bytes the socket has not taken yet, from `outputStart`.
    private var output: [UInt8] = []
    private var outputStart = 0
    /// `output.count - outputStart`, kept beside it for the same reason.
    private var pendingOutput = 0
    /// Bytes of answers written into the loop's write buffer and not sent yet (zero whenever the loop moves on
    /// to another connection).
    private var staged = 0

    private var idleSince: UInt64
    private var headStartedAt: UInt64 = 0
    private var bodyStartedAt: UInt64 = 0
    private var lastWriteProgress: UInt64 = 0
    /// The kernel's send queue when a write last had to wait (see `checkDeadlines`).
    private var kernelQueued = Int.max
    private var lingerDeadline: UInt64 = 0
    private var chunkedDecoder: ChunkedBodyDecoder?
    private var closeWhenFlushed = false
    private var peerClosed = false
    private var interest: UInt32 = Posix.readable | Posix.hangup
    private var stream: StreamChannel?

    /// False for a connection refused over the limit: it never counted towards it.
    private let counted: Bool

    init(fd: Int32, loop: EventLoop, counted: Bool = true) {
        self.fd = fd
        self.loop = loop
        self.server = loop.server
        self.counted = counted
        self.idleSince = loop.now
    }

    private var hasPendingOutput: Bool { pendingOutput > 0 }
    /// Still taking requests: not closed, lingering or closing after its last response.
    private var isOpen: Bool {
        switch phase {
        case .closed, .lingering: return false
        default: return !closeWhenFlushed
        }
    }

    // MARK: events

    func handle(events: UInt32) {
        if events & (Posix.readable | Posix.hangup) != 0 { readAvailable() }
        if case .closed = phase { return }
        if events & Posix.writable != 0 && hasPendingOutput {
            flush()
            // Pipelined requests held back while the client read nothing go on once their answers have left.
            if !hasPendingOutput, case .awaitingHead = phase, unconsumed > 0 {
                advance()
                sendStaged()
                updateInterest()
            }
        }
    }

    /// Answers waiting for a client that does not read, past which the connection stops reading and answering
    /// pipelined requests until they have left: a client that sends without reading cannot make it buffer
    /// answers without bound.
    static let maxPendingOutput = 1 << 20

    private func readAvailable() {
        let buffer = loop.readBuffer
        var total = 0
        while true {
            if case .closed = phase { return }
            // While a request is being answered, buffer at most `maxPipelinedBytes` of what follows.
            if case .processing = phase, unconsumed >= server.configuration.maxPipelinedBytes { break }
            if pendingOutput > Self.maxPendingOutput { break }
            switch Posix.read(fd, into: buffer) {
            case .bytes(let n):
                if case .lingering = phase { continue } // discard while closing
                total += n
                received(UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n))
                if n < buffer.count || total >= 1 << 20 { sendStaged(); updateInterest(); return }
            case .wouldBlock:
                sendStaged(); updateInterest(); return
            case .endOfFile:
                peerClosed = true
                switch phase {
                case .processing:
                    sendStaged(); updateInterest(); return // answer what was asked, then close
                case .awaitingHead where unconsumed == 0 && !hasPendingOutput && staged == 0:
                    close(); return
                case .lingering:
                    close(); return
                default:
                    advance()
                    sendStaged()
                    if case .closed = phase { return }
                    if case .processing = phase { updateInterest(); return }
                    closeWhenFlushed = true
                    if !hasPendingOutput { close() } else { updateInterest() }
                    return
                }
            case .failed:
                close(); return
            }
        }
        sendStaged()
        updateInterest()
    }

    /// New bytes from the socket: parsed where they lie when nothing is left over from before, else added to
    /// what is; whatever is not consumed stays in `input`.
    private func received(_ bytes: UnsafeBufferPointer<UInt8>) {
        if unconsumed == 0, case .awaitingHead = phase {
            let used = process(bytes)
            if used < bytes.count && isOpen {
                input.removeAll(keepingCapacity: input.capacity <= 64 * 1024)
                input.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[used...]))
                inputStart = 0
                unconsumed = bytes.count - used
            }
            return
        }
        if inputStart > 0 && unconsumed == 0 { input.removeAll(keepingCapacity: true); inputStart = 0 }
        input.append(contentsOf: bytes)
        unconsumed += bytes.count
        advance()
    }

    /// Parses and dispatches what `input` holds, as far as it goes.
    private func advance() {
        guard unconsumed > 0 else { return }
        // The bytes are moved out while they are read, so that nothing the requests trigger can touch them.
        var pending: [UInt8] = []
        swap(&pending, &input)
        let start = inputStart
        let used = pending.withUnsafeBufferPointer { process(UnsafeBufferPointer(rebasing: $0[start...])) }
        guard isOpen else { inputStart = 0; unconsumed = 0; return }
        if start + used == pending.count {
            pending.removeAll(keepingCapacity: pending.capacity <= 64 * 1024)
            inputStart = 0
        } else {
            inputStart = start + used
        }
        unconsumed = pending.count - inputStart
        input = pending
    }

    /// Parses requests from `bytes` and dispatches each one complete; returns how many bytes it consumed. Stops
    /// at an incomplete request, or when a request goes to a worker (the rest waits for its answer).
    private func process(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var position = 0
        while true {
            switch phase {
            case .awaitingHead:
                guard position < bytes.count, pendingOutput <= Self.maxPendingOutput else { return position }
                if headStartedAt == 0 { headStartedAt = loop.now }
                switch server.parser.parse(UnsafeBufferPointer(rebasing: bytes[position...])) {
                case .incomplete:
                    if peerClosed { close() }
                    return position
                case .failure(let error):
                    refuse(error)
                    return position
                case .complete(let head, let consumed):
                    position += consumed
                    if head.isUnknownMethod {
                        refuse(HTTPParseError(.notImplemented, "method \(head.method.rawValue) is not implemented"))
                        return position
                    }
                    switch head.framing {
                    case .none:
                        dispatch(head, body: [])
                    case .contentLength(let n):
                        if head.expectsContinue && bytes.count - position < n { enqueue(Self.continueBytes) }
                        bodyStartedAt = loop.now
                        phase = .readingBody(head)
                    case .chunked:
                        if head.expectsContinue && bytes.count == position { enqueue(Self.continueBytes) }
                        chunkedDecoder = ChunkedBodyDecoder(maxBodyBytes: server.configuration.maxBodyBytes, maxLineBytes: server.configuration.maxHeaderBytes)
                        bodyStartedAt = loop.now
                        phase = .readingBody(head)
                    }
                }
            case .readingBody(let head):
                if case .contentLength(let n) = head.framing {
                    guard bytes.count - position >= n else {
                        if peerClosed { close() }
                        return position
                    }
                    let body = Array(UnsafeBufferPointer(rebasing: bytes[position..<(position + n)]))
                    position += n
                    dispatch(head, body: body)
                } else {
                    // The decoder is moved out while it works (a property kept in an access across the call
                    // would be checked for exclusivity on every request, chunked or not).
                    var consumed = 0
                    var decoder = chunkedDecoder.take()!
                    let step = decoder.feed(UnsafeBufferPointer(rebasing: bytes[position...]), consumed: &consumed)
                    position += consumed
                    switch step {
                    case .needMore:
                        chunkedDecoder = decoder
                        if peerClosed { close() }
                        return position
                    case .failure(let error):
                        refuse(error)
                        return position
                    case .done:
                        dispatch(head, body: decoder.body)
                    }
                }
            case .processing, .lingering, .closed:
                return position
            }
        }
    }

    private static let continueBytes = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    // MARK: dispatch

    /// Answers a complete request: on this thread when the responder answers it inline (the response is staged
    /// in the loop's write buffer and the connection is ready for the next request at once), else on a worker.
    private func dispatch(_ head: RequestHead, body: [UInt8]) {
        phase = .processing
        headStartedAt = 0
        let request = HTTPServerRequest(head: head, body: body)
        let server = self.server
        guard server.responder.respondsInline(to: request) else {
            submit(request, inline: nil)
            return
        }
        let inline = server.responder.respond(to: request)
        if inline.stream != nil {
            submit(request, inline: inline)
            return
        }
        let message = ResponseEncoder.message(inline, request: head, keepAlive: head.keepAlive && !server.isDraining && !peerClosed,
                                              threshold: server.configuration.compressionThreshold)
        stage(message)
        if message.keepAlive && !peerClosed && !server.isDraining {
            phase = .awaitingHead
            idleSince = loop.now
        } else {
            closeAfterResponse()
        }
    }

    /// Answers a request on a worker thread (`inline`: the streamed answer the responder already made).
    private func submit(_ request: HTTPServerRequest, inline: HTTPServerResponse?) {
        let head = request.head
        let server = self.server
        let threshold = server.configuration.compressionThreshold
        let loop = self.loop
        server.workers.submit { [self] in
            // An inline answer with a streamed body is produced on the worker like any other stream.
            let response = inline ?? server.responder.respond(to: request)
            let keepAlive = head.keepAlive && !server.isDraining
            if let stream = response.stream {
                let length = stream.length, producer = stream.producer
                let plan = ResponseEncoder.planStream(response, length: length, request: head, keepAlive: keepAlive)
                let channel = StreamChannel(loop: loop, connection: self, writeTimeout: server.configuration.writeTimeout, plan: plan)
                loop.execute { self.attach(channel) }
                var completed = false
                if plan.sendBody {
                    do {
                        try producer(channel)
                        try channel.finish()
                        completed = true
                    } catch {
                        completed = false
                    }
                } else {
                    completed = (try? channel.sendRaw([])) != nil
                }
                let keep = plan.keepAlive && completed
                let finished = completed
                loop.execute { self.streamEnded(channel, keepAlive: keep, completed: finished) }
            } else {
                let prepared = ResponseEncoder.prepare(response, request: head, keepAlive: keepAlive, threshold: threshold)
                loop.execute { self.responseReady(prepared.bytes, keepAlive: prepared.keepAlive) }
            }
        }
    }

    /// A complete response is ready to go: queue it, then either read the next request or close.
    func responseReady(_ bytes: [UInt8], keepAlive: Bool) {
        if case .closed = phase { return }
        enqueue(bytes)
        finishExchange(keepAlive: keepAlive)
    }

    private func finishExchange(keepAlive: Bool) {
        if case .closed = phase { return }
        if keepAlive && !peerClosed && !server.isDraining {
            phase = .awaitingHead
            idleSince = loop.now
            advance() // pipelined requests may already be buffered
            sendStaged()
            if case .closed = phase { return }
        } else {
            closeAfterResponse()
        }
        updateInterest()
    }

    /// The last response is queued: close once it has left.
    private func closeAfterResponse() {
        phase = .processing
        closeWhenFlushed = true
        sendStaged()
        if case .closed = phase { return }
        if !hasPendingOutput { startLingering() }
    }

    func attach(_ channel: StreamChannel) {
        if case .closed = phase { channel.connectionClosed(); return }
        stream = channel
    }

    func streamEnded(_ channel: StreamChannel, keepAlive: Bool, completed: Bool) {
        stream = nil
        if case .closed = phase { return }
        if !completed {
            // The body broke off mid-way; the only honest signal left is closing the connection.
            closeWhenFlushed = true
            if !hasPendingOutput { close() } else { updateInterest() }
            return
        }
        finishExchange(keepAlive: keepAlive)
    }

    /// Queues bytes from a streamed body (called on the loop thread).
    func enqueueStreamBytes(_ bytes: [UInt8], channel: StreamChannel) {
        if case .closed = phase { channel.connectionClosed(); return }
        enqueue(bytes)
        if case .closed = phase { return }
        channel.update(pending: pendingOutput)
    }

    // MARK: writing

    /// Writes a response into the loop's write buffer, after the answers already staged there; one that does not
    /// fit goes out through `enqueue` (after them).
    private func stage(_ message: ResponseEncoder.Message) {
        let buffer = loop.writeBuffer
        var writer = ByteWriter(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + staged, capacity: buffer.count - staged)
        ResponseEncoder.write(message, into: &writer)
        if !writer.overflowed {
            staged += writer.count
            return
        }
        sendStaged()
        if staged == 0 {
            var retry = ByteWriter(buffer)
            ResponseEncoder.write(message, into: &retry)
            if !retry.overflowed { staged = retry.count; return }
        }
        enqueue(ResponseEncoder.encode(message))
    }

    /// Sends what is staged in the loop's write buffer (keeping in `output` what the socket does not take).
    private func sendStaged() {
        guard staged > 0 else { return }
        let bytes = UnsafeRawBufferPointer(start: loop.writeBuffer.baseAddress, count: staged)
        staged = 0
        send(bytes)
    }

    private func enqueue(_ bytes: [UInt8]) {
        if bytes.isEmpty { return }
        sendStaged()
        bytes.withUnsafeBytes { send($0) }
    }

    /// Sends `bytes` after any output still waiting: straight from where they are when nothing waits, copying
    /// into `output` only what the socket does not take at once.
    private func send(_ bytes: UnsafeRawBufferPointer) {
        if case .closed = phase { return }
        if hasPendingOutput {
            output.append(contentsOf: bytes)
            pendingOutput += bytes.count
            flush()
            return
        }
        lastWriteProgress = loop.now
        var written = 0
        while written < bytes.count {
            switch Posix.write(fd, UnsafeRawBufferPointer(rebasing: bytes[written...])) {
            case .wrote(let n):
                written += n
            case .wouldBlock:
                kernelQueued = Posix.unsentBytes(fd)
                output.removeAll(keepingCapacity: output.capacity <= 256 * 1024)
                outputStart = 0
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[written...]))
                pendingOutput = output.count
                stream?.update(pending: pendingOutput)
                updateInterest()
                return
            case .failed:
                close(); return
            }
        }
    }

    private func flush() {
        while hasPendingOutput {
            let result = output.withUnsafeBytes { raw in
                Posix.write(fd, UnsafeRawBufferPointer(rebasing: raw[outputStart...]))
            }
            switch result {
            case .wrote(let n):
                outputStart += n
                pendingOutput -= n
                lastWriteProgress = loop.now
            case .wouldBlock:
                kernelQueued = Posix.unsentBytes(fd)
                updateInterest()
                stream?.update(pending: pendingOutput)
                return
            case .failed:
                close(); return
            }
        }
        if output.capacity > 0 {
            output.removeAll(keepingCapacity: output.capacity <= 256 * 1024)
            outputStart = 0
            stream?.update(pending: 0)
        }
        if closeWhenFlushed, stream == nil {
            if case .lingering = phase {} else if case .closed = phase {} else if peerClosed { close(); return } else { startLingering(); return }
        }
        updateInterest()
    }

    /// Lingering close: stop sending, read and discard briefly so an RST cannot destroy the response.
    private func startLingering() {
        if case .closed = phase { return }
        phase = .lingering
        Posix.shutdownWrite(fd)
        lingerDeadline = loop.now + 2_000_000_000
        updateInterest()
    }

    private func refuse(_ error: HTTPParseError) {
        server.responder.didRefuse(error)
        refuse(HTTPServerResponse.problem(status: error.status, detail: error.detail))
    }

    private func refuse(_ response: HTTPServerResponse) {
        let head = RequestHead(method: .get, target: "/", path: "/", query: nil, minorVersion: 1, headerFields: RequestFields(),
                               framing: .none, expectsContinue: false, keepAlive: false, isUnknownMethod: false)
        let prepared = ResponseEncoder.prepare(response, request: head, keepAlive: false, threshold: Int.max)
        phase = .processing
        input.removeAll(); inputStart = 0; unconsumed = 0
        responseReady(prepared.bytes, keepAlive: false)
    }

    /// Over the connection limit: answer 503 at once and close (lingering, so the answer arrives).
    func refuseOverLimit() {
        var response = HTTPServerResponse.problem(status: .serviceUnavailable, detail: "too many open connections")
        response.headerFields[.retryAfter] = "1"
        refuse(response)
    }

    private func updateInterest() {
        if case .closed = phase { return }
        var wanted = Posix.hangup
        var reading = true
        if case .processing = phase, unconsumed >= server.configuration.maxPipelinedBytes { reading = false }
        if pendingOutput > Self.maxPendingOutput { reading = false }
        if peerClosed { reading = false }
        if reading { wanted |= Posix.readable }
        if hasPendingOutput { wanted |= Posix.writable }
        if peerClosed && !hasPendingOutput { wanted &= ~Posix.hangup }
        if wanted != interest {
            interest = wanted
            loop.reregister(fd, events: wanted)
        }
    }

    // MARK: deadlines and closing

    func checkDeadlines(now: UInt64) {
        let c = server.configuration
        if hasPendingOutput && now - lastWriteProgress > UInt64(c.writeTimeout * 1e9) {
            // A client that reads slowly drains the kernel's send queue without the socket turning writable (the
            // kernel waits for a third of the queue to free up): the queue shrinking is progress too.
            let queued = Posix.unsentBytes(fd)
            guard queued >= 0, queued < kernelQueued else { close(); return }
            kernelQueued = queued
            lastWriteProgress = now
        }
        switch phase {
        case .awaitingHead:
            if headStartedAt != 0 && unconsumed > 0 {
                if pendingOutput > Self.maxPendingOutput {
                    // The server itself stopped reading until its answers leave: the rest of this head waits in
                    // the socket through no fault of the client, so its clock starts again when reading resumes.
                    headStartedAt = now
                } else if now - headStartedAt > UInt64(c.headTimeout * 1e9) {
                    refuse(HTTPParseError(.requestTimeout, "request head not received within \(c.headTimeout) s"))
                }
            } else if !hasPendingOutput && (now - idleSince > UInt64(c.idleTimeout * 1e9) || (server.isDraining && now - idleSince > UInt64(c.drainIdleTimeout * 1e9))) {
                close()
            }
        case .readingBody:
            if now - bodyStartedAt > UInt64(c.bodyTimeout * 1e9) {
                refuse(HTTPParseError(.requestTimeout, "request body not received within \(c.bodyTimeout) s"))
            }
        case .lingering:
            if now > lingerDeadline { close() }
        case .processing, .closed:
            break
        }
    }

    func close() {
        if case .closed = phase { return }
        phase = .closed
        stream?.connectionClosed()
        stream = nil
        loop.deregister(fd)
        Posix.close(fd)
        input = []; output = []; unconsumed = 0; pendingOutput = 0
        loop.connectionClosed(fd, counted: counted)
    }
}
