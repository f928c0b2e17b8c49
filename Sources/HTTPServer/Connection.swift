import Foundation
import HTTPTypes

/// One client connection, owned by one event loop and touched only on its thread.
/// Reads and parses requests, hands each to the responder, writes responses strictly in order,
/// and enforces the head, body, idle and write deadlines.
final class Connection: @unchecked Sendable {
    enum Phase {
        case awaitingHead
        case readingBody(RequestHead)
        case processing
        case lingering
        case closed
    }

    let fd: Int32
    unowned let loop: EventLoop
    private var server: HTTPServer { loop.server }
    private(set) var phase: Phase = .awaitingHead

    private var input: [UInt8] = []
    private var inputStart = 0
    private var output: [UInt8] = []
    private var outputStart = 0

    private var idleSince: UInt64
    private var headStartedAt: UInt64 = 0
    private var bodyStartedAt: UInt64 = 0
    private var lastWriteProgress: UInt64 = 0
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
        self.counted = counted
        self.idleSince = loop.now
    }

    private var unconsumed: Int { input.count - inputStart }
    private var hasPendingOutput: Bool { outputStart < output.count }

    // MARK: events

    func handle(events: UInt32) {
        if events & (Posix.readable | Posix.hangup) != 0 { readAvailable() }
        if case .closed = phase { return }
        if events & Posix.writable != 0 { flush() }
    }

    private func readAvailable() {
        var total = 0
        while true {
            if case .closed = phase { return }
            // While a request is being answered, buffer at most `maxPipelinedBytes` of what follows.
            if case .processing = phase, unconsumed >= server.configuration.maxPipelinedBytes { break }
            switch Posix.read(fd, into: loop.readBuffer) {
            case .bytes(let n):
                if case .lingering = phase { continue } // discard while closing
                if inputStart > 0 && inputStart == input.count { input.removeAll(keepingCapacity: true); inputStart = 0 }
                input.append(contentsOf: UnsafeRawBufferPointer(rebasing: loop.readBuffer[0..<n]))
                total += n
                if n < loop.readBuffer.count || total >= 1 << 20 { advance(); updateInterest(); return }
            case .wouldBlock:
                advance(); updateInterest(); return
            case .endOfFile:
                peerClosed = true
                switch phase {
                case .processing:
                    advance(); updateInterest(); return // answer what was asked, then close
                case .awaitingHead where unconsumed == 0 && !hasPendingOutput:
                    close(); return
                case .lingering:
                    close(); return
                default:
                    advance()
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
        advance()
        updateInterest()
    }

    /// Parses as far as the buffered input allows and dispatches complete requests.
    private func advance() {
        while true {
            switch phase {
            case .awaitingHead:
                guard unconsumed > 0 else { return }
                if headStartedAt == 0 { headStartedAt = loop.now }
                let result = input.withUnsafeBufferPointer { buf in
                    server.parser.parse(UnsafeBufferPointer(rebasing: buf[inputStart...]))
                }
                switch result {
                case .incomplete:
                    if peerClosed { close() }
                    return
                case .failure(let error):
                    refuse(error); return
                case .complete(let head, let consumed):
                    inputStart += consumed
                    if head.isUnknownMethod {
                        refuse(HTTPParseError(.notImplemented, "method \(head.method.rawValue) is not implemented")); return
                    }
                    switch head.framing {
                    case .none:
                        dispatch(head, body: [])
                    case .contentLength(let n):
                        if head.expectsContinue && unconsumed < n { enqueue(Self.continueBytes) }
                        bodyStartedAt = loop.now
                        phase = .readingBody(head)
                    case .chunked:
                        if head.expectsContinue && unconsumed == 0 { enqueue(Self.continueBytes) }
                        chunkedDecoder = ChunkedBodyDecoder(maxBodyBytes: server.configuration.maxBodyBytes, maxLineBytes: server.configuration.maxHeaderBytes)
                        bodyStartedAt = loop.now
                        phase = .readingBody(head)
                    }
                }
            case .readingBody(let head):
                if case .contentLength(let n) = head.framing {
                    guard unconsumed >= n else {
                        if peerClosed { close() }
                        return
                    }
                    let body = Array(input[inputStart..<(inputStart + n)])
                    inputStart += n
                    dispatch(head, body: body)
                } else {
                    var consumed = 0
                    let step = input.withUnsafeBufferPointer { buf in
                        chunkedDecoder!.feed(UnsafeBufferPointer(rebasing: buf[inputStart...]), consumed: &consumed)
                    }
                    inputStart += consumed
                    switch step {
                    case .needMore:
                        if peerClosed { close() }
                        return
                    case .failure(let error):
                        refuse(error); return
                    case .done:
                        let body = chunkedDecoder!.body
                        chunkedDecoder = nil
                        dispatch(head, body: body)
                    }
                }
            case .processing, .lingering, .closed:
                return
            }
        }
    }

    private static let continueBytes = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    // MARK: dispatch

    private func dispatch(_ head: RequestHead, body: [UInt8]) {
        phase = .processing
        headStartedAt = 0
        if inputStart == input.count { input.removeAll(keepingCapacity: input.capacity <= 64 * 1024); inputStart = 0 }
        let request = HTTPServerRequest(method: head.method, target: head.target, path: head.path, query: head.query,
                                        minorVersion: head.minorVersion, headerFields: head.headerFields, body: body)
        let server = self.server
        let loop = self.loop
        let threshold = server.configuration.compressionThreshold
        let inline = server.responder.respondInline(to: request)
        if let inline, case .bytes(let bytes) = inline.body {
            let prepared = ResponseEncoder.prepare(inline, body: bytes, request: head, keepAlive: head.keepAlive && !server.isDraining && !peerClosed, threshold: threshold)
            responseReady(prepared.bytes, keepAlive: prepared.keepAlive)
            return
        }
        server.workers.submit { [self] in
            // An inline answer with a streamed body is produced on the worker like any other stream.
            let response = inline ?? server.responder.respond(to: request)
            let keepAlive = head.keepAlive && !server.isDraining
            switch response.body {
            case .bytes(let bytes):
                let prepared = ResponseEncoder.prepare(response, body: bytes, request: head, keepAlive: keepAlive, threshold: threshold)
                loop.execute { self.responseReady(prepared.bytes, keepAlive: prepared.keepAlive) }
            case .stream(let length, let producer):
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
            }
        }
    }

    /// A complete response is ready to go: queue it, then either wait for the next request or close.
    func responseReady(_ bytes: [UInt8], keepAlive: Bool) {
        if case .closed = phase { return }
        enqueue(bytes)
        finishExchange(keepAlive: keepAlive)
    }

    private func finishExchange(keepAlive: Bool) {
        if keepAlive && !peerClosed && !server.isDraining {
            phase = .awaitingHead
            idleSince = loop.now
            advance() // a pipelined request may already be buffered
        } else {
            closeWhenFlushed = true
            if !hasPendingOutput { startLingering() }
        }
        updateInterest()
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
        channel.update(pending: output.count - outputStart)
    }

    // MARK: writing

    private func enqueue(_ bytes: [UInt8]) {
        if bytes.isEmpty { return }
        if !hasPendingOutput {
            lastWriteProgress = loop.now
            // Most responses leave in one write, straight from their own buffer; only what the socket does not
            // take at once is copied into `output` to wait for writability.
            var written = 0
            while written < bytes.count {
                let result = bytes.withUnsafeBytes { Posix.write(fd, UnsafeRawBufferPointer(rebasing: $0[written...])) }
                switch result {
                case .wrote(let n):
                    written += n
                case .wouldBlock:
                    output.removeAll(keepingCapacity: output.capacity <= 256 * 1024)
                    outputStart = 0
                    output.append(contentsOf: bytes[written...])
                    flush()
                    return
                case .failed:
                    close(); return
                }
            }
            flush()
            return
        }
        output.append(contentsOf: bytes)
        flush()
    }

    private func flush() {
        while hasPendingOutput {
            let result = output.withUnsafeBytes { raw in
                Posix.write(fd, UnsafeRawBufferPointer(rebasing: raw[outputStart...]))
            }
            switch result {
            case .wrote(let n):
                outputStart += n
                lastWriteProgress = loop.now
            case .wouldBlock:
                updateInterest()
                stream?.update(pending: output.count - outputStart)
                return
            case .failed:
                close(); return
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= 256 * 1024)
        outputStart = 0
        stream?.update(pending: 0)
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
        let head = RequestHead(method: .get, target: "/", path: "/", query: nil, minorVersion: 1, headerFields: HTTPFields(),
                               framing: .none, expectsContinue: false, keepAlive: false, isUnknownMethod: false)
        if case .bytes(let body) = response.body {
            let prepared = ResponseEncoder.prepare(response, body: body, request: head, keepAlive: false, threshold: Int.max)
            phase = .processing
            input.removeAll(); inputStart = 0
            responseReady(prepared.bytes, keepAlive: false)
        }
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
        if hasPendingOutput && now - lastWriteProgress > UInt64(c.writeTimeout * 1e9) { close(); return }
        switch phase {
        case .awaitingHead:
            if headStartedAt != 0 && unconsumed > 0 {
                if now - headStartedAt > UInt64(c.headTimeout * 1e9) {
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
        input = []; output = []
        loop.connectionClosed(fd, counted: counted)
    }
}
