import Foundation
import Glibc
import HTTPServer
import Primes
import Testing
import TestSupport

/// Replicas of the real binary sharing a real PostgreSQL 15, behind a real nginx: jobs are visible,
/// streamed and cancellable everywhere, claimed once, resumed after SIGKILL, handed back on SIGTERM,
/// and survive a database restart. Each scenario has its own cluster, so they run in parallel.
@Suite struct ScaleOutJobTests {
    /// Prime exponents whose Mersenne numbers are composite (each a job, > 20,000).
    static let shortExponent = 21_011    // ≈ 0.3 s
    static let longExponent = 100_003    // about 2 s with the IBDWT on a fast quiet machine: long enough to see it running and checkpointed
    /// The SIGTERM test's three jobs: shorter, so that with the jobs its load creates they stay within the queue limit.
    static let handedOverExponent = 50_021
    /// A job that is cancelled while it runs: far longer than the test's few seconds of streaming even with the
    /// IBDWT on a fast quiet machine (about ten seconds there), and cancellation bounds what it costs.
    static let cancelledExponent = 200_003

    @Test func jobIsVisibleStreamedAndCancellableThroughEveryReplica() throws {
        let pg = try PostgresServer()
        let group = try ScaleOutGroup(postgres: pg, database: "visible", count: 3, balanced: true)
        let lb = group.balancer!.port
        let id = try ScaleOutHTTP.submitLucasLehmer(lb, Self.cancelledExponent)
        // Every replica answers for it; find the one running it.
        var runner: String?
        let deadline = Date().addingTimeInterval(10)
        while runner == nil && Date() < deadline {
            for r in group.replicas {
                let doc = try ScaleOutHTTP.job(r.port, id)
                #expect(doc["id"] as? String == id)
                if doc["status"] as? String == "running" { runner = doc["runningOn"] as? String }
            }
            usleep(50_000)
        }
        let runnerName = try #require(runner, "some replica runs the job")
        let runnerIndex = try #require(group.index(named: runnerName))
        let other = group.replicas[(runnerIndex + 1) % 3]

        // Server-sent events from a replica that does not run it: progress at least once a second.
        let c = try RawHTTPClient(port: other.port, timeout: 10)
        try c.send("GET /v1/jobs/\(id)/events HTTP/1.1\r\nHost: t\r\n\r\n")
        var buffer: [UInt8] = []
        var times: [Date] = []
        var dones: [Int] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let streamEnd = Date().addingTimeInterval(3)
        while Date() < streamEnd {
            let n = chunk.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            buffer.append(contentsOf: chunk[0..<n])
            let text = String(decoding: buffer, as: UTF8.self)
            let events = text.components(separatedBy: "event: progress").count - 1
            while times.count < events { times.append(Date()) }
            if let last = text.components(separatedBy: "\"done\":").last?.prefix(while: { $0.isNumber }), let v = Int(last) { dones.append(v) }
        }
        #expect(times.count >= 3, "progress events streamed from another replica: \(times.count)")
        let gaps = zip(times.dropFirst(), times).map { $0.timeIntervalSince($1) }
        #expect((gaps.max() ?? 9) <= 1.3, "a progress event at least once a second: \(gaps)")
        #expect((dones.last ?? 0) > (dones.first ?? 0), "the progress moves: \(dones.first ?? -1) → \(dones.last ?? -1)")

        // DELETE on a third replica reaches the running one within 2 s.
        let third = group.replicas[(runnerIndex + 2) % 3]
        let cancelled = try ScaleOutHTTP.call(third.port, "DELETE", "/v1/jobs/\(id)")
        #expect(cancelled.status == 200)
        #expect(ScaleOutHTTP.json(cancelled)["status"] as? String == "cancelled")
        let start = Date()
        var stoppedAfter: Double?
        while Date().timeIntervalSince(start) < 4 {
            if ScaleOutHTTP.runningJobs(group.replicas[runnerIndex].port) == 0 { stoppedAfter = Date().timeIntervalSince(start); break }
            usleep(50_000)
        }
        #expect((stoppedAfter ?? 99) < 2, "the running replica stopped within 2 s: \(stoppedAfter ?? -1)")
        for r in group.replicas {
            let doc = try ScaleOutHTTP.job(r.port, id)
            #expect(doc["status"] as? String == "cancelled")
            #expect(doc["runningOn"] == nil)
        }
        #expect(try ScaleOutHTTP.call(lb, "DELETE", "/v1/jobs/\(id)").status == 409)
        #expect(try ScaleOutHTTP.call(lb, "GET", "/v1/jobs/0123456789abcdef0123456789abcdef").status == 404)
    }

