import Foundation
import Glibc
import Testing
import TestSupport

/// Two organisations, each with two replicas, its own database and its own nginx; peers address each
/// other's balancer, so every peer message crosses a round-robin balancer and is forwarded to the
/// replica that holds the session. Alice's identity comes from a key file (her database holds no
/// key), Bob's is created once in his database.
@Suite struct ScaleOutSimilarityTests {
    static let aliceToken = "alice-token-0123456789abcdef"
    static let bobToken = "bob-token-0123456789abcdef"

    /// Both organisations running; `peerTimeout` short so failures show quickly.
    final class TwoOrganisations: @unchecked Sendable {
        let pg: PostgresServer
        let alice: ScaleOutGroup
        let bob: ScaleOutGroup
        let aliceKeyFile: URL
        let alicePublicKey: String
        let bobPublicKey: String

        init(peerTimeout: Int) throws {
            pg = try PostgresServer()
            aliceKeyFile = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-alice-\(UUID().uuidString).key")
            let generated = try ServerProcess.runProduct("incognita", arguments: ["--generate-identity-key", aliceKeyFile.path])
            alicePublicKey = generated.output.trimmingCharacters(in: .whitespacesAndNewlines)
            let aliceLB = try ServerProcess.freePort(), bobLB = try ServerProcess.freePort()
            bob = try ScaleOutGroup(postgres: pg, database: "bob", count: 2, balanced: true, balancerPort: bobLB, arguments: [
                "--api-token", ScaleOutSimilarityTests.bobToken, "--peer-timeout", String(peerTimeout),
                "--peer", "alice=http://127.0.0.1:\(aliceLB),\(alicePublicKey)"])
            let keys = try bob.replicas.map { try SimilarityClient(port: $0.port, token: ScaleOutSimilarityTests.bobToken).get("/v1/similarity/identity").json()["publicKey"] as? String ?? "" }
            bobPublicKey = keys[0]
            #expect(keys[0].count == 64 && keys[0] == keys[1], "Bob's replicas share one identity: \(keys)")
            alice = try ScaleOutGroup(postgres: pg, database: "alice", count: 2, balanced: true, balancerPort: aliceLB, arguments: [
                "--api-token", ScaleOutSimilarityTests.aliceToken, "--peer-timeout", String(peerTimeout), "--identity-key-file", aliceKeyFile.path,
                "--peer", "bob=http://127.0.0.1:\(bobLB),\(bobPublicKey)"])
        }

        var aliceClient: SimilarityClient { SimilarityClient(port: alice.balancer!.port, token: ScaleOutSimilarityTests.aliceToken) }
        var bobClient: SimilarityClient { SimilarityClient(port: bob.balancer!.port, token: ScaleOutSimilarityTests.bobToken) }

