import Foundation
import Testing
@testable import SecureSimilarity
@testable import SentenceEncoder

/// Token ids against the Hugging Face `tokenizers` package (Scripts/make_tokenizer_fixtures.py):
/// 2,700+ texts of every kind, and every Unicode scalar in context.
@Suite struct BertTokenizerTests {
    struct Case: Decodable { let category: String; let text: String; let ids: [Int32]; let pieces: Int }
    struct Cases: Decodable { let maxTokens: Int; let cases: [Case] }
    struct Chunk: Decodable { let start: Int; let count: Int; let sha256: String }
    struct Sweep: Decodable { let chunk: Int; let chunks: [Chunk] }

    @Test func fixtureTextsTokenizeAsTheReference() throws {
        let tokenizer = try ModelFixture.encoder().tokenizer
        let fixture = try JSONDecoder().decode(Cases.self, from: Data(contentsOf: ModelFixture.url("tokenizer_cases.json")))
        #expect(fixture.cases.count >= 2000)
        var categories: [String: Int] = [:], truncated = 0, failures = 0
        for c in fixture.cases {
            let e = tokenizer.encode(c.text, maxTokens: fixture.maxTokens)
            categories[String(c.category.prefix { $0 != ":" }), default: 0] += 1
            if e.truncated { truncated += 1 }
            if e.ids != c.ids || e.pieces != c.pieces {
                failures += 1
                if failures <= 10 {
                    Issue.record("\(c.category) \(c.text.unicodeScalars.prefix(40).map { String($0.value, radix: 16) }): \(e.ids.prefix(40)) (\(e.pieces)) ≠ \(c.ids.prefix(40)) (\(c.pieces))")
                }
            }
        }
        #expect(failures == 0)
        #expect(truncated >= 40)
        for k in ["sentence", "accents", "cjk", "emoji", "url", "number", "script", "whitespace", "control", "empty", "long",
                  "combining", "zero-width", "category", "long-word", "special", "random", "mixed"] {
            #expect((categories[k] ?? 0) > 0, "fixture category \(k)")
        }
    }

    /// Every Unicode scalar, alone and inside a word ("c xcy"), in chunks of 512 whose id lists are hashed.
    @Test func everyScalarTokenizesAsTheReference() throws {
        let tokenizer = try ModelFixture.encoder().tokenizer
        let sweep = try JSONDecoder().decode(Sweep.self, from: Data(contentsOf: ModelFixture.url("tokenizer_sweep.json")))
        #expect(sweep.chunks.count == 0x110000 / sweep.chunk)
        var failures = 0
        for chunk in sweep.chunks {
            var parts: [String] = []
            for cp in chunk.start..<min(chunk.start + sweep.chunk, 0x110000) {
                guard let s = Unicode.Scalar(UInt32(cp)) else { continue }
                let c = String(Character(s))
                parts.append(c + " x" + c + "y")
            }
            let ids = [tokenizer.clsID] + tokenizer.wordPieces(parts.joined(separator: " ")) + [tokenizer.sepID]
            var d = ContentDigest()
            d.update(Array(ids.map(String.init).joined(separator: ",").utf8))
            if ids.count != chunk.count || d.hex() != chunk.sha256 {
                failures += 1
                if failures <= 10 { Issue.record("chunk U+\(String(chunk.start, radix: 16)): \(ids.count) ids, reference \(chunk.count)") }
            }
        }
        #expect(failures == 0)
    }

    @Test func knownSentences() throws {
        let t = try ModelFixture.encoder().tokenizer
        #expect(t.encode("Hello, world!", maxTokens: 256).ids == [101, 7592, 1010, 2088, 999, 102])
        #expect(t.encode("", maxTokens: 256).ids == [101, 102])
        #expect(t.encode("", maxTokens: 256).pieces == 0)
        // the special tokens are recognised in the raw text, other spellings are not
        #expect(t.wordPieces("[MASK]") == [103])
        #expect(t.wordPieces("[mask]").count == 3)
        // a word beyond 100 characters is one [UNK]; 100 characters are word pieces
        #expect(t.wordPieces(String(repeating: "a", count: 101)) == [t.unkID])
        #expect(t.wordPieces(String(repeating: "a", count: 100)).count > 1)
        // truncation keeps [CLS], the first 254 pieces and [SEP]
        let long = t.encode(String(repeating: "cat ", count: 300), maxTokens: 256)
        #expect(long.ids.count == 256 && long.pieces == 300 && long.truncated)
        #expect(long.ids.first == t.clsID && long.ids.last == t.sepID)
    }

    @Test func hostileTextNeverCrashes() throws {
        let t = try ModelFixture.encoder().tokenizer
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...400, using: &rng) {
                let v = UInt32.random(in: 0...0x10FFFF, using: &rng)
                if let u = Unicode.Scalar(v) { s.append(u) }
                if Bool.random(using: &rng) { s.append(Unicode.Scalar(0x301)!) }
            }
            let e = t.encode(String(s), maxTokens: 256)
            #expect(e.ids.count >= 2 && e.ids.count <= 256)
            #expect(e.ids.allSatisfy { $0 >= 0 && Int($0) < t.vocabularySize })
        }
    }
}
