import Foundation
import Glibc
import Testing
import TestSupport

/// Faults against the real executable: SIGTERM under load, an unwritable or full data directory,
/// slowloris beside many idle connections.
@Suite(.serialized) struct FaultTests {
    /// Tallies what clients saw during a shutdown.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        var ok = 0, partial = 0, serverErrors = 0, refused = 0, closedBeforeAnswer = 0, closeHeaders = 0
        var failures: [String] = []
        func add(_ f: (Tally) -> Void) { lock.lock(); f(self); lock.unlock() }
    }

    @Test func sigtermUnderLoadLosesNoAcceptedRequest() throws {
        let server = try ServerProcess(arguments: ["--shutdown-grace", "10", "--access-log", "false"])
        let tally = Tally()
        let stop = Date().addingTimeInterval(2.5)
        let group = DispatchGroup()
        for worker in 0..<8 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var i = 0
                while Date() < stop {
                    // Half the clients reuse a keep-alive connection, half open one per request.
                    guard let c = try? RawHTTPClient(port: server.port, timeout: 10) else { tally.add { $0.refused += 1 }; usleep(20_000); continue }
                    let perConnection = worker % 2 == 0 ? 50 : 1
                    for _ in 0..<perConnection where Date() < stop {
                        i += 1
                        let path = i % 3 == 0 ? "/v1/digits?base=3&exponent=\(100_000 + i)" : "/healthz"
                        do { try c.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n") } catch { tally.add { $0.closedBeforeAnswer += 1 }; break }
                        do {
                            let r = try c.readResponse()
                            tally.add {
                                if r.status >= 500 { $0.serverErrors += 1 } else if r.status == 200 { $0.ok += 1 }
                                if r.header("Connection") == "close" { $0.closeHeaders += 1 }
                            }
                            if r.header("Connection") == "close" { break }
                        } catch let failure as RawHTTPClient.Failure {
                            // The server may close an idle connection before this request reached it (never
                            // after reading it): no bytes may have arrived. A partial response is a loss.
                            if failure.description.hasPrefix("connection closed after 0 bytes") || failure.description.hasPrefix("connection reset after 0 bytes") {
                                tally.add { $0.closedBeforeAnswer += 1 }
                            } else {
                                tally.add { $0.partial += 1; $0.failures.append(failure.description) }
                            }
                            break
                        } catch {
                            tally.add { $0.partial += 1; $0.failures.append("\(error)") }
                            break
                        }
                    }
                }
            }
        }
        usleep(1_200_000)
        server.signal(SIGTERM)
        group.wait()
        let exit = server.waitForExit(timeout: 15)
        #expect(exit == 0)
        #expect(tally.ok > 100, "traffic flowed: \(tally.ok) answered")
        #expect(tally.partial == 0, "no response was cut off: \(tally.failures.prefix(3))")
        #expect(tally.serverErrors == 0, "no 5xx during shutdown")
        #expect(tally.closeHeaders > 0, "in-flight requests after SIGTERM were answered with Connection: close")
        print("sigterm under load: ok=\(tally.ok) closeHeaders=\(tally.closeHeaders) refused=\(tally.refused) closedBeforeAnswer=\(tally.closedBeforeAnswer)")
    }

    @Test func slowlorisBesideTenThousandIdleConnectionsStillServesNewRequests() throws {
        let server = try ServerProcess(arguments: ["--head-timeout", "2", "--idle-timeout", "60", "--access-log", "false", "--max-connections", "12000"])
        // The test process needs descriptors for all of them too.
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        let idleCount = min(10_000, Int(limit.rlim_cur) / 2 - 200)
        #expect(idleCount >= 5_000, "enough descriptors for the idle crowd (limit \(limit.rlim_cur))")
        var idle: [RawHTTPClient] = []
        for _ in 0..<idleCount {
            let c = try RawHTTPClient(port: server.port, timeout: 5)
            idle.append(c)
        }
        // Slowloris: 20 connections dribbling header lines.
        var slow: [RawHTTPClient] = []
        for _ in 0..<20 {
            let c = try RawHTTPClient(port: server.port, timeout: 5)
            try c.send("GET /healthz HTTP/1.1\r\nHost: t\r\n")
            slow.append(c)
        }
        var worst = 0.0
        for round in 0..<10 {
            for c in slow { try? c.send("X-Round-\(round): 1\r\n") }
            let start = Date()
            let fresh = try RawHTTPClient(port: server.port, timeout: 5)
            try fresh.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            #expect(try fresh.readResponse().status == 200)
            worst = max(worst, Date().timeIntervalSince(start))
            usleep(300_000)
        }
        #expect(worst < 0.5, "new requests answered promptly (worst \(worst) s)")
        // The dribblers were cut off by the head deadline with 408.
        for c in slow {
            let (bytes, closed) = c.readAll()
            #expect(closed)
            #expect(RawResponse.parseAll(bytes).first?.status == 408)
        }
        let metrics = try RawHTTPClient(port: server.port)
        try metrics.send("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try metrics.readResponse().text.contains("incognita_open_connections"))
        // The idle crowd is still connected: one of them can still be used.
        try idle[idle.count / 2].send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try idle[idle.count / 2].readResponse().status == 200)
        _ = idle
    }

    @Test func fullDataDirectoryGivesAClearErrorAndTheServiceStaysUp() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        #expect(Self.shell("mount -t tmpfs -o size=16k tmpfs '\(dir.path)'") == 0, "tmpfs mount (needs root)")
        defer { _ = Self.shell("umount '\(dir.path)'"); try? FileManager.default.removeItem(at: dir) }
        let server = try ServerProcess(arguments: ["--access-log", "false"], dataDirectory: dir)
        // The first expansion of a Mersenne prime is cached in the data directory: it cannot fit in 16 KiB.
        let c = try RawHTTPClient(port: server.port, timeout: 60)
        try c.send("GET /v1/mersenne/86243/decimal HTTP/1.1\r\nHost: t\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 200 || r.status == 507 || r.status == 503, "a clear answer, got \(r.status): \(r.text.prefix(200))")
        if r.status == 200 { #expect(r.body.count == 25962, "the digits are served even if they cannot be cached") }
        try c.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try c.readResponse().status == 200, "the rest of the service stays up")
    }

    @Test func readOnlyDataDirectoryGivesAClearErrorAndTheServiceStaysUp() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-ro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        #expect(Self.shell("mount -t tmpfs -o ro,size=64k tmpfs '\(dir.path)'") == 0, "read-only tmpfs mount (needs root)")
        defer { _ = Self.shell("umount '\(dir.path)'"); try? FileManager.default.removeItem(at: dir) }
        let server = try ServerProcess(arguments: ["--access-log", "false"], dataDirectory: dir)
        let c = try RawHTTPClient(port: server.port, timeout: 60)
        try c.send("POST /v1/primes/lucas-lehmer HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 19\r\n\r\n{\"exponent\":110503}")
        let r = try c.readResponse()
        #expect([200, 202, 503, 507].contains(r.status), "a clear answer, got \(r.status): \(r.text.prefix(300))")
        try c.send("GET /v1/s2/cells?lat=1&lng=2&level=10 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try c.readResponse().status == 200, "the rest of the service stays up")
        // The log is read from the server's pipe in the background: give the reader a moment on a busy machine.
        let deadline = Date().addingTimeInterval(10)
        while !server.log.contains("data directory") && Date() < deadline { usleep(50_000) }
        #expect(server.log.contains("data directory") , "the problem is logged clearly: \(server.log.suffix(500))")
    }

    static func shell(_ command: String) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        try? p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}