        deinit { try? FileManager.default.removeItem(at: aliceKeyFile) }
    }

    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        let dot = zip(a, b).map(*).reduce(0, +)
        return dot / (sqrt(a.map { $0 * $0 }.reduce(0, +)) * sqrt(b.map { $0 * $0 }.reduce(0, +)))
    }

    @Test func aSessionAcrossTwoBalancedOrganisationsSucceedsAndLeavesNoInputInEitherDatabase() throws {
        let orgs = try TwoOrganisations(peerTimeout: 5)
        let aliceSentences = ["the quokka smiles at the harbour ferry", "violet umbrellas drift over Tallinn"]
        let bobSentences = ["a quokka grins near the ferry in the harbour"]
        let created = try orgs.aliceClient.post("/v1/similarity/sessions", json: ["peer": "bob", "encoder": "hashing", "label": "scale-out",
                                                                                 "sentences": aliceSentences])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(try created.json()["id"] as? String)
        // Every replica of both organisations lists it.
        for r in orgs.bob.replicas {
            let list = try SimilarityClient(port: r.port, token: Self.bobToken).get("/v1/similarity/sessions").json()
            let ids = (list["sessions"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids.contains(id), "Bob's replica \(r.port) lists the invitation")
        }
        let accepted = try orgs.bobClient.post("/v1/similarity/sessions/\(id)/accept", json: ["sentences": bobSentences])
        #expect(accepted.status == 202, "\(accepted.text)")
        let aliceEnd = try orgs.aliceClient.waitForSession(id, timeout: 60)
        let bobEnd = try orgs.bobClient.waitForSession(id, timeout: 60)
        #expect(aliceEnd["state"] as? String == "succeeded", "\(aliceEnd)")
        #expect(bobEnd["state"] as? String == "succeeded", "\(bobEnd)")
        // The secure result equals the plaintext cosine of the same embeddings.
        let a = try orgs.aliceClient.post("/v1/similarity/encode", json: ["sentences": aliceSentences]).json()["embeddings"] as? [[Double]] ?? []
        let b = try orgs.aliceClient.post("/v1/similarity/encode", json: ["sentences": bobSentences]).json()["embeddings"] as? [[Double]] ?? []
        let secure = (aliceEnd["result"] as? [String: Any])?["similarities"] as? [[Double]] ?? []
        #expect(secure.count == 2 && secure.allSatisfy { $0.count == 1 })
        for i in 0..<min(2, secure.count) {
            #expect(abs(secure[i][0] - Self.cosine(a[i], b[0])) < 1e-4, "row \(i): \(secure[i][0]) vs \(Self.cosine(a[i], b[0]))")
        }
        #expect(((bobEnd["result"] as? [String: Any])?["similarities"] as? [[Double]]) == secure, "both organisations learn the same matrix")
        // Requests crossed the balancers to the replica holding the session at both organisations.
        usleep(300_000)
        for org in [orgs.alice, orgs.bob] {
            #expect(org.replicas.contains { $0.log.contains("similarity request forwarded") }, "a request was forwarded in \(org.database)")
        }
        // Every replica reads the final state from the shared metadata.
        for r in orgs.alice.replicas {
            #expect(try SimilarityClient(port: r.port, token: Self.aliceToken).get("/v1/similarity/sessions/\(id)").json()["state"] as? String == "succeeded")
        }
        // Nothing secret in either database: no sentence, no coordinate, no key but Bob's identity row.
        let dumps = [try orgs.pg.dump("alice"), try orgs.pg.dump("bob")]
        for dump in dumps {
            #expect(dump.contains(id), "the dump holds the session's metadata")
            for sentence in aliceSentences + bobSentences {
                #expect(!dump.contains(sentence), "a sentence in a database dump")
                for word in ["quokka", "Tallinn", "umbrellas", "grins"] { #expect(!dump.contains(word), "an input word (\(word)) in a database dump") }
            }
            for v in a + b {
                for x in v where abs(x) > 1e-9 {
                    #expect(!dump.contains(String(x)) && !dump.contains(String(format: "%.6f", x)), "an input coordinate \(x) in a database dump")
                }
            }
        }
        let aliceSecret = try Data(contentsOf: orgs.aliceKeyFile).prefix(36).suffix(32).map { String(format: "%02x", $0) }.joined()
        #expect(!dumps.joined().contains(aliceSecret), "Alice's key (from her key file) is in no database")
        #expect(try orgs.alice.sql("SELECT count(*) FROM identity_key") == "0")
        #expect(try orgs.bob.sql("SELECT count(*) FROM identity_key") == "1")
        #expect(try orgs.bob.sql("SELECT count(*) FROM similarity_admissions") == "1", "the hourly limit counted once across replicas")
    }

    @Test func aReplicaKilledMidSessionFailsItAtBothOrganisations() throws {
        let peerTimeout = 3.0
        let orgs = try TwoOrganisations(peerTimeout: Int(peerTimeout))
        var g = SystemRandomNumberGenerator()
        func vectors(_ n: Int) -> [[Double]] { (0..<n).map { _ in (0..<2048).map { _ in Double.random(in: -1...1, using: &g) } } }
        let created = try orgs.aliceClient.post("/v1/similarity/sessions", json: ["peer": "bob", "vectors": vectors(8)])
        let id = try #require(try created.json()["id"] as? String)
        #expect(try orgs.bobClient.post("/v1/similarity/sessions/\(id)/accept", json: ["vectors": vectors(8)]).status == 202)
        let owner = try orgs.alice.sql("SELECT owner FROM similarity_sessions WHERE id = '\(id)'")
        let victim = try #require(orgs.alice.index(named: owner))
        // Kill Alice's replica that holds the session while the protocol runs.
        let deadline = Date().addingTimeInterval(20)
        var runningSeen = false
        while Date() < deadline {
            let doc = try SimilarityClient(port: orgs.alice.replicas[victim].port, token: Self.aliceToken).get("/v1/similarity/sessions/\(id)").json()
            if doc["state"] as? String == "running" { runningSeen = true; break }
            if doc["state"] as? String == "succeeded" { break }
            usleep(5_000)
        }
        try #require(runningSeen, "the session ran long enough to interrupt")
        orgs.alice.replicas[victim].signal(SIGKILL)
        _ = orgs.alice.replicas[victim].waitForExit()
        let killed = Date()
        let survivorPort = orgs.alice.replicas[1 - victim].port
        var aliceState = "", bobState = ""
        while Date().timeIntervalSince(killed) < 2 * peerTimeout + 3 {
            aliceState = try SimilarityClient(port: survivorPort, token: Self.aliceToken).get("/v1/similarity/sessions/\(id)").json()["state"] as? String ?? ""
            bobState = try orgs.bobClient.get("/v1/similarity/sessions/\(id)").json()["state"] as? String ?? ""
            if aliceState == "failed" && bobState == "failed" { break }
            usleep(100_000)
        }
        let took = Date().timeIntervalSince(killed)
        #expect(aliceState == "failed" && bobState == "failed", "both organisations fail the session: \(aliceState), \(bobState)")
        #expect(took <= 2 * peerTimeout + 1, "within 2 × peer-timeout (+ 1 s of polling): \(took) s")
    }

    /// A pending invitation (created, not yet accepted) whose replica is killed fails at both organisations
    /// with a message saying why, whichever side lost its replica; the other side never waits for an expiry.
    @Test func aPendingInvitationWhoseReplicaDiedFailsClearlyAtBothOrganisations() throws {
        let peerTimeout = 2.0
        let orgs = try TwoOrganisations(peerTimeout: Int(peerTimeout))
        func failure(_ client: SimilarityClient, _ id: String) throws -> (state: String, message: String) {
            let doc = try client.get("/v1/similarity/sessions/\(id)").json()
            return (doc["state"] as? String ?? "", (doc["error"] as? [String: Any])?["message"] as? String ?? "")
        }
        for (side, group) in [("Alice", orgs.alice), ("Bob", orgs.bob)] {
            let created = try orgs.aliceClient.post("/v1/similarity/sessions", json: ["peer": "bob", "encoder": "hashing", "sentences": ["a pending invitation"]])
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(try created.json()["id"] as? String)
            #expect(try orgs.bobClient.waitForSession(id, states: ["incoming"], timeout: 10)["state"] as? String == "incoming")
            let owner = try group.sql("SELECT owner FROM similarity_sessions WHERE id = '\(id)'")
            let victim = try #require(group.index(named: owner), "\(side)'s owner \(owner)")
            group.replicas[victim].signal(SIGKILL)
            _ = group.replicas[victim].waitForExit()
            let killed = Date()
            let here = side == "Alice" ? orgs.aliceClient : orgs.bobClient
            let there = side == "Alice" ? orgs.bobClient : orgs.aliceClient
            var mine = (state: "", message: ""), theirs = (state: "", message: "")
            while Date().timeIntervalSince(killed) < 2 * peerTimeout + 6 {
                mine = try failure(here, id)
                theirs = try failure(there, id)
                if mine.state == "failed" && theirs.state == "failed" { break }
                usleep(100_000)
            }
            #expect(mine.state == "failed" && mine.message.contains("replica running this session stopped"),
                    "\(side), whose replica died, fails the invitation: \(mine)")
            #expect(theirs.state == "failed" && theirs.message.contains("at the peer stopped before"),
                    "the other organisation is told and fails it too, saying why: \(theirs)")
            #expect(Date().timeIntervalSince(killed) <= 2 * peerTimeout + 4, "soon after the kill")
        }
    }

    /// The database goes away while a session runs: the session goes on in its replica's memory, the writes of
    /// its progress and end fail, and are written again once the database is back, so every replica then
    /// reads the session's true end (never a `running` left behind).
    @Test func sessionWritesAreRetriedThroughADatabaseRestart() throws {
        let pg = try PostgresServer()
        let group = try ScaleOutGroup(postgres: pg, database: "publish", count: 2)
        let owner = SimilarityClient(port: group.replicas[0].port), other = SimilarityClient(port: group.replicas[1].port)
        var g = SystemRandomNumberGenerator()
        func vectors(_ n: Int) -> [[Double]] { (0..<n).map { _ in (0..<4096).map { _ in Double.random(in: -1...1, using: &g) } } }
        let id = try #require(try owner.post("/v1/similarity/sessions", json: ["peer": "loopback", "vectors": vectors(32)]).json()["id"] as? String)
        #expect(try owner.post("/v1/similarity/sessions/\(id)/accept", json: ["vectors": vectors(32)]).status == 202)
        pg.stop()
        let down = Date()
        while !group.replicas[0].log.contains("similarity session not published yet") && Date().timeIntervalSince(down) < 10 { usleep(50_000) }
        usleep(500_000)
        try pg.start()
        let end = try other.waitForSession(id, timeout: 30)
        #expect(end["state"] as? String == "succeeded", "another replica reads the end written after the restart: \(end)")
        #expect(((end["result"] as? [String: Any])?["similarities"] as? [[Double]])?.count == 32)
        #expect(try group.sql("SELECT state FROM similarity_sessions WHERE id = '\(id)'") == "succeeded")
        let log = group.replicas[0].log
        #expect(log.contains("similarity session not published yet: retrying"), "a write failed while the database was down")
        #expect(log.contains("similarity session published after a database error"), "and was written again")
    }

    @Test func theRunningSessionsLimitCountsAcrossReplicas() throws {
        let pg = try PostgresServer()
        let group = try ScaleOutGroup(postgres: pg, database: "limits", count: 2, arguments: ["--similarity-max-running", "1"])
        let first = SimilarityClient(port: group.replicas[0].port), second = SimilarityClient(port: group.replicas[1].port)
        var g = SystemRandomNumberGenerator()
        func vectors(_ n: Int) -> [[Double]] { (0..<n).map { _ in (0..<4096).map { _ in Double.random(in: -1...1, using: &g) } } }
        // A long loopback session running on replica 0 …
        let long = try first.post("/v1/similarity/sessions", json: ["peer": "loopback", "vectors": vectors(16)]).json()["id"] as? String ?? ""
        let waiting = try second.post("/v1/similarity/sessions", json: ["peer": "loopback", "vectors": vectors(1)]).json()["id"] as? String ?? ""
        #expect(try first.post("/v1/similarity/sessions/\(long)/accept", json: ["vectors": vectors(16)]).status == 202)
        let running = try first.get("/v1/similarity/sessions/\(long)").json()["state"] as? String
        try #require(running == "running", "the first session is still running (\(running ?? "?"))")
        // … so replica 1 may not start another while it runs.
        let refused = try second.post("/v1/similarity/sessions/\(waiting)/accept", json: ["vectors": vectors(1)])
        let stillRunning = try first.get("/v1/similarity/sessions/\(long)").json()["state"] as? String == "running"
        print("running-sessions limit: second accept answered \(refused.status) while the first was \(stillRunning ? "running" : "already done")")
        if stillRunning { #expect(refused.status == 503, "the limit of one running session holds across replicas: \(refused.status)") }
        _ = try first.waitForSession(long, timeout: 120)
        #expect(try second.post("/v1/similarity/sessions/\(waiting)/accept", json: ["vectors": vectors(1)]).status == 202, "free again once it ended")
        #expect(try second.waitForSession(waiting, timeout: 60)["state"] as? String == "succeeded")
    }
}
