import Foundation
import Testing
@testable import SecureSimilarity
@testable import SentenceEncoder

/// Model folders that differ from the real one: a changed weight or vocabulary changes the fingerprint; broken
/// files are refused with the file and the reason, never a crash.
@Suite struct ModelFilesTests {
    /// A temporary copy of the model folder (small files copied, the weights linked unless `weights` is given).
    static func folder(weights: [UInt8]? = nil, edit: (URL) throws -> Void = { _ in }) throws -> URL {
        let source = URL(fileURLWithPath: try #require(ModelFixture.directory))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("minilm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
        for f in ["config.json", "tokenizer_config.json", "sentence_bert_config.json", "vocab.txt", "1_Pooling/config.json"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(f), to: dir.appendingPathComponent(f))
        }
        let target = dir.appendingPathComponent("model.safetensors")
        if let weights {
            try Data(weights).write(to: target)
        } else {
            try FileManager.default.createSymbolicLink(at: target, withDestinationURL: source.appendingPathComponent("model.safetensors"))
        }
        try edit(dir)
        return dir
    }

    static func weights() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: try #require(ModelFixture.directory)).appendingPathComponent("model.safetensors")))
    }

    static func header(_ bytes: [UInt8]) -> (length: Int, json: [String: Any]) {
        var n = 0
        for i in 0..<8 { n |= Int(bytes[i]) << (8 * i) }
        return (n, try! JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + n)])) as! [String: Any])
    }

    /// Loading `dir` fails with an error that contains every string of `naming`; the folder is removed after.
    static func expectRefused(_ name: String, _ dir: URL, naming: [String]) throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try MiniLMEncoder(directory: dir.path)
            Issue.record("\(name): loaded")
        } catch {
            #expect(naming.allSatisfy { error.description.contains($0) }, "\(name): \(error)")
        }
    }

    @Test func aChangedWeightOrVocabularyChangesTheFingerprint() throws {
        let original = try ModelFixture.encoder()
        var bytes = try Self.weights()
        let (n, json) = Self.header(bytes)
        let entry = json["encoder.layer.3.output.dense.bias"] as! [String: Any]
        let offset = 8 + n + (entry["data_offsets"] as! [Int])[0]
        bytes[offset] ^= 1   // the lowest mantissa bit of one bias
        let changedWeights = try Self.folder(weights: bytes)
        defer { try? FileManager.default.removeItem(at: changedWeights) }
        let w = try MiniLMEncoder(directory: changedWeights.path)
        #expect(w.weightsDigest != original.weightsDigest)
        #expect(w.tokenizerDigest == original.tokenizerDigest)
        #expect(w.descriptor.fingerprint != original.descriptor.fingerprint)
        #expect(w.descriptor.contextBytes != original.descriptor.contextBytes)

        let changedVocabulary = try Self.folder { dir in
            let url = dir.appendingPathComponent("vocab.txt")
            var text = try String(contentsOf: url, encoding: .utf8)
            text = text.replacingOccurrences(of: "\nkeyboard\n", with: "\nkeyboards\n")
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        defer { try? FileManager.default.removeItem(at: changedVocabulary) }
        let t = try MiniLMEncoder(directory: changedVocabulary.path)
        #expect(t.weightsDigest == original.weightsDigest)
        #expect(t.tokenizerDigest != original.tokenizerDigest)
        #expect(t.descriptor.fingerprint != original.descriptor.fingerprint)
    }

    @Test func brokenFilesAreRefusedWithTheirReason() throws {
        let real = try Self.weights()
        let (n, json) = Self.header(real)
        func withHeader(_ edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
            var j = json
            edit(&j)
            var h = [UInt8](try JSONSerialization.data(withJSONObject: j))
            while (8 + h.count) % 8 != 0 { h.append(0x20) }
            var out: [UInt8] = (0..<8).map { UInt8(truncatingIfNeeded: h.count >> (8 * $0)) }
            out += h
            out += real[(8 + n)...]
            return out
        }
        var lengthTooLarge = real
        lengthTooLarge[6] = 0xFF
        let cases: [(String, [UInt8], String)] = [
            ("empty", [], "empty"),
            ("short", [1, 2, 3], "shorter"),
            ("length beyond the file", lengthTooLarge, "header length"),
            ("not JSON", [4, 0, 0, 0, 0, 0, 0, 0] + Array("nope".utf8) + [0, 0, 0, 0], "not JSON"),
            ("missing tensor", try withHeader { $0["encoder.layer.5.output.dense.weight"] = nil }, "missing"),
            ("wrong dtype", try withHeader { j in
                var e = j["embeddings.LayerNorm.bias"] as! [String: Any]; e["dtype"] = "F16"; j["embeddings.LayerNorm.bias"] = e }, "F16"),
            ("wrong shape", try withHeader { j in
                var e = j["embeddings.LayerNorm.bias"] as! [String: Any]; e["shape"] = [383]; j["embeddings.LayerNorm.bias"] = e }, "shape"),
            ("offsets outside", try withHeader { j in
                var e = j["embeddings.LayerNorm.bias"] as! [String: Any]; e["data_offsets"] = [0, 1 << 40]; j["embeddings.LayerNorm.bias"] = e }, "outside"),
            ("misaligned", try withHeader { j in
                var e = j["embeddings.LayerNorm.bias"] as! [String: Any]
                let o = e["data_offsets"] as! [Int]; e["data_offsets"] = [o[0] + 1, o[1] + 1]; j["embeddings.LayerNorm.bias"] = e }, "aligned"),
        ]
        for (name, bytes, reason) in cases {
            try Self.expectRefused(name, try Self.folder(weights: bytes), naming: ["model.safetensors", reason])
        }
        // other files: missing, not JSON, another architecture, a vocabulary of the wrong size
        let edits: [(String, (URL) throws -> Void, String)] = [
            ("no vocab", { try FileManager.default.removeItem(at: $0.appendingPathComponent("vocab.txt")) }, "vocab.txt"),
            ("config not JSON", { try Data("{".utf8).write(to: $0.appendingPathComponent("config.json")) }, "config.json"),
            ("relu", { dir in
                let u = dir.appendingPathComponent("config.json")
                try String(contentsOf: u, encoding: .utf8).replacingOccurrences(of: "\"gelu\"", with: "\"relu\"").write(to: u, atomically: true, encoding: .utf8)
            }, "GELU"),
            ("cls pooling", { dir in
                try Data("{\"pooling_mode_cls_token\": true}".utf8).write(to: dir.appendingPathComponent("1_Pooling/config.json"))
            }, "mean pooling"),
            ("short vocabulary", { dir in
                try Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\n".utf8).write(to: dir.appendingPathComponent("vocab.txt"))
            }, "vocab.txt"),
        ]
        for (name, edit, reason) in edits {
            try Self.expectRefused(name, try Self.folder(edit: edit), naming: [reason])
        }
        #expect(throws: SentenceModelError.self) { try MiniLMEncoder(directory: "/nonexistent/model") }
    }
}
