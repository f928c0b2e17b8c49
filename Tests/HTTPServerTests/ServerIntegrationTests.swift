import Foundation
import HTTPTypes
import Testing
import TestSupport
@testable import HTTPServer

/// A responder with a few behaviours the raw-socket tests need.
struct TestResponder: HTTPResponder {
    func respond(to request: HTTPServerRequest) -> HTTPServerResponse {
        switch request.path {
        case "/echo":
            return HTTPServerResponse(status: .ok, contentType: "text/plain", bytes: Array("\(request.method.rawValue) \(request.body.count) \(String(decoding: request.body, as: UTF8.self))".utf8))
        case "/slow":
            usleep(300_000)
            return HTTPServerResponse(status: .ok, contentType: "text/plain", bytes: Array("slow".utf8))
        case "/big":
            return HTTPServerResponse(status: .ok, contentType: "text/plain", bytes: Array(String(repeating: "0123456789", count: 1000).utf8))
        case "/stream":
            return HTTPServerResponse(status: .ok, headerFields: [.contentType: "text/plain"], body: .stream(length: nil) { w in
                for i in 0..<100 { try w.write(Array("line \(i)\n".utf8)) }
            })
        case "/sized-stream":
            return HTTPServerResponse(status: .ok, headerFields: [.contentType: "application/octet-stream"], body: .stream(length: 5000) { w in
                for _ in 0..<5 { try w.write([UInt8](repeating: 65, count: 1000)) }
            })
        case "/healthz":
            return HTTPServerResponse(status: .ok, contentType: "application/json", bytes: Array("{\"status\":\"ok\"}".utf8))
        default:
            return HTTPServerResponse.problem(status: .notFound, detail: "nothing here")
        }
    }

    func respondsInline(to request: HTTPServerRequest) -> Bool { request.path == "/healthz" || request.path == "/stream" }
}

/// Starts an in-process server on a free port with small limits for the tests.
final class TestServer: @unchecked Sendable {
    let server: HTTPServer
    var port: Int { server.port }

    init(configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws {
        var c = HTTPServerConfiguration()
        c.host = "127.0.0.1"
        c.port = 0
        c.maxBodyBytes = 1 << 20
        c.maxHeaderBytes = 4096
        c.maxHeaderCount = 20
        c.maxRequestLineBytes = 1024
        configure(&c)
        server = HTTPServer(configuration: c, responder: TestResponder())
        try server.start()
    }

    deinit { server.shutdown(gracePeriod: 1) }

    /// Sends raw bytes on a fresh connection and returns every response and whether the server closed.
    func exchange(_ raw: String, timeout: Double = 3) throws -> (responses: [RawResponse], closed: Bool, bytes: [UInt8]) {
        let c = try RawHTTPClient(port: port, timeout: timeout)
        try c.send(raw)
        let (bytes, closed) = c.readAll()
        return (RawResponse.parseAll(bytes), closed, bytes)
    }
}

@Suite(.serialized) struct ServerIntegrationTests {
    @Test func keepAliveAndPipelining() throws {
        let s = try TestServer()
        let c = try RawHTTPClient(port: s.port)
        try c.send("GET /echo HTTP/1.1\r\nHost: a\r\n\r\nPOST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        let (bytes, closed) = c.readAll()
        let responses = RawResponse.parseAll(bytes)
        #expect(responses.map(\.text) == ["GET 0 ", "POST 5 hello", "slow", "GET 0 "])
        #expect(responses.last?.header("Connection") == "close")
        #expect(closed)
    }

    @Test func keepAliveSurvivesBetweenRequests() throws {
        let s = try TestServer()
        let c = try RawHTTPClient(port: s.port)
        for i in 0..<3 {
            try c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n\(i)")
            #expect(try c.readResponse().text == "POST 1 \(i)")
        }
    }

    @Test func http10ClosesUnlessKeepAlive() throws {
        let s = try TestServer()
        let r = try s.exchange("GET /echo HTTP/1.0\r\n\r\n")
        #expect(r.responses.first?.status == 200)
        #expect(r.closed)
        let c = try RawHTTPClient(port: s.port)
        try c.send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        let first = try c.readResponse()
        #expect(first.header("Connection")?.lowercased() == "keep-alive")
        try c.send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try c.readResponse().status == 200)
    }

    @Test func chunkedRequestBody() throws {
        let s = try TestServer()
        let r = try s.exchange("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n")
        #expect(r.responses.first?.text == "POST 5 abcde")
    }