    @Test func sixJobsOverThreeReplicasRunOnceEachAndOneAtATime() throws {
        let pg = try PostgresServer()
        let group = try ScaleOutGroup(postgres: pg, database: "six", count: 3, balanced: true, arguments: ["--max-jobs", "1"])
        let lb = group.balancer!.port
        let ids = try (0..<6).map { _ in try ScaleOutHTTP.submitLucasLehmer(lb, Self.shortExponent) }
        let worst = Locked<[Int]>([0, 0, 0])
        let stop = Locked(false)
        let watcher = Thread {
            while !stop.value {
                for (i, r) in group.replicas.enumerated() {
                    if let n = ScaleOutHTTP.runningJobs(r.port) { worst.mutate { $0[i] = max($0[i], n) } }
                }
                usleep(20_000)
            }
        }
        watcher.start()
        var results: [String] = []
        for id in ids {
            let doc = try ScaleOutHTTP.waitForEnd(lb, id)
            #expect(doc["status"] as? String == "succeeded")
            results.append((doc["result"] as? [String: Any])?["residue64"] as? String ?? "")
        }
        stop.mutate { $0 = true }
        #expect(worst.value.allSatisfy { $0 <= 1 }, "never two running on one replica: \(worst.value)")
        #expect(Set(results).count == 1 && results[0].count == 16, "one residue for one exponent: \(results)")
        // Each ran exactly once: one claim per job, and the work spread over more than one replica.
        #expect(try group.sql("SELECT string_agg(runs::text, ',') FROM jobs") == "1,1,1,1,1,1")
        usleep(300_000)   // the replicas' logs are written asynchronously
        var finishedBy: [String: [Int]] = [:]
        for (i, r) in group.replicas.enumerated() {
            for line in r.log.split(separator: "\n") where line.contains("\"msg\":\"job finished\"") {
                for id in ids where line.contains(id) { finishedBy[id, default: []].append(i) }
            }
        }
        #expect(ids.allSatisfy { finishedBy[$0]?.count == 1 }, "each job finished on exactly one replica: \(finishedBy)")
        #expect(Set(finishedBy.values.flatMap { $0 }).count >= 2, "the jobs spread over the replicas: \(finishedBy)")
    }