/// SIGKILL in the middle of a Lucas–Lehmer job, then a restart on the same data directory:
/// the job resumes from its checkpoint and gives the same Res64 as an uninterrupted run.
@Suite(.serialized) struct CrashResumeTests {
    @Test func lucasLehmerResumesAfterSIGKILLWithTheSameResidue() throws {
        let exponent = 50021 // prime, not a Mersenne exponent: a job (> 20,000) of a few seconds
        let body = "{\"exponent\":\(exponent)}"
        func submit(_ port: Int) throws -> String {
            let c = try RawHTTPClient(port: port, timeout: 10)
            try c.send("POST /v1/primes/lucas-lehmer HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let r = try c.readResponse()
            #expect(r.status == 202)
            let doc = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
            return doc?["id"] as? String ?? ""
        }
        func job(_ port: Int, _ id: String) throws -> [String: Any] {
            let c = try RawHTTPClient(port: port, timeout: 10)
            try c.send("GET /v1/jobs/\(id) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            return (try JSONSerialization.jsonObject(with: Data(try c.readResponse().body)) as? [String: Any]) ?? [:]
        }
        func waitForResult(_ port: Int, _ id: String, timeout: Double = 120) throws -> [String: Any] {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                let doc = try job(port, id)
                if doc["status"] as? String == "succeeded" { return doc["result"] as? [String: Any] ?? [:] }
                #expect(doc["status"] as? String != "failed", "job failed: \(doc)")
                usleep(100_000)
            }
            throw RawHTTPClient.Failure(description: "job \(id) did not finish")
        }

        // The reference: an uninterrupted run.
        let reference: String
        do {
            let server = try ServerProcess(arguments: ["--access-log", "false"])
            reference = try waitForResult(server.port, try submit(server.port))["residue64"] as? String ?? ""
            server.stop()
        }
        #expect(reference.count == 16)

        // Interrupted: checkpoints every 0.2 s, SIGKILL once some progress was checkpointed.
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-ll-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let first = try ServerProcess(arguments: ["--access-log", "false", "--checkpoint-seconds", "0.2"], dataDirectory: data)
        let id = try submit(first.port)
        var killedAt = 0
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let doc = try job(first.port, id)
            let done = (doc["progress"] as? [String: Any])?["done"] as? Int ?? 0
            let checkpoint = data.appendingPathComponent("jobs/\(id).checkpoint")
            if done > exponent / 5 && FileManager.default.fileExists(atPath: checkpoint.path) { killedAt = done; break }
            usleep(50_000)
        }
        #expect(killedAt > 0, "the job made checkpointed progress before the kill")
        first.signal(SIGKILL)
        _ = first.waitForExit()

        let second = try ServerProcess(arguments: ["--access-log", "false", "--checkpoint-seconds", "0.2"], dataDirectory: data)
        #expect(second.waitForLog(containing: "job resumed"))
        let resumedAt = (try job(second.port, id)["progress"] as? [String: Any])?["done"] as? Int ?? 0
        #expect(resumedAt > 0, "progress starts from the checkpoint, not from zero")
        let result = try waitForResult(second.port, id)
        #expect(result["residue64"] as? String == reference, "same Res64 as the uninterrupted run")
        #expect(result["isPrime"] as? Bool == false)
        second.stop()
    }
}