    @Test func expectContinueGetsInterimResponse() throws {
        let s = try TestServer()
        let c = try RawHTTPClient(port: s.port)
        try c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")
        let interim = try c.readResponse()
        #expect(interim.status == 100)
        try c.send("xyz")
        #expect(try c.readResponse().text == "POST 3 xyz")
    }

    @Test func expectContinueWithTooLargeBodyGets413WithoutReading() throws {
        let s = try TestServer()
        let r = try s.exchange("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\nExpect: 100-continue\r\n\r\n")
        #expect(r.responses.map(\.status) == [413])
        #expect(r.closed)
    }

    @Test func unknownExpectationIs417() throws {
        let s = try TestServer()
        #expect(try s.exchange("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: teapot\r\n\r\nx").responses.first?.status == 417)
    }

    @Test func headHasLengthButNoBody() throws {
        let s = try TestServer()
        let c = try RawHTTPClient(port: s.port)
        try c.send("HEAD /big HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        let (bytes, _) = c.readAll()
        let r = try #require(RawResponse.parse(bytes, headOnly: true))
        #expect(r.header("Content-Length") == "10000")
        #expect(r.length == bytes.count, "no body after the head")
    }

    @Test func unknownMethodIs501AndUnknownVersionIs505() throws {
        let s = try TestServer()
        #expect(try s.exchange("BREW /echo HTTP/1.1\r\nHost: a\r\n\r\n").responses.first?.status == 501)
        let r = try s.exchange("GET /echo HTTP/3.0\r\nHost: a\r\n\r\n")
        #expect(r.responses.first?.status == 505)
        #expect(r.closed)
    }

    /// Every smuggling-relevant malformation: 400 and the connection closed, with a problem document.
    @Test(arguments: [
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc",
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\nabc",
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: -3\r\n\r\nabc",
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 18446744073709551617\r\n\r\nabc",
        "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n",
        "GET /echo HTTP/1.1\r\nHost: a\r\nX-A: b\r\n folded\r\n\r\n",
        "GET /echo HTTP/1.1\r\nHost : a\r\n\r\n",
        "GET /echo HTTP/1.1\r\nHost: a\r\nX-A: \u{01}\r\n\r\n",
        "GET /echo HTTP/1.1\r\nHost: a\r\nX-A: a\u{00}b\r\n\r\n",
        "GET /echo HTTP/1.1\r\nHost: a\r\nX-A: a\rb\r\n\r\n",
        "GET /echo HTTP/1.1\nHost: a\n\n",
        "GET /echo HTTP/1.1\r\n\r\n",
        "GET /echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
        // Field names in any case: the same rules.
        "POST /echo HTTP/1.1\r\nHost: a\r\ncontent-length: 3\r\ntransfer-ENCODING: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-length: 3\r\nCONTENT-LENGTH: 3\r\n\r\nabc",
        "GET /echo HTTP/1.1\r\nHost: a\r\nhOST: b\r\n\r\n",
    ])
    func malformedRequestGets400AndClose(raw: String) throws {
        let s = try TestServer()
        let r = try s.exchange(raw)
        #expect(r.responses.map(\.status) == [400], "\(raw.debugDescription) → \(String(decoding: r.bytes, as: UTF8.self))")
        #expect(r.responses.first?.header("Content-Type") == "application/problem+json")
        #expect(r.closed)
    }

    /// A body framed by a field name in an unusual case is read as the body, not as the next request.
    @Test func framingFieldsInAnyCaseFrameTheBody() throws {
        let s = try TestServer()
        let r = try s.exchange("POST /echo HTTP/1.1\r\nhost: a\r\ncONTENT-lENGTH: 5\r\n\r\nhello" +
                               "POST /echo HTTP/1.1\r\nHOST: a\r\nTransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" +
                               "GET /echo HTTP/1.1\r\nHost: a\r\nconnection: CLOSE\r\n\r\n")
        #expect(r.responses.map(\.text) == ["POST 5 hello", "POST 3 abc", "GET 0 "])
        #expect(r.closed)
    }

    /// Thousands of pipelined requests in one stream, sent while the answers are read: every one answered, in
    /// order, a worker's answer kept in its place between the inline ones. (Answering inline requests once
    /// recursed once per pipelined request and overflowed the I/O thread's stack, killing the server.)
    @Test func deepPipeliningIsAnsweredInOrder() throws {
        let s = try TestServer()
        let c = try RawHTTPClient(port: s.port, timeout: 30)
        let health = String(repeating: "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n", count: 10_000)
        let burst = health + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nmid" + health + "GET /echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        let sent = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let sender = c // `send` touches only the immutable descriptor; `readAll` runs here
        Thread.detachNewThread { try? sender.send(burst); sent.signal() }
        let (bytes, closed) = c.readAll()
        #expect(sent.wait(timeout: .now() + 30) == .success)
        let responses = RawResponse.parseAll(bytes)
        #expect(responses.count == 20_002)
        #expect(responses.filter { $0.status == 200 }.count == 20_002)
        #expect(responses.count > 10_000 && responses[10_000].text == "POST 3 mid")
        #expect(responses.last?.text == "GET 0 ")
        #expect(closed)
    }

    /// A client that pipelines far more than it reads: the server holds back answers past its bound, and goes
    /// on where it stopped once the client reads, losing nothing — also when the client starts reading only after
    /// the head deadline, with the server paused in the middle of a request head, and when it then reads so slowly
    /// (8 KiB every 40 ms) that the server's own writes stall for longer than the write timeout while the kernel's
    /// send queue drains. (Not reading at all for longer than the write timeout would rightly drop it.)
    @Test func aClientThatReadsLateGetsEveryAnswer() throws {
        let s = try TestServer { $0.headTimeout = 1; $0.writeTimeout = 3 }
        let c = try RawHTTPClient(port: s.port, timeout: 30)
        var small: Int32 = 16 * 1024
        setsockopt(c.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        let count = 45_000
        let burst = String(repeating: "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n", count: count) + "GET /echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        nonisolated(unsafe) let sender = c // `send` touches only the immutable descriptor; reading runs here
        Thread.detachNewThread { try? sender.send(burst) }
        usleep(1_500_000) // the answers pile up unread meanwhile, past the head deadline
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        var closed = false
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]); usleep(40_000); continue }
            if n < 0 && errno == EINTR { continue }
            closed = n == 0
            break
        }
        let marker = Array("HTTP/1.1 200 OK\r\n".utf8)
        var answers = 0
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            while i + marker.count <= b.count {
                if b[i] == marker[0] && marker.indices.allSatisfy({ b[i + $0] == marker[$0] }) { answers += 1; i += marker.count } else { i += 1 }
            }
        }
        #expect(answers == count + 1)
        #expect(String(decoding: bytes.suffix(6), as: UTF8.self) == "GET 0 ")
        #expect(closed)
    }

    /// A client that asks and never reads is dropped once its answers have made no progress for the write
    /// timeout, and the connection no longer counts.
    @Test func aClientThatNeverReadsIsDroppedAfterTheWriteTimeout() throws {
        let s = try TestServer { $0.writeTimeout = 1 }
        let c = try RawHTTPClient(port: s.port, timeout: 30)
        var small: Int32 = 4096
        setsockopt(c.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        nonisolated(unsafe) let sender = c // `send` touches only the immutable descriptor
        Thread.detachNewThread { try? sender.send(String(repeating: "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n", count: 40_000)) }
        let deadline = Date().addingTimeInterval(20)
        while s.server.openConnections > 0 && Date() < deadline { usleep(50_000) }
        #expect(s.server.openConnections == 0)
    }

    @Test func limitsAnswer431And414And413() throws {
        let s = try TestServer()
        #expect(try s.exchange("GET /echo HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "a", count: 5000))\r\n\r\n").responses.first?.status == 431)
        let many = (0..<30).map { "X-\($0): 1\r\n" }.joined()
        #expect(try s.exchange("GET /echo HTTP/1.1\r\nHost: a\r\n\(many)\r\n").responses.first?.status == 431)
        #expect(try s.exchange("GET /\(String(repeating: "a", count: 2000)) HTTP/1.1\r\nHost: a\r\n\r\n").responses.first?.status == 414)
        let r = try s.exchange("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: \(2 << 20)\r\n\r\n")
        #expect(r.responses.first?.status == 413)
        #expect(r.closed)
        var chunked = "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        for _ in 0..<20 { chunked += "10000\r\n" + String(repeating: "z", count: 0x10000) + "\r\n" }
        #expect(try s.exchange(chunked).responses.first?.status == 413)
    }

    @Test func bodyOnGetIsReadAndDiscardedForPipelining() throws {
        let s = try TestServer()
        let r = try s.exchange("GET /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcdGET /echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        #expect(r.responses.map(\.status) == [200, 200])
    }

    @Test func gzipWhenAcceptedAndLarge() throws {
        let s = try TestServer()
        let c = try RawHTTPClient(port: s.port)
        try c.send("GET /big HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.header("Content-Encoding") == "gzip")
        #expect(r.header("Vary") == "Accept-Encoding")
        #expect(try #require(GzipStream.gunzip(r.body)).count == 10000)
        try c.send("GET /healthz HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n")
        #expect(try c.readResponse().header("Content-Encoding") == nil, "small bodies are not compressed")
        try c.send("GET /big HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip;q=0\r\n\r\n")
        #expect(try c.readResponse().header("Content-Encoding") == nil)
    }

    @Test func streamedResponsesChunkedAndGzip() throws {
        let s = try TestServer()
        let c = try RawHTTPClient(port: s.port)
        try c.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n")
        let plain = try c.readResponse()
        #expect(plain.header("Transfer-Encoding") == "chunked")
        #expect(plain.text.hasPrefix("line 0\nline 1\n") && plain.text.hasSuffix("line 99\n"))
        try c.send("GET /stream HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n")
        let zipped = try c.readResponse()
        #expect(zipped.header("Content-Encoding") == "gzip")
        #expect(String(decoding: try #require(GzipStream.gunzip(zipped.body)), as: UTF8.self) == plain.text)
        try c.send("GET /sized-stream HTTP/1.1\r\nHost: a\r\n\r\n")
        let sized = try c.readResponse()
        #expect(sized.header("Content-Length") == "5000")
        #expect(sized.body.count == 5000)
    }

    @Test func slowlorisHeadIsCutOffByTotalDeadline() throws {
        let s = try TestServer { $0.headTimeout = 1 }
        let c = try RawHTTPClient(port: s.port, timeout: 5)
        let start = Date()
        try c.send("GET /echo HTTP/1.1\r\n")
        for i in 0..<8 {
            usleep(250_000)
            do { try c.send("X-\(i): y\r\n") } catch { break }
        }
        let (bytes, closed) = c.readAll()
        #expect(RawResponse.parseAll(bytes).first?.status == 408)
        #expect(closed)
        #expect(Date().timeIntervalSince(start) < 4)
    }

    @Test func idleKeepAliveIsClosed() throws {
        let s = try TestServer { $0.idleTimeout = 0.5 }
        let c = try RawHTTPClient(port: s.port, timeout: 5)
        try c.send("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = try c.readResponse()
        let start = Date()
        let (_, closed) = c.readAll()
        #expect(closed)
        #expect(Date().timeIntervalSince(start) < 3)
    }

    @Test func slowBodyIsCutOff() throws {
        let s = try TestServer { $0.bodyTimeout = 0.5 }
        let r = try s.exchange("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
        #expect(r.responses.first?.status == 408)
        #expect(r.closed)
    }

    @Test func connectionLimitRefusesExcessAtOnce() throws {
        let s = try TestServer { $0.maxConnections = 2 }
        let a = try RawHTTPClient(port: s.port)
        let b = try RawHTTPClient(port: s.port)
        try a.send("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n")
        try b.send("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = try a.readResponse(); _ = try b.readResponse()
        let r = try s.exchange("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(r.responses.first?.status == 503)
        #expect(r.closed)
    }

    @Test func gracefulShutdownFinishesInFlightRequestsAndAnswersRequestsOnKeptAliveConnections() throws {
        let s = try TestServer { $0.drainIdleTimeout = 1 }
        let c = try RawHTTPClient(port: s.port)
        try c.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
        usleep(50_000)
        let reused = try RawHTTPClient(port: s.port)
        let idle = try RawHTTPClient(port: s.port)
        usleep(50_000)
        let done = DispatchSemaphore(value: 0)
        let server = s.server
        let began = Date()
        Thread.detachNewThread { server.shutdown(gracePeriod: 5); done.signal() }
        let r = try c.readResponse()
        #expect(r.text == "slow")
        #expect(r.header("Connection") == "close")
        // A client (a balancer's kept-alive connection) that sends a request in the drain is answered, never
        // reset, and told the connection closes.
        usleep(300_000)
        try reused.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        let answer = try reused.readResponse()
        #expect(answer.status == 200 && answer.header("Connection") == "close")
        #expect(reused.readAll().closed)
        // An idle connection stays open for drainIdleTimeout, then is closed.
        #expect(idle.readAll().closed, "idle connections are closed in the end")
        let idleFor = Date().timeIntervalSince(began)
        #expect(idleFor > 0.9 && idleFor < 4, "idle for drainIdleTimeout (1 s): \(idleFor)")
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect((try? RawHTTPClient(port: s.port, timeout: 1)) == nil, "no longer accepting")
    }

    /// The kernel mechanism of the drain: once the listener refuses new connections, a connection attempt
    /// gets no answer (and is refused once the listener closes) while a connection whose handshake had
    /// completed is still accepted and reads the request sent on it.
    @Test func aDrainingListenerStillAcceptsCompletedHandshakesAndAnswersNoNewOne() throws {
        let (listener, port) = try Posix.listen(host: "127.0.0.1", port: 0, backlog: 16)
        defer { Posix.close(listener) }
        let before = try RawHTTPClient(port: port)
        try before.send("GET /x HTTP/1.1\r\n\r\n")
        #expect(Posix.refuseNewConnections(listener))
        let attempt = Date()
        #expect((try? RawHTTPClient(port: port, timeout: 0.5)) == nil, "a new connection attempt is not answered")
        #expect(Date().timeIntervalSince(attempt) >= 0.4, "dropped (no answer), not refused")
        guard case .accepted(let fd) = Posix.accept(listener) else {
            Issue.record("the completed handshake was not accepted after the filter")
            return
        }
        defer { Posix.close(fd) }
        usleep(20_000)
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        #expect(n > 0 && String(decoding: buffer[0..<max(0, n)], as: UTF8.self).hasPrefix("GET /x"))
        if case .accepted = Posix.accept(listener) { Issue.record("the dropped attempt reached the accept queue") }
    }

    @Test func manyConcurrentClients() throws {
        let s = try TestServer()
        let failures = runClients(32, port: s.port) { i, c, failures in
            for j in 0..<20 {
                try c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n\(String(format: "%03d", (i * 20 + j) % 1000))")
                if try c.readResponse().text != "POST 3 \(String(format: "%03d", (i * 20 + j) % 1000))" { failures.add() }
            }
        }
        #expect(failures == 0)
    }

    /// Runs `exchange` for `count` clients at once, each on its own thread and connection; returns the failures
    /// it counted plus the clients that threw.
    func runClients(_ count: Int, port: Int, _ exchange: @escaping @Sendable (Int, RawHTTPClient, LockedCounter) throws -> Void) -> Int {
        let group = DispatchGroup()
        let failures = LockedCounter()
        for i in 0..<count {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do { try exchange(i, try RawHTTPClient(port: port), failures) } catch { failures.add() }
            }
        }
        group.wait()
        return failures.value
    }

    enum LoopMode: String, CaseIterable { case neverYields, yieldsWhenBusy, alwaysYields }

    /// Whether loops never yield between passes, yield when busy (the default) or always (thresholds of zero),
    /// every answer arrives in order, and once the clients are gone the loops sleep in epoll again instead of
    /// polling: a few timer wake-ups in half a second, not thousands.
    @Test(arguments: LoopMode.allCases) func loopsServeEveryClientAndSleepWhenIdle(mode: LoopMode) throws {
        let s = try TestServer {
            $0.yieldBetweenPasses = mode != .neverYields
            if mode == .alwaysYields { $0.crowdedBusy = (0, 0) }
        }
        let failures = runClients(16, port: s.port) { i, c, failures in
            for j in 0..<100 {
                // Every fourth request pipelines a second one behind it.
                if j % 4 == 0 {
                    try c.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\nPOST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n\(i % 10)\(j % 10)")
                    if try c.readResponse().text != "{\"status\":\"ok\"}" { failures.add() }
                } else {
                    try c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n\(i % 10)\(j % 10)")
                }
                if try c.readResponse().text != "POST 2 \(i % 10)\(j % 10)" { failures.add() }
            }
        }
        #expect(failures == 0)
        Thread.sleep(forTimeInterval: 0.3)
        let before = s.server.loopPasses()
        Thread.sleep(forTimeInterval: 0.5)
        let after = s.server.loopPasses()
        for (b, a) in zip(before, after) {
            // 100 ms epoll timeouts and the reads of the counters themselves: about 6 per loop.
            #expect(a.passes - b.passes <= 20, "an idle loop returned from epoll \(a.passes - b.passes) times in 0.5 s")
        }
        let yields = after.map(\.yields).reduce(0, +)
        switch mode {
        case .neverYields: #expect(yields == 0)
        case .alwaysYields: #expect(yields > 0)
        case .yieldsWhenBusy: break // depends on how busy the machine lets the loops be
        }
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
