import Foundation
import Glibc
import SecureSimilarity
import Testing
import TestSupport

/// Two real instances on 127.0.0.1 ("alice" and "bob"), each with its own port, data directory
/// and key, talking through recording proxies.
@Suite(.serialized) struct SimilarityTwoInstanceTests {
    static let aliceSentences = ["my cat loves to walk over my keyboard", "I like to pet my cat"]
    static let bobSentence = "the cat is always walking over my keyboard"

    @Test func seedSentencesAcrossTwoInstances() throws {
        let pair = try SimilarityPair()
        let a = pair.aliceClient, b = pair.bobClient

        let created = try a.post("/v1/similarity/sessions", json: ["peer": "bob", "sentences": Self.aliceSentences, "label": "seed"])
        #expect(created.status == 201)
        let doc = try created.json()
        let id = try #require(doc["id"] as? String)
        #expect(doc["state"] as? String == "invited")
        #expect(doc["peer"] as? String == "bob")
        #expect(doc["createdAt"] is String && doc["expiresAt"] is String)

        let listed = try #require(try b.get("/v1/similarity/sessions").json()["sessions"] as? [[String: Any]])
        let incoming = try #require(listed.first { $0["id"] as? String == id })
        #expect(incoming["state"] as? String == "incoming")
        #expect(incoming["role"] as? String == "responder")
        #expect(incoming["peer"] as? String == "alice")
        #expect(incoming["label"] as? String == "seed")

        let accepted = try b.post("/v1/similarity/sessions/\(id)/accept", json: ["sentences": [Self.bobSentence]])
        #expect(accepted.status == 202)
        let bobDoc = try b.waitForSession(id)
        let aliceDoc = try a.waitForSession(id)
        #expect(bobDoc["state"] as? String == "succeeded")
        #expect(aliceDoc["state"] as? String == "succeeded")
        #expect(aliceDoc["role"] as? String == "initiator")

        // Rows: alice's sentences; columns: bob's. Both ends hold the same matrix.
        let sa = try #require((aliceDoc["result"] as? [String: Any])?["similarities"] as? [[Double]])
        let sb = try #require((bobDoc["result"] as? [String: Any])?["similarities"] as? [[Double]])
        #expect(sa == sb)
        #expect(sa.count == 2 && sa[0].count == 1)
        #expect(sa[0][0] > sa[1][0], "bob's sentence is closer to alice's first")
        let best = try #require((aliceDoc["result"] as? [String: Any])?["best"] as? [[String: Any]])
        #expect(best.map { $0["row"] as? Int } == [0, 1] && best.map { $0["column"] as? Int } == [0, 0])

        // Equal to the plaintext cosine of the embeddings either instance computes.
        let encoded = try a.post("/v1/similarity/encode", json: ["sentences": Self.aliceSentences + [Self.bobSentence]]).json()
        let e = try #require(encoded["embeddings"] as? [[Double]])
        let plain = [similarityDot(e[0], e[2]), similarityDot(e[1], e[2])]
        #expect(abs(sa[0][0] - plain[0]) <= 1e-4)
        #expect(abs(sa[1][0] - plain[1]) <= 1e-4)

        let stats = try #require(bobDoc["stats"] as? [String: Any])
        #expect((stats["roundTrips"] as? Int ?? 0) >= 3)
        #expect((stats["bytesSent"] as? Int ?? 0) > 10_000)
        #expect((stats["durationMs"] as? Int ?? -1) >= 0)

        // The bytes between the instances carry no sentence, word or coordinate.
        let wire = pair.toAlice.bytes + pair.toBob.bytes
        #expect(wire.count > 100_000)
        func onWire(_ pattern: [UInt8]) -> Bool { wireContains(wire, pattern) }
        #expect(onWire(Array("POST /v1/peer/sessions".utf8)), "the capture sees the plaintext HTTP framing")
        for s in Self.aliceSentences + [Self.bobSentence] { #expect(!onWire(Array(s.utf8))) }
        for w in ["keyboard", "walking", "loves", "always"] { #expect(!onWire(Array(w.utf8))) }
        var checked = 0
        for vector in e {
            for x in vector where x != 0 {
                let fixed = Int64((x * 65536).rounded(.toNearestOrEven))
                #expect(!onWire(withUnsafeBytes(of: fixed.littleEndian) { Array($0) }), "fixed-point coordinate \(x) on the wire")
                #expect(!onWire(withUnsafeBytes(of: x.bitPattern.littleEndian) { Array($0) }), "float coordinate \(x) on the wire")
                let decimal = String(String(x).prefix(10))
                if decimal.count >= 8 { #expect(!onWire(Array(decimal.utf8))); checked += 1 }
            }
        }
        #expect(checked > 20)
        // A mismatch (different dimension) fails the session at both ends with a clear error.
        let second = try a.post("/v1/similarity/sessions", json: ["peer": "bob", "sentences": Self.aliceSentences]).json()
        let id2 = try #require(second["id"] as? String)
        #expect(try b.post("/v1/similarity/sessions/\(id2)/accept", json: ["vectors": [[1, 2, 3]]]).status == 202)
        let bobFailed = try b.waitForSession(id2), aliceFailed = try a.waitForSession(id2)
        #expect(bobFailed["state"] as? String == "failed")
        #expect(aliceFailed["state"] as? String == "failed")
        let bobReason = (bobFailed["error"] as? [String: Any])?["message"] as? String ?? ""
        let aliceReason = (aliceFailed["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(bobReason.contains("dimension"))
        #expect(aliceReason.contains("dimension"))

        // Decline reaches the creator; a cancel reaches the invited side and erases the session here.
        let third = try #require(try a.post("/v1/similarity/sessions", json: ["peer": "bob", "vectors": [[1, 0], [0, 1]]]).json()["id"] as? String)
        #expect(try b.post("/v1/similarity/sessions/\(third)/decline", json: [:]).status == 200)
        #expect(try a.waitForSession(third)["state"] as? String == "declined")
        let fourth = try #require(try a.post("/v1/similarity/sessions", json: ["peer": "bob", "vectors": [[1, 0]]]).json()["id"] as? String)
        #expect(try a.delete("/v1/similarity/sessions/\(fourth)").status == 200)
        #expect(try a.get("/v1/similarity/sessions/\(fourth)").status == 404)
        #expect(try b.waitForSession(fourth)["state"] as? String == "cancelled")
        #expect(try b.post("/v1/similarity/sessions/\(fourth)/accept", json: ["vectors": [[1, 0]]]).status == 409)

        // No input reaches a log.
        for log in [pair.alice.log, pair.bob.log] {
            for s in Self.aliceSentences + [Self.bobSentence] { #expect(!log.contains(s)) }
        }
    }

    @Test func tokensAndPinnedKeys() throws {
        let token = "s3cret-\(UUID().uuidString)"
        let pair = try SimilarityPair(arguments: ["--api-token", token])
        var a = pair.aliceClient
        // Without the token, or with a wrong one: 401 problem+json that reveals nothing.
        for wrong in [nil, "nope", token + "x", String(token.dropLast())] {
            a.token = wrong
            for (method, path) in [("GET", "/v1/similarity/sessions"), ("GET", "/v1/similarity/identity"), ("GET", "/v1/similarity/sessions/0123456789abcdef0123456789abcdef")] {
                let r = try a.request(method, path)
                #expect(r.status == 401)
                #expect(!r.text.contains("\"sessions\":") && !r.text.contains("\"state\""))
            }
            #expect(try a.post("/v1/similarity/sessions", json: ["peer": "bob", "vectors": [[1, 0]]]).status == 401)
        }
        a.token = token
        var b = pair.bobClient
        b.token = token
        let created = try a.post("/v1/similarity/sessions", json: ["peer": "bob", "vectors": [[0.6, 0.8]]])
        #expect(created.status == 201)
        let id = try #require(try created.json()["id"] as? String)
        #expect(try b.get("/v1/similarity/sessions/\(id)").status == 200)
        let identity = try b.get("/v1/similarity/identity").json()
        #expect(identity["publicKey"] as? String == pair.bobIdentity.publicKeyHex)

        // A message sealed by a key bob does not pin: 401 and a log line.
        let rogue = IdentityKeyPair.generate()
        let sid = SessionID.random()
        var channel = try SealedChannel(identity: rogue, peerPublicKey: pair.bobIdentity.publicKey, sessionID: sid.derived("control"))
        let forged = channel.seal(Array(#"{"version":1}"#.utf8))
        let raw = SimilarityClient(port: pair.bob.port)
        let r1 = try raw.request("POST", "/v1/peer/sessions", body: Data(forged), contentType: "application/octet-stream")
        #expect(r1.status == 401)
        let r2 = try raw.request("POST", "/v1/peer/sessions/\(id)/messages", body: Data(forged), contentType: "application/octet-stream")
        #expect(r2.status == 401)
        // Alice's key in the header but a tampered body.
        var aliceChannel = try SealedChannel(identity: pair.aliceIdentity, peerPublicKey: pair.bobIdentity.publicKey, sessionID: sid.derived("control"))
        var tampered = aliceChannel.seal(Array(#"{"version":1}"#.utf8))
        tampered[tampered.count - 1] ^= 1
        #expect(try raw.request("POST", "/v1/peer/sessions", body: Data(tampered), contentType: "application/octet-stream").status == 401)
        // The bearer token opens no peer endpoint.
        let withToken = try b.request("POST", "/v1/peer/sessions/\(id)/messages", body: Data("hello".utf8), contentType: "application/octet-stream")
        #expect(withToken.status == 401)
        #expect(pair.bob.waitForLog(containing: "peer message refused"))
        #expect(try b.get("/v1/similarity/sessions/\(id)").json()["state"] as? String == "incoming")
    }

    @Test func killingTheCreatorMidSessionFailsTheAcceptor() throws {
        let pair = try SimilarityPair(arguments: ["--peer-timeout", "2", "--similarity-max-running", "1"])
        let a = pair.aliceClient, b = pair.bobClient
        let id = try #require(try a.post("/v1/similarity/sessions", json: ["peer": "bob", "sentences": Self.aliceSentences]).json()["id"] as? String)
        let other = try #require(try a.post("/v1/similarity/sessions", json: ["peer": "bob", "sentences": Self.aliceSentences]).json()["id"] as? String)
        pair.toAlice.holdAfter(requests: 2)
        #expect(try b.post("/v1/similarity/sessions/\(id)/accept", json: ["sentences": [Self.bobSentence]]).status == 202)
        let deadline = Date().addingTimeInterval(20)
        while pair.toAlice.requestCount < 2 && Date() < deadline { usleep(10_000) }
        usleep(100_000)
        #expect(try a.get("/v1/similarity/sessions/\(id)").json()["state"] as? String == "running")
        // One session may run at a time here: a second accept waits for a free slot.
        let busy = try b.post("/v1/similarity/sessions/\(other)/accept", json: ["sentences": [Self.bobSentence]])
        #expect(busy.status == 503)
        #expect(try b.get("/v1/similarity/sessions/\(other)").json()["state"] as? String == "incoming")
        pair.alice.signal(SIGKILL)
        _ = pair.alice.waitForExit(timeout: 5)
        pair.toAlice.release()
        let started = Date()
        let doc = try b.waitForSession(id, timeout: 15)
        #expect(doc["state"] as? String == "failed")
        #expect((doc["error"] as? [String: Any])?["field"] as? String == "peer")
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func killingTheAcceptorMidSessionFailsTheCreator() throws {
        let pair = try SimilarityPair(arguments: ["--peer-timeout", "1"])
        let a = pair.aliceClient, b = pair.bobClient
        let id = try #require(try a.post("/v1/similarity/sessions", json: ["peer": "bob", "sentences": Self.aliceSentences]).json()["id"] as? String)
        pair.toAlice.holdAfter(requests: 2)
        #expect(try b.post("/v1/similarity/sessions/\(id)/accept", json: ["sentences": [Self.bobSentence]]).status == 202)
        let deadline = Date().addingTimeInterval(20)
        while pair.toAlice.requestCount < 2 && Date() < deadline { usleep(10_000) }
        usleep(100_000)
        pair.bob.signal(SIGKILL)
        _ = pair.bob.waitForExit(timeout: 5)
        let doc = try a.waitForSession(id, timeout: 15)
        #expect(doc["state"] as? String == "failed")
        let error = try #require(doc["error"] as? [String: Any])
        #expect(error["field"] as? String == "peer")
        #expect((error["message"] as? String ?? "").contains("stopped"))
    }
}

/// Whether `pattern` occurs anywhere in `haystack` (memchr for the first byte, then memcmp).
func wireContains(_ haystack: [UInt8], _ pattern: [UInt8]) -> Bool {
    guard !pattern.isEmpty, haystack.count >= pattern.count else { return pattern.isEmpty }
    return haystack.withUnsafeBytes { h in
        pattern.withUnsafeBytes { p in
            let base = h.baseAddress!
            let last = h.count - p.count
            var offset = 0
            while offset <= last {
                guard let hit = memchr(base + offset, Int32(pattern[0]), last - offset + 1) else { return false }
                let at = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + at, p.baseAddress!, p.count) == 0 { return true }
                offset = at + 1
            }
            return false
        }
    }
}
