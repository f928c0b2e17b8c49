import Foundation
import Testing
@testable import SecureSimilarity

/// Encoders against an independent Python implementation of their specifications
/// (Fixtures/encoders.json, Scripts/make_encoder_fixtures.py).
@Suite struct TextEncoderTests {
    struct Hashing: Decodable { let dimension: Int; let sentences: [String]; let expected: [[Double]] }
    struct SIF: Decodable {
        let file: String; let header: Bool; let sentences: [String]; let expected: [[Double]]
        let weights: [String: Double]; let vocabulary: Int
    }
    struct Fixture: Decodable { let hashing: [Hashing]; let sif: [SIF]; let words: [String: [String]] }

    static func load() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/encoders.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    static func maxDiff(_ a: [[Double]], _ b: [[Double]]) -> Double {
        var m = 0.0
        for (x, y) in zip(a, b) { for (u, v) in zip(x, y) { m = max(m, abs(u - v)) } }
        return a.count == b.count ? m : .infinity
    }

    @Test func tokenisation() throws {
        for (sentence, words) in try Self.load().words { #expect(TextEncoding.words(sentence) == words) }
    }

    @Test func hashingMatchesReference() throws {
        for c in try Self.load().hashing {
            let e = try HashingEncoder(dimension: c.dimension).encode(c.sentences)
            #expect(Self.maxDiff(e, c.expected) < 1e-12)
        }
    }

    @Test func hashingPutsBobsSentenceNearAlicesFirst() throws {
        let enc = try HashingEncoder()
        let alice = try enc.encode(["my cat loves to walk over my keyboard", "I like to pet my cat"])
        let bob = try enc.encode(["the cat is always walking over my keyboard"])
        let c0 = TestData.cosine(alice[0], bob[0]), c1 = TestData.cosine(alice[1], bob[0])
        #expect(c0 > c1 + 0.1)
        // and the secure protocol reproduces the plaintext cosines within 1e-4
        let (ini, _, _) = try TestData.session(alice, bob, f: 16)
        let s = ini.result!.similarities
        #expect(abs(s[0][0] - c0) < 1e-4 && abs(s[1][0] - c1) < 1e-4)
        #expect(ini.result!.bestMatches.map(\.column) == [0, 0])
    }

    @Test func hashingValidates() throws {
        #expect(throws: SimilarityError.self) { try HashingEncoder(dimension: 8) }
        let enc = try HashingEncoder(dimension: 64)
        #expect { try enc.encode(["fine", "  ?!  "]) } throws: { ($0 as? SimilarityError)?.field == "sentences[1]" }
        #expect { try enc.encode([]) } throws: { ($0 as? SimilarityError)?.field == "sentences" }
        #expect { try enc.encode([String(repeating: "a", count: 20_000)]) } throws: { ($0 as? SimilarityError)?.field == "sentences[0]" }
        #expect(enc.descriptor.fingerprint != (try HashingEncoder(dimension: 65)).descriptor.fingerprint)
        #expect(enc.descriptor.fingerprint == (try HashingEncoder(dimension: 64)).descriptor.fingerprint)
    }

    @Test func sifMatchesReference() throws {
        for c in try Self.load().sif {
            let enc = try WordVectorEncoder(bytes: Array(c.file.utf8))
            #expect(enc.dimension == 6)
            #expect(enc.vocabularySize == c.vocabulary)
            for (w, x) in c.weights { #expect(abs(enc.weight(of: w)! - x) < 1e-15) }
            let e = try enc.encode(c.sentences)
            #expect(Self.maxDiff(e, c.expected) < 1e-12)
        }
    }

    @Test func sifFromFileAndErrors() throws {
        let c = try Self.load().sif[0]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sif-\(UUID().uuidString).txt")
        try Data(c.file.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let enc = try WordVectorEncoder(contentsOf: url)
        #expect(enc.descriptor.name == "word-vectors")
        #expect(enc.descriptor.fingerprint == (try WordVectorEncoder(bytes: Array(c.file.utf8))).descriptor.fingerprint)
        #expect { try enc.encode(["zzz qqq"]) } throws: { ($0 as? SimilarityError)?.field == "sentences[0]" }
        #expect { try WordVectorEncoder(contentsOf: url.appendingPathExtension("missing")) } throws: {
            ($0 as? SimilarityError)?.field == "encoder.file"
        }
        for bad in ["a 1 2\nb 1\n", "a 1 nan\n", "a 1 2e\n", "", "a 1 x\n"] {
            #expect(throws: SimilarityError.self) { try WordVectorEncoder(bytes: Array(bad.utf8)) }
        }
        // numbers in every notation parse like strtod
        let odd = try WordVectorEncoder(bytes: Array("x 1e-3 -2.5E+2 +0.125 00012 .5 3.\n".utf8))
        let expected = TextEncoding.normalised([1e-3, -250, 0.125, 12, 0.5, 3].map { Double(Float($0)) })!
        #expect(Self.maxDiff(try odd.encode(["x"]), [expected]) < 1e-15)
    }

    @Test func directVectorsAreNormalisedOrRefused() throws {
        let v = try TextEncoding.normaliseVectors([[3, 4], [0, 2]])
        #expect(v == [[0.6, 0.8], [0, 1]])
        #expect { try TextEncoding.normaliseVectors([[0, 0]]) } throws: { ($0 as? SimilarityError)?.field == "vectors[0]" }
        #expect { try TextEncoding.normaliseVectors([[1, 0], [1]]) } throws: { ($0 as? SimilarityError)?.field == "vectors[1]" }
        #expect { try TextEncoding.normaliseVectors([[1, .infinity]]) } throws: { ($0 as? SimilarityError)?.field == "vectors[0]" }
        #expect { try TextEncoding.normaliseVectors([]) } throws: { ($0 as? SimilarityError)?.field == "vectors" }
        let d = EncoderDescriptor(name: "hashing", dimension: 64, fingerprint: "ab")
        #expect(d.contextBytes.count == 32 && d.contextBytes != EncoderDescriptor(name: "hashing", dimension: 64, fingerprint: "ac").contextBytes)
    }
}
