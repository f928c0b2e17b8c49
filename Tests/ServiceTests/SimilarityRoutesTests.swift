import Foundation
import SecureSimilarity
import Service
import Testing
import TestSupport

/// One instance in process: identity, encode, loopback sessions, validation and limits.
@Suite struct SimilarityRoutesTests {
    /// Polls a session until it leaves invited/incoming/running.
    static func wait(_ h: ServiceHarness, _ id: String) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let doc = try h.get("/v1/similarity/sessions/\(id)").json()
            if let s = doc["state"] as? String, !["invited", "incoming", "running"].contains(s) { return doc }
            usleep(20_000)
        }
        throw RawHTTPClient.Failure(description: "session \(id) did not finish")
    }

    static func randomUnitVectors(_ count: Int, _ n: Int, seed: UInt64) -> [[Double]] {
        var g = seed
        func next() -> Double {
            g = g &* 6364136223846793005 &+ 1442695040888963407
            return Double(Int64(bitPattern: g >> 11) - (1 << 52)) / Double(1 << 52)
        }
        return (0..<count).map { _ in
            let v = (0..<n).map { _ in next() }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm }
        }
    }

    @Test func identityIsCreatedOnceAndKept() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-id-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var first = ""
        do {
            let h = try ServiceHarness(configure: { $0.dataDirectory = dir.path })
            let doc = try h.get("/v1/similarity/identity").json()
            first = try #require(doc["publicKey"] as? String)
            #expect(first.count == 64)
            #expect((doc["fingerprint"] as? String)?.count == 39)
        }
        let file = dir.appendingPathComponent("similarity/identity.key")
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((attributes[.size] as? NSNumber)?.intValue == IdentityKeyPair.serializedBytes)
        let h = try ServiceHarness(configure: { $0.dataDirectory = dir.path })
        #expect(try h.get("/v1/similarity/identity").json()["publicKey"] as? String == first)
    }

    @Test func encodeGivesUnitEmbeddingsAndNamesTheEncoder() throws {
        let h = try ServiceHarness()
        let r = try h.post("/v1/similarity/encode", json: ["sentences": ["my cat loves to walk over my keyboard", "I like to pet my cat"]])
        #expect(r.status == 200)
        let doc = try r.json()
        let e = try #require(doc["embeddings"] as? [[Double]])
        #expect(e.count == 2 && e[0].count == 1024)
        for v in e { #expect(abs(similarityDot(v, v) - 1) < 1e-12) }
        let encoder = try #require(doc["encoder"] as? [String: Any])
        #expect(encoder["name"] as? String == "hashing" && encoder["dimension"] as? Int == 1024)
        #expect(encoder["fingerprint"] as? String == (try HashingEncoder(dimension: 1024)).descriptor.fingerprint)
        let expected = try HashingEncoder(dimension: 1024).encode(["my cat loves to walk over my keyboard"])[0]
        #expect(zip(expected, e[0]).allSatisfy { abs($0 - $1) < 1e-12 })

        let small = try h.post("/v1/similarity/encode", json: ["sentences": ["cat"], "encoder": ["name": "hashing", "dimension": 64]]).json()
        #expect((small["embeddings"] as? [[Double]])?.first?.count == 64)

        #expect(try h.post("/v1/similarity/encode", json: ["sentences": ["cat"], "encoder": "bert"]).problemFields() == ["encoder"])
        #expect(try h.post("/v1/similarity/encode", json: ["sentences": ["cat"], "encoder": "word-vectors"]).problemFields() == ["encoder"])
        #expect(try h.post("/v1/similarity/encode", json: ["sentences": ["cat"], "encoder": ["name": "hashing", "dimension": 9000]]).status == 422)
        #expect(try h.post("/v1/similarity/encode", json: ["sentences": []]).status == 422)
        #expect(try h.post("/v1/similarity/encode", json: ["sentences": ["!!!"]]).problemFields() == ["sentences[0]"])
        #expect(try h.post("/v1/similarity/encode", json: ["sentences": "cat"]).problemFields() == ["sentences"])
        #expect(try h.post("/v1/similarity/encode", raw: "{\"sentences\": [").status == 400)
    }

    @Test func wordVectorEncoderFromAFileNamedAtStart() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wv-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        try "the 0.1 0.2 0.3\ncat 1 0 0\nkeyboard 0 1 0\nwalk 0 0 1\n".write(to: file, atomically: true, encoding: .utf8)
        let h = try ServiceHarness(configure: { $0.similarityWordVectors = file.path })
        let doc = try h.post("/v1/similarity/encode", json: ["sentences": ["the cat"], "encoder": "word-vectors"]).json()
        let e = try #require((doc["embeddings"] as? [[Double]])?.first)
        let reference = try WordVectorEncoder(contentsOf: file).encode(["the cat"])[0]
        #expect(e.count == 3 && zip(e, reference).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect((doc["encoder"] as? [String: Any])?["name"] as? String == "word-vectors")
    }

    @Test func loopbackSessionEqualsPlaintextCosine() throws {
        let h = try ServiceHarness()
        let mine = Self.randomUnitVectors(3, 96, seed: 1), theirs = Self.randomUnitVectors(2, 96, seed: 2)
        let created = try h.post("/v1/similarity/sessions", json: ["peer": "loopback", "vectors": mine, "label": "demo"])
        #expect(created.status == 201)
        let id = try #require(try created.json()["id"] as? String)
        #expect(try created.json()["state"] as? String == "invited")
        let accepted = try h.post("/v1/similarity/sessions/\(id)/accept", json: ["vectors": theirs])
        #expect(accepted.status == 202)
        let doc = try Self.wait(h, id)
        #expect(doc["state"] as? String == "succeeded")
        let s = try #require((doc["result"] as? [String: Any])?["similarities"] as? [[Double]])
        #expect(s.count == 3 && s.allSatisfy { $0.count == 2 })
        for i in 0..<3 { for j in 0..<2 { #expect(abs(s[i][j] - similarityDot(mine[i], theirs[j])) <= 1e-4) } }
        let best = try #require((doc["result"] as? [String: Any])?["best"] as? [[String: Any]])
        for (i, b) in best.enumerated() {
            #expect(b["row"] as? Int == i)
            #expect(b["column"] as? Int == (s[i][0] >= s[i][1] ? 0 : 1))
        }
        let stats = try #require(doc["stats"] as? [String: Any])
        #expect((stats["roundTrips"] as? Int ?? 0) >= 3 && (stats["bytesSent"] as? Int ?? 0) > 0)
        #expect(try h.post("/v1/similarity/sessions/\(id)/accept", json: ["vectors": theirs]).status == 409)

        // Listed, then erased by DELETE.
        let list = try #require(try h.get("/v1/similarity/sessions").json()["sessions"] as? [[String: Any]])
        #expect(list.contains { $0["id"] as? String == id })
        #expect(try h.delete("/v1/similarity/sessions/\(id)").status == 200)
        #expect(try h.get("/v1/similarity/sessions/\(id)").status == 404)
        #expect(try h.delete("/v1/similarity/sessions/\(id)").status == 404)
    }

    @Test func mismatchFailsTheSessionWithAClearError() throws {
        let h = try ServiceHarness()
        let id = try #require(try h.post("/v1/similarity/sessions", json: ["peer": "loopback", "vectors": [[1, 2, 3, 4]]]).json()["id"] as? String)
        #expect(try h.post("/v1/similarity/sessions/\(id)/accept", json: ["vectors": [[1, 2, 3, 4, 5]]]).status == 202)
        let doc = try Self.wait(h, id)
        #expect(doc["state"] as? String == "failed")
        let error = try #require(doc["error"] as? [String: Any])
        #expect(error["field"] as? String == "hello.dimension")
        #expect((error["message"] as? String ?? "").contains("dimension"))

        let id2 = try #require(try h.post("/v1/similarity/sessions", json: ["peer": "loopback", "vectors": [[1, 2, 3, 4]], "fractionBits": 20]).json()["id"] as? String)
        #expect(try h.post("/v1/similarity/sessions/\(id2)/accept", json: ["vectors": [[1, 2, 3, 4]], "fractionBits": 16]).status == 202)
        #expect(((try Self.wait(h, id2)["error"] as? [String: Any])?["field"] as? String) == "hello.fractionBits")
    }

    @Test func declineAndUnknownSessions() throws {
        let h = try ServiceHarness()
        let id = try #require(try h.post("/v1/similarity/sessions", json: ["peer": "loopback", "sentences": ["a cat"]]).json()["id"] as? String)
        let declined = try h.post("/v1/similarity/sessions/\(id)/decline", json: [:])
        #expect(declined.status == 200)
        #expect(try declined.json()["state"] as? String == "declined")
        #expect(try h.post("/v1/similarity/sessions/\(id)/accept", json: ["sentences": ["a dog"]]).status == 409)
        #expect(try h.get("/v1/similarity/sessions/0123456789abcdef0123456789abcdef").status == 404)
        #expect(try h.post("/v1/similarity/sessions/nope/accept", json: ["vectors": [[1]]]).status == 404)
    }

    @Test func inputsAreValidated() throws {
        let h = try ServiceHarness(configure: { $0.similarityMaxVectors = 3; $0.similarityMaxProducts = 4 })
        func fields(_ body: [String: Any]) throws -> [String] {
            let r = try h.post("/v1/similarity/sessions", json: body)
            #expect(r.status == 422, "\(body)")
            return r.problemFields()
        }
        #expect(try fields(["peer": "mallory", "vectors": [[1, 0]]]) == ["peer"])
        #expect(try fields(["peer": "loopback", "vectors": [[1, 0], [0, 0]]]) == ["vectors[1]"])
        #expect(try fields(["peer": "loopback", "vectors": [[1, 0], [0, 1, 2]]]) == ["vectors[1]"])
        #expect(try fields(["peer": "loopback", "vectors": [[1, 0]], "sentences": ["x"]]) == ["sentences"])
        #expect(try fields(["peer": "loopback"]) == ["vectors"])
        #expect(try fields(["peer": "loopback", "vectors": [[1, 0]], "fractionBits": 40]) == ["fractionBits"])
        #expect(try fields(["peer": "loopback", "vectors": [[1], [2], [3], [4]]]) == ["vectors"])
        #expect(try fields(["peer": "loopback", "vectors": [[Double](repeating: 1, count: 8193)]]) == ["vectors[0]"])
        #expect(try fields(["peer": "loopback", "vectors": [["x"]]]) == ["vectors[0][0]"])
        #expect(try fields(["peer": "loopback", "vectors": [[1, 0]], "label": String(repeating: "x", count: 201)]) == ["label"])
        #expect(try h.post("/v1/similarity/sessions", raw: "{").status == 400)
        // p·q above the limit is refused at accept, naming the field.
        let id = try #require(try h.post("/v1/similarity/sessions", json: ["peer": "loopback", "vectors": [[1, 0], [0, 1], [1, 1]]]).json()["id"] as? String)
        let r = try h.post("/v1/similarity/sessions/\(id)/accept", json: ["vectors": [[1, 0], [0, 1]]])
        #expect(r.status == 422 && r.problemFields() == ["vectors"])
    }

    @Test func pendingSessionsExpire() throws {
        let h = try ServiceHarness(configure: { $0.sessionTTL = 1 })
        let id = try #require(try h.post("/v1/similarity/sessions", json: ["peer": "loopback", "vectors": [[1, 0]]]).json()["id"] as? String)
        let doc = try Self.wait(h, id)
        #expect(doc["state"] as? String == "expired")
        #expect(try h.post("/v1/similarity/sessions/\(id)/accept", json: ["vectors": [[1, 0]]]).status == 409)
        // Forgotten one TTL after expiry.
        let deadline = Date().addingTimeInterval(5)
        while try h.get("/v1/similarity/sessions/\(id)").status != 404 && Date() < deadline { usleep(50_000) }
        #expect(try h.get("/v1/similarity/sessions/\(id)").status == 404)
    }

    @Test func sessionsPerHourPerPeerAreLimited() throws {
        let h = try ServiceHarness(configure: { $0.similaritySessionsPerHour = 2 })
        for _ in 0..<2 { #expect(try h.post("/v1/similarity/sessions", json: ["peer": "loopback", "vectors": [[1, 0]]]).status == 201) }
        let r = try h.post("/v1/similarity/sessions", json: ["peer": "loopback", "vectors": [[1, 0]]])
        #expect(r.status == 429)
        #expect(r.header("Retry-After") != nil)
    }

    @Test func tokenIsRequiredWhenSet() throws {
        let h = try ServiceHarness(configure: { $0.apiToken = "tok-123" })
        #expect(try h.get("/v1/similarity/sessions").status == 401)
        #expect(try h.get("/v1/similarity/sessions", headers: ["Authorization": "Bearer tok-12"]).status == 401)
        #expect(try h.get("/v1/similarity/sessions", headers: ["Authorization": "Basic tok-123"]).status == 401)
        #expect(try h.get("/v1/similarity/sessions", headers: ["Authorization": "Bearer tok-123"]).status == 200)
        #expect(try h.post("/v1/similarity/encode", json: ["sentences": ["x"]]).status == 401)
        #expect(try h.get("/healthz").status == 200)
        // The peer endpoints never take the token: only sealed messages from pinned keys.
        let peer = try h.request("POST", "/v1/peer/sessions", body: Data("x".utf8), headers: ["Authorization": "Bearer tok-123", "Content-Type": "application/octet-stream"])
        #expect(peer.status == 401)
    }
}
