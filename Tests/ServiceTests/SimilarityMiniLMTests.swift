import Foundation
import Testing
import TestSupport

/// The minilm encoder through the running service: encode, a secure session between two instances with the
/// model, a refusal between instances whose model files differ, and an instance without a model.
/// The suite exports INCOGNITA_SENTENCE_MODEL (scripts/test.sh), which the servers inherit.
@Suite struct SimilarityMiniLMTests {
    static let paraphrases = ["How do I reset my password?", "I forgot my login credentials."]
    static let unrelated = "The stock market fell sharply today."

    static func modelDirectory() throws -> String {
        try #require(ProcessInfo.processInfo.environment["INCOGNITA_SENTENCE_MODEL"].flatMap { $0.isEmpty ? nil : $0 },
                     "INCOGNITA_SENTENCE_MODEL is not set (scripts/test.sh sets it)")
    }

    @Test func encodeAndASessionBetweenTwoInstances() throws {
        let pair = try SimilarityPair()
        let a = pair.aliceClient, b = pair.bobClient
        let long = String(repeating: "the committee argues about the quarterly budget ", count: 40)
        let r = try a.post("/v1/similarity/encode", json: ["sentences": Self.paraphrases + [Self.unrelated, long, ""], "encoder": "minilm"])
        #expect(r.status == 200, "\(r.text)")
        let doc = try r.json()
        let encoder = try #require(doc["encoder"] as? [String: Any])
        #expect(encoder["name"] as? String == "minilm" && encoder["dimension"] as? Int == 384)
        let fingerprint = try #require(encoder["fingerprint"] as? String)
        #expect(fingerprint.hasPrefix("weights:") && fingerprint.contains(";tokenizer:"))
        let e = try #require(doc["embeddings"] as? [[Double]])
        #expect(e.count == 5 && e.allSatisfy { $0.count == 384 })
        #expect(similarityDot(e[0], e[1]) > 0.5)
        #expect(similarityDot(e[0], e[2]) < 0.1)
        let texts = try #require(doc["texts"] as? [[String: Any]])
        #expect(texts.map { $0["wordPieces"] as? Int } == [7, 7, 7, 280, 0])
        #expect(texts.map { $0["truncated"] as? Bool } == [false, false, false, true, false])
        // the hashing encoder reports no texts; a wrong dimension for minilm is refused
        #expect(try a.post("/v1/similarity/encode", json: ["sentences": ["x"]]).json()["texts"] == nil)
        let wrong = try a.post("/v1/similarity/encode", json: ["sentences": ["x"], "encoder": ["name": "minilm", "dimension": 512]])
        #expect(wrong.status == 422 && wrong.problemFields() == ["encoder.dimension"])

        // alice: the two paraphrases; bob: the first paraphrase's partner and an unrelated sentence
        let created = try a.post("/v1/similarity/sessions", json: ["peer": "bob", "encoder": "minilm", "sentences": Self.paraphrases])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(try created.json()["id"] as? String)
        let listed = try b.waitForSession(id, states: ["incoming"])
        #expect((listed["encoder"] as? [String: Any])?["fingerprint"] as? String == fingerprint)
        let accepted = try b.post("/v1/similarity/sessions/\(id)/accept", json: ["sentences": [Self.paraphrases[1], Self.unrelated]])
        #expect(accepted.status == 202, "\(accepted.text)")
        let done = try a.waitForSession(id, timeout: 60)
        #expect(done["state"] as? String == "succeeded", "\(done)")
        let s = try #require((done["result"] as? [String: Any])?["similarities"] as? [[Double]])
        #expect(abs(s[0][0] - similarityDot(e[0], e[1])) < 1e-3)
        #expect(abs(s[0][1] - similarityDot(e[0], e[2])) < 1e-3)
        #expect(s[0][0] > 0.5 && s[0][1] < 0.1)
    }

    /// Bob's model folder differs in one vocabulary line: the acceptance is refused naming the tokenizer, and the
    /// session fails at both ends with that reason.
    @Test func differentModelFilesRefuseToCompare() throws {
        let source = URL(fileURLWithPath: try Self.modelDirectory())
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("minilm-other-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.createDirectory(at: copy.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
        for f in ["config.json", "tokenizer_config.json", "sentence_bert_config.json", "model.safetensors", "1_Pooling/config.json"] {
            try FileManager.default.createSymbolicLink(at: copy.appendingPathComponent(f), withDestinationURL: source.appendingPathComponent(f))
        }
        let vocabulary = try String(contentsOf: source.appendingPathComponent("vocab.txt"), encoding: .utf8)
        try vocabulary.replacingOccurrences(of: "\nkeyboard\n", with: "\nkeyboards\n")
            .write(to: copy.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)

        let pair = try SimilarityPair(bobArguments: ["--sentence-model", copy.path])
        let a = pair.aliceClient, b = pair.bobClient
        let created = try a.post("/v1/similarity/sessions", json: ["peer": "bob", "encoder": "minilm", "sentences": Self.paraphrases])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(try created.json()["id"] as? String)
        _ = try b.waitForSession(id, states: ["incoming"])
        let refused = try b.post("/v1/similarity/sessions/\(id)/accept", json: ["sentences": [Self.unrelated]])
        #expect(refused.status == 422)
        #expect(refused.problemFields() == ["encoder"])
        #expect(refused.text.contains("tokenizer differ") && !refused.text.contains("weights differ"), "\(refused.text)")
        for side in [a, b] {
            let s = try side.waitForSession(id, timeout: 30)
            #expect(s["state"] as? String == "failed")
            let message = (s["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains("tokenizer differ"), "\(s)")
        }
    }

    @Test func withoutAModelTheEncoderIsUnavailable() throws {
        let server = try ServerProcess(environment: ["INCOGNITA_SENTENCE_MODEL": ""])
        let c = SimilarityClient(port: server.port)
        let r = try c.post("/v1/similarity/encode", json: ["sentences": ["hello"], "encoder": "minilm"])
        #expect(r.status == 422)
        #expect(r.problemFields() == ["encoder"])
        #expect(r.text.contains("unavailable") && r.text.contains("--sentence-model"))
        // a folder that is not a model: the reason names the file
        let broken = try ServerProcess(arguments: ["--sentence-model", "/nonexistent/minilm"])
        let r2 = try SimilarityClient(port: broken.port).post("/v1/similarity/encode", json: ["sentences": ["hello"], "encoder": "minilm"])
        #expect(r2.status == 422 && r2.text.contains("/nonexistent/minilm") && r2.text.contains("--sentence-model"))
        #expect(try c.post("/v1/similarity/encode", json: ["sentences": ["hello"]]).status == 200)
    }
}
