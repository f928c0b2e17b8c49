import Foundation
import Glibc
import Testing
import TestSupport

/// W3C Trace Context and the access log against the real binary: traces continued or started, the ids in
/// every access-log and event line, invalid headers ignored, a job keeping the trace that created it (across a
/// restart), a peer call carrying the trace, and a stdout nobody reads.
@Suite(.serialized) struct TracingEndToEndTests {
    static let sentTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let sentParent = "00f067aa0ba902b7"

    /// The trace id, parent id and flags of a traceparent this service sends (version 00, lowercase hex).
    static func parts(_ header: String?) throws -> (trace: String, parent: String, flags: String) {
        let h = try #require(header)
        let m = try #require(h.wholeMatch(of: /00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})/), "\(h)")
        #expect(m.1 != "00000000000000000000000000000000" && m.2 != "0000000000000000")
        return (String(m.1), String(m.2), String(m.3))
    }

    /// The JSON log lines printed so far.
    static func logLines(_ server: ServerProcess) -> [[String: Any]] {
        server.log.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Waits (briefly: the log writes in batches) for the line matching `predicate`.
    static func waitForLine(_ server: ServerProcess, _ predicate: ([String: Any]) -> Bool) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let line = logLines(server).first(where: predicate) { return line }
            usleep(20_000)
        }
        throw RawHTTPClient.Failure(description: "no such log line in: \(server.log.suffix(2000))")
    }

    static func request(_ c: RawHTTPClient, _ path: String, method: String = "GET", headers: [String] = [], body: String? = nil) throws -> RawResponse {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: t\r\n"
        for h in headers { text += h + "\r\n" }
        if let body { text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)" } else { text += "\r\n" }
        try c.send(text)
        return try c.readResponse()
    }

    @Test func tracesAreContinuedStartedLoggedAndKeptByJobs() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-trace-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        var server = try ServerProcess(arguments: ["--checkpoint-seconds", "0.2"], dataDirectory: data)
        let c = try RawHTTPClient(port: server.port, timeout: 30)

        // Continued: same trace id, this service's span as the parent id, the caller's sampled flag; inline and worker routes.
        var answered: [(requestID: String, trace: String, span: String)] = []
        for (i, (path, flags)) in [("/healthz", "01"), ("/v1/s2/cells?lat=1&lng=2&level=10", "00")].enumerated() {
            let r = try Self.request(c, path, headers: ["traceparent: 00-\(Self.sentTrace)-\(Self.sentParent)-\(flags)",
                                                          "tracestate: vendor=abc", "X-Request-ID: cont-\(i)"])
            #expect(r.status == 200)
            let p = try Self.parts(r.header("traceparent"))
            #expect(p.trace == Self.sentTrace && p.parent != Self.sentParent && p.flags == flags)
            answered.append(("cont-\(i)", p.trace, p.parent))
        }
        // Started when absent or invalid (and the invalid one's tracestate is ignored with it).
        let invalid = [["traceparent: 00-\(Self.sentTrace.uppercased())-\(Self.sentParent)-01"],
                       ["traceparent: 00-00000000000000000000000000000000-\(Self.sentParent)-01"],
                       ["traceparent: 00-\(Self.sentTrace)-0000000000000000-01"],
                       ["traceparent: ff-\(Self.sentTrace)-\(Self.sentParent)-01"],
                       ["traceparent: 00-\(Self.sentTrace)-\(Self.sentParent)-01-extra"],
                       ["traceparent: 00-\(Self.sentTrace)-\(Self.sentParent)-1"],
                       ["traceparent: 00-\(Self.sentTrace)-\(Self.sentParent)-01", "traceparent: 00-\(Self.sentTrace)-\(Self.sentParent)-01"],
                       ["tracestate: vendor=abc"], []]
        var started = Set<String>()
        for (i, headers) in invalid.enumerated() {
            let r = try Self.request(c, "/healthz", headers: headers + ["X-Request-ID: new-\(i)"])
            let p = try Self.parts(r.header("traceparent"))
            #expect(p.trace != Self.sentTrace && p.flags == "01", "\(headers)")
            started.insert(p.trace)
            answered.append(("new-\(i)", p.trace, p.parent))
        }
        #expect(started.count == invalid.count, "every request without a valid traceparent starts its own trace")
        // A later version with more fields is read as version 00.
        let future = try Self.request(c, "/healthz", headers: ["traceparent: cc-\(Self.sentTrace)-\(Self.sentParent)-01-later-fields"])
        #expect(try Self.parts(future.header("traceparent")).trace == Self.sentTrace)

        // Every access-log line carries the ids of the answer.
        for a in answered {
            let line = try Self.waitForLine(server) { $0["requestId"] as? String == a.requestID }
            #expect(line["msg"] as? String == "request" && line["traceId"] as? String == a.trace && line["spanId"] as? String == a.span)
            #expect(line["method"] is String && line["path"] is String && line["status"] is Int && line["bytes"] is Int && line["ms"] is Double)
        }

        // A job keeps the trace of the request that created it; its events are logged in that trace.
        let created = try Self.request(c, "/v1/primes/lucas-lehmer", method: "POST", headers: ["traceparent: 00-\(Self.sentTrace)-\(Self.sentParent)-01"],
                                       body: "{\"exponent\":20011}")
        #expect(created.status == 202)
        let creatorSpan = try Self.parts(created.header("traceparent")).parent
        let job = try #require(try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: Any])
        let id = try #require(job["id"] as? String)
        #expect(job["traceId"] as? String == Self.sentTrace)
        let finished = try Self.waitForLine(server) { $0["msg"] as? String == "job finished" && $0["id"] as? String == id }
        #expect(finished["traceId"] as? String == Self.sentTrace)
        #expect(finished["spanId"] as? String != creatorSpan, "the job runs in a span of its own")
        let done = try JSONSerialization.jsonObject(with: Data(try Self.request(c, "/v1/jobs/\(id)").body)) as? [String: Any]
        #expect(done?["status"] as? String == "succeeded" && done?["traceId"] as? String == Self.sentTrace)

        // The record keeps it across a restart.
        server.stop()
        server = try ServerProcess(arguments: ["--access-log", "false"], dataDirectory: data)
        let after = try Self.request(try RawHTTPClient(port: server.port, timeout: 30), "/v1/jobs/\(id)")
        #expect(after.status == 200)
        #expect((try JSONSerialization.jsonObject(with: Data(after.body)) as? [String: Any])?["traceId"] as? String == Self.sentTrace)
    }

    @Test func peerCallsCarryTheTraceAndSessionsKeepIt() throws {
        let pair = try SimilarityPair()
        let traceparent = "00-\(Self.sentTrace)-\(Self.sentParent)-01"
        let created = try pair.aliceClient.request("POST", "/v1/similarity/sessions",
            body: try JSONSerialization.data(withJSONObject: ["peer": "bob", "sentences": ["a cat on a keyboard"]]),
            headers: ["traceparent": traceparent])
        #expect(created.status == 201)
        let doc = try created.json()
        let id = try #require(doc["id"] as? String)
        #expect(doc["traceId"] as? String == Self.sentTrace)
        // The invitation carried the trace: bob's record and bob's access-log line for it have the same trace id.
        #expect(try pair.bobClient.get("/v1/similarity/sessions/\(id)").json()["traceId"] as? String == Self.sentTrace)
        let invitation = try Self.waitForLine(pair.bob) { $0["msg"] as? String == "request" && $0["path"] as? String == "/v1/peer/sessions" }
        #expect(invitation["traceId"] as? String == Self.sentTrace)
        let event = try Self.waitForLine(pair.alice) { $0["msg"] as? String == "similarity session created" && $0["session"] as? String == id }
        #expect(event["traceId"] as? String == Self.sentTrace)

        // Bob accepts in a request of its own; the protocol run it starts stays in the session's trace, so alice
        // logs bob's protocol messages under the trace that created the session.
        let accepted = try pair.bobClient.post("/v1/similarity/sessions/\(id)/accept", json: ["sentences": ["the cat walks over the keyboard"]])
        #expect(accepted.status == 202)
        #expect(try pair.bobClient.waitForSession(id)["state"] as? String == "succeeded")
        let message = try Self.waitForLine(pair.alice) {
            $0["msg"] as? String == "request" && $0["path"] as? String == "/v1/peer/sessions/\(id)/messages"
        }
        #expect(message["traceId"] as? String == Self.sentTrace)
    }

    @Test func aStdoutNobodyReadsNeitherBlocksRequestsNorStopsShutdown() throws {
        let port = try ServerProcess.freePort()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-stuck-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let process = Process()
        process.executableURL = ServerProcess.executable
        process.arguments = ["--host", "127.0.0.1", "--port", String(port), "--data-dir", data.path, "--log-buffer-bytes", "16384"]
        let stdout = Pipe() // never read: once the kernel's pipe buffer is full, every write to it blocks
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
        var client: RawHTTPClient?
        let ready = Date().addingTimeInterval(30)
        while client == nil && Date() < ready {
            if let c = try? RawHTTPClient(port: port, timeout: 10), (try? Self.request(c, "/healthz"))?.status == 200 { client = c } else { usleep(50_000) }
        }
        let c = try #require(client, "the server did not start")

        // 4,000 requests, pipelined 100 at a time: ~900 KB of log lines against a 64 KiB pipe and a 16 KiB buffer.
        let batch = Array(repeating: "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n", count: 100).joined()
        var answered = 0
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<40 {
                try c.send(batch)
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65536)
                while RawResponse.parseAll(received).count < 100 {
                    let n = buffer.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, 0) }
                    guard n > 0 else { throw RawHTTPClient.Failure(description: "connection ended after \(answered) answers") }
                    received += buffer[0..<n]
                }
                answered += RawResponse.parseAll(received).filter { $0.status == 200 }.count
            }
        }
        #expect(answered == 4000)
        #expect(elapsed < .seconds(20), "requests were answered without waiting for the log (\(elapsed))")
        let metrics = try Self.request(c, "/metrics").text
        let dropped = try #require(metrics.split(separator: "\n").first { $0.hasPrefix("incognita_log_lines_dropped_total ") })
        #expect((Double(dropped.split(separator: " ")[1]) ?? 0) > 1000, "\(dropped)")

        // SIGTERM still ends the process promptly: the final flush gives up on a stuck stdout.
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        #expect(!process.isRunning, "the process did not exit after SIGTERM")
        if !process.isRunning { #expect(process.terminationStatus == 0) }
    }
}