    @Test func sigkillOfTheRunningReplicaResumesElsewhereFromTheCheckpoint() throws {
        let reference = try LucasLehmer.run(UInt64(Self.longExponent)).residue64
        let pg = try PostgresServer()
        let group = try ScaleOutGroup(postgres: pg, database: "sigkill", count: 2)
        let id = try ScaleOutHTTP.submitLucasLehmer(group.replicas[0].port, Self.longExponent)
        var runner: Int?
        var killedAt = 0
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let doc = try ScaleOutHTTP.job(group.replicas[0].port, id)
            if let name = doc["runningOn"] as? String { runner = group.index(named: name) }
            let done = ScaleOutHTTP.done(doc)
            if runner != nil, done > Self.longExponent / 5, try group.sql("SELECT count(*) FROM job_checkpoints") == "1" { killedAt = done; break }
            usleep(50_000)
        }
        let victim = try #require(runner)
        #expect(killedAt > 0, "checkpointed progress before the kill")
        group.replicas[victim].signal(SIGKILL)
        _ = group.replicas[victim].waitForExit()
        let killTime = Date()
        let survivor = group.replicas[1 - victim]
        var resumedAfter: Double?
        var resumedAt = 0
        while Date().timeIntervalSince(killTime) < 2 + 5 + 5 {
            let doc = try ScaleOutHTTP.job(survivor.port, id)
            if doc["runningOn"] as? String == group.name(1 - victim) || doc["status"] as? String == "succeeded" {
                resumedAfter = Date().timeIntervalSince(killTime)
                resumedAt = ScaleOutHTTP.done(doc)
                break
            }
            usleep(50_000)
        }
        #expect((resumedAfter ?? 99) <= 2 + 5, "another replica took the job over within the lease + 5 s: \(resumedAfter ?? -1)")
        #expect(resumedAt > 0, "progress does not restart at zero")
        let end = try ScaleOutHTTP.waitForEnd(survivor.port, id)
        #expect(end["status"] as? String == "succeeded")
        #expect((end["result"] as? [String: Any])?["residue64"] as? String == reference, "same Res64 as an uninterrupted run")
        #expect(try group.sql("SELECT runs FROM jobs WHERE id = '\(id)'") == "2")
    }

    @Test func sigtermUnderLoadThroughTheBalancerFailsNoRequestAndHandsJobsOver() throws {
        let pg = try PostgresServer()
        let token = "sigterm-token-0123456789abcdef"
        let group = try ScaleOutGroup(postgres: pg, database: "sigterm", count: 3, balanced: true,
                                      arguments: ["--api-token", token, "--similarity-sessions-per-hour", "100000"])
        let lb = group.balancer!.port
        let ids = try (0..<3).map { _ in try ScaleOutHTTP.submitLucasLehmer(lb, Self.handedOverExponent) }
        // Wait until some replica runs a job, then load the balancer and stop that replica.
        var victim: Int?
        let deadline = Date().addingTimeInterval(10)
        while victim == nil && Date() < deadline {
            for id in ids {
                if let name = try ScaleOutHTTP.job(lb, id)["runningOn"] as? String, ScaleOutHTTP.done(try ScaleOutHTTP.job(lb, id)) > 0 {
                    victim = group.index(named: name)
                }
            }
            usleep(50_000)
        }
        let v = try #require(victim)
        let failures = Locked<[String]>([])
        let answered = Locked(0)
        let created = Locked(0)
        let stop = Locked(false)
        let paths = ["/healthz", "/v1/jobs/\(ids[0])", "/v1/digits?base=3&exponent=100003", "/v1/jobs/\(ids[1])", "/v1/primes/1000003",
                     "/v1/jobs/\(ids[2])", "/v1/s2/cells?lat=48.8584&lng=2.2945&level=15"]
        let group2 = DispatchGroup()
        for w in 0..<6 {
            group2.enter()
            Thread.detachNewThread {
                defer { group2.leave() }
                var i = w
                while !stop.value {
                    i += 1
                    do {
                        // Every fourth request is a stateless POST, which the shipped rules retry like a GET. Two
                        // workers create jobs and sessions, POSTs nginx never retries: none may meet a connection
                        // the stopping replica resets or closes under it.
                        let r: RawResponse
                        let what: String
                        if w == 0 {
                            r = try ScaleOutHTTP.call(lb, "POST", "/v1/primes/lucas-lehmer", body: "{\"exponent\":\(Self.shortExponent)}")
                            what = "POST /v1/primes/lucas-lehmer"
                            if r.status == 202 { created.mutate { $0 += 1 } }
                            usleep(20_000)
                        } else if w == 1 {
                            r = try ScaleOutHTTP.call(lb, "POST", "/v1/similarity/sessions",
                                                      body: "{\"peer\":\"loopback\",\"encoder\":\"hashing\",\"sentences\":[\"a cat\"]}",
                                                      headers: ["Authorization: Bearer \(token)"])
                            what = "POST /v1/similarity/sessions"
                            if r.status == 201 { created.mutate { $0 += 1 } }
                        } else if i % 4 == 0 {
                            r = try ScaleOutHTTP.call(lb, "POST", "/v1/bounds/hoeffding", body: "{\"n\":100,\"lower\":0,\"upper\":1,\"deviation\":0.1}")
                            what = "POST /v1/bounds/hoeffding"
                        } else {
                            r = try ScaleOutHTTP.call(lb, "GET", paths[i % paths.count])
                            what = "GET \(paths[i % paths.count])"
                        }
                        // A full job queue (jobs are created faster than the replicas finish them) is a live replica's
                        // deliberate answer with Retry-After, not a request lost to the stopping one.
                        let queueFull = r.status == 503 && r.header("Retry-After") != nil && r.text.contains("too many jobs are waiting")
                        if (200...202).contains(r.status) { answered.mutate { $0 += 1 } } else if !queueFull { failures.mutate { $0.append("\(r.status) \(what)") } }
                    } catch {
                        failures.mutate { $0.append("\(error)") }
                    }
                }
            }
        }
        usleep(700_000)
        group.replicas[v].signal(SIGTERM)
        let exit = group.replicas[v].waitForExit(timeout: 15)
        usleep(700_000)
        stop.mutate { $0 = true }
        group2.wait()
        #expect(exit == 0)
        #expect(answered.value > 50, "traffic flowed: \(answered.value)")
        #expect(failures.value.isEmpty, "no failed request: \(failures.value.prefix(5)); nginx: \(group.balancer!.errorLog.suffix(1500))")
        #expect(created.value > 10, "jobs and sessions were created through the balancer: \(created.value)")
        #expect(group.replicas[v].log.contains("job handed back"))
        // Every log line names its replica.
        let lines = group.replicas[v].log.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(!lines.isEmpty && lines.allSatisfy { $0.contains("\"instance\":\"\(group.name(v))\"") },
                "every log line carries the instance id: \(lines.first { !$0.contains("\"instance\"") } ?? "")")
        for id in ids {
            let end = try ScaleOutHTTP.waitForEnd(lb, id)
            #expect(end["status"] as? String == "succeeded")
        }
        #expect(try group.sql("SELECT count(*) FROM jobs WHERE runs >= 2") != "0", "a handed-back job continued on another replica")
    }

    @Test func databaseRestartMidRunIsNotReadyWhileDownAndTheJobFinishes() throws {
        let pg = try PostgresServer()
        let group = try ScaleOutGroup(postgres: pg, database: "restart", count: 1)
        let port = group.replicas[0].port
        let id = try ScaleOutHTTP.submitLucasLehmer(port, Self.longExponent)
        let deadline = Date().addingTimeInterval(20)
        while ScaleOutHTTP.done(try ScaleOutHTTP.job(port, id)) == 0 && Date() < deadline { usleep(50_000) }
        pg.stop()
        var notReady = false
        let down = Date()
        while Date().timeIntervalSince(down) < 5 {
            if try ScaleOutHTTP.call(port, "GET", "/readyz").status == 503 { notReady = true; break }
            usleep(100_000)
        }
        #expect(notReady, "not ready while the database is down")
        #expect(try ScaleOutHTTP.call(port, "GET", "/metrics").text.contains("incognita_database_reachable 0"))
        #expect(try ScaleOutHTTP.call(port, "GET", "/healthz").status == 200, "alive all the same")
        // Stateless endpoints never touch the database.
        for path in ["/v1/digits?base=2&exponent=1000&offset=-1", "/v1/primes/1000000007", "/v1/s2/cells/47e66fd", "/v1/mersenne/4423/decimal"] {
            #expect(try ScaleOutHTTP.call(port, "GET", path).status == 200, "\(path) answers without the database")
        }
        #expect(try ScaleOutHTTP.call(port, "POST", "/v1/bounds/hoeffding", body: "{\"n\":100,\"lower\":0,\"upper\":1,\"deviation\":0.1}").status == 200)
        #expect(try ScaleOutHTTP.call(port, "GET", "/v1/jobs/\(id)").status == 200, "the running job answers from memory")
        usleep(1_000_000)
        try pg.start()
        var readyAgain = false
        let up = Date()
        while Date().timeIntervalSince(up) < 10 {
            if try ScaleOutHTTP.call(port, "GET", "/readyz").status == 200 { readyAgain = true; break }
            usleep(100_000)
        }
        #expect(readyAgain, "ready again without a restart")
        let end = try ScaleOutHTTP.waitForEnd(port, id)
        #expect(end["status"] as? String == "succeeded")
        #expect(try group.sql("SELECT status FROM jobs WHERE id = '\(id)'") == "succeeded")
    }

    @Test func anUnreachableDatabaseStopsTheStartWithAClearMessage() throws {
        let port = try ServerProcess.freePort()
        let p = Process()
        p.executableURL = ServerProcess.executable
        p.arguments = ["--port", "0", "--host", "127.0.0.1", "--database-url", "postgres://nobody@127.0.0.1:\(port)/none", "--database-timeout", "1",
                       "--data-dir", FileManager.default.temporaryDirectory.appendingPathComponent("incognita-nodb-\(UUID().uuidString)").path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        let start = Date()
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        #expect(Date().timeIntervalSince(start) < 8)
        #expect(text.contains("could not be reached within 1 s"), "\(text)")
        #expect(text.contains("127.0.0.1:\(port)"))
    }

    @Test func expansionsAreStoredInPiecesAndServedByRangeFromAnyReplica() throws {
        let pg = try PostgresServer()
        let group = try ScaleOutGroup(postgres: pg, database: "expansions", count: 2)
        let p = 8_000_009     // 2,408,243 digits: three pieces of 1 MiB
        let first = try ScaleOutHTTP.call(group.replicas[0].port, "GET", "/v1/mersenne/\(p)/decimal")
        #expect(first.status == 202)
        let id = try #require(ScaleOutHTTP.json(first)["id"] as? String)
        // A second request on the other replica joins the same job.
        let second = try ScaleOutHTTP.call(group.replicas[1].port, "GET", "/v1/mersenne/\(p)/decimal")
        #expect(second.status == 200 || ScaleOutHTTP.json(second)["id"] as? String == id)
        #expect(try ScaleOutHTTP.waitForEnd(group.replicas[1].port, id)["status"] as? String == "succeeded")
        #expect(try group.sql("SELECT chunks FROM expansions WHERE exponent = \(p)") == "3")
        let local = try ServerProcess(arguments: ["--access-log", "false"])
        let whole = try ScaleOutHTTP.call(group.replicas[1].port, "GET", "/v1/mersenne/\(p)/decimal")
        #expect(whole.status == 200 && whole.body.count == 2_408_243)
        let gz = try ScaleOutHTTP.call(group.replicas[0].port, "GET", "/v1/mersenne/\(p)/decimal", headers: ["Accept-Encoding: gzip"])
        #expect(gz.header("Content-Encoding") == "gzip")
        #expect(GzipStream.gunzip(gz.body) == whole.body, "the stored pieces form one gzip document")
        // Ranges inside one piece, across a boundary, and the suffix; compared with a single instance.
        let localJob = try ScaleOutHTTP.call(local.port, "GET", "/v1/mersenne/\(p)/decimal")
        if localJob.status == 202, let lid = ScaleOutHTTP.json(localJob)["id"] as? String { _ = try ScaleOutHTTP.waitForEnd(local.port, lid) }
        for range in ["bytes=0-9", "bytes=1048570-1048590", "bytes=2097150-2097160", "bytes=-25", "bytes=1000000-"] {
            let a = try ScaleOutHTTP.call(group.replicas[0].port, "GET", "/v1/mersenne/\(p)/decimal", headers: ["Range: \(range)"])
            let b = try ScaleOutHTTP.call(local.port, "GET", "/v1/mersenne/\(p)/decimal", headers: ["Range: \(range)"])
            #expect(a.status == 206 && b.status == 206)
            #expect(a.body == b.body, "range \(range)")
            #expect(a.header("Content-Range") == b.header("Content-Range"))
        }
        #expect(Array(whole.body[1_048_570...1_048_590]) == (try ScaleOutHTTP.call(local.port, "GET", "/v1/mersenne/\(p)/decimal",
                                                                                       headers: ["Range: bytes=1048570-1048590"]).body))
    }
}
