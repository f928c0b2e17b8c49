import Foundation
import Testing
@testable import SecureSimilarity
@testable import SentenceEncoder

/// Embeddings against the numpy reference (Scripts/minilm_reference.py → Fixtures/embedding_cases.json),
/// batching, limits and the fingerprint.
@Suite struct MiniLMEncoderTests {
    struct Case: Decodable { let text: String; let embedding: String }
    struct Cases: Decodable { let dimension: Int; let cases: [Case] }

    static func reference() throws -> [(String, [Double])] {
        let f = try JSONDecoder().decode(Cases.self, from: Data(contentsOf: ModelFixture.url("embedding_cases.json")))
        return f.cases.map { c in
            let bytes = Data(base64Encoded: c.embedding)!
            let floats = bytes.withUnsafeBytes { raw in (0..<(raw.count / 4)).map { Double(Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self).littleEndian)) } }
            return (c.text, floats)
        }
    }

    /// Every build of the kernels this machine runs (portable always; AVX2 and AVX-512 where the processor has
    /// them) gives every fixture's embedding to the tolerance: in batches (the cores split the rows) and, for a
    /// sample, alone (few rows: the cores split the products' columns).
    @Test(arguments: TransformerKernel.available)
    func embeddingsEqualTheReference(_ kernel: TransformerKernel) throws {
        let encoder = try ModelFixture.encoder(kernel: kernel)
        #expect(encoder.matrixKernel == kernel.rawValue)
        let cases = try Self.reference()
        #expect(cases.count >= 200)
        let texts = cases.map(\.0)
        let (embeddings, notes) = try encoder.encodeWithNotes(texts, isCancelled: { false })
        #expect(embeddings.count == cases.count && notes?.count == cases.count)
        let sample = Array(stride(from: 0, to: cases.count, by: cases.count / 12))
        let alone = try sample.map { try encoder.encode([texts[$0]])[0] }
        var worstCosine = 1.0, worstDelta = 0.0
        for ((text, expected), got) in Array(zip(cases, embeddings)) + Array(zip(sample.map { cases[$0] }, alone)) {
            #expect(got.count == 384)
            let cos = ModelFixture.cosine(got, expected)
            let delta = zip(got, expected).map { abs($0 - $1) }.max()!
            worstCosine = min(worstCosine, cos)
            worstDelta = max(worstDelta, delta)
            if cos < 0.99999 || delta > 1e-4 { Issue.record("\(kernel) \(text.prefix(60).debugDescription): cosine \(cos), max |Δ| \(delta)") }
        }
        #expect(worstCosine >= 0.99999)
        #expect(worstDelta <= 1e-4)
        #expect((notes ?? []).contains { $0.truncated })
    }

    /// How the cores share the work (rows of a batch, or the products' columns for a text alone) does not change
    /// any value's arithmetic: one thread and every core give the same bits.
    @Test func embeddingsDoNotDependOnTheThreads() throws {
        let texts = try Self.reference().prefix(40).map(\.0) + ["猫", "", String(repeating: "long text ", count: 90)]
        let all = try ModelFixture.encoder(), one = try ModelFixture.encoder(kernel: TransformerKernel.available[0], threads: 1)
        #expect(try all.encode(texts) == one.encode(texts))
        for text in texts.suffix(8) { #expect(try all.encode([text]) == one.encode([text]), "\(text.prefix(40))") }
    }

    /// A kernel build the processor lacks is refused at load, naming it.
    @Test func refusesKernelsTheProcessorLacks() throws {
        let directory = try #require(ModelFixture.directory)
        for kernel in TransformerKernel.allCases where !TransformerKernel.available.contains(kernel) {
            #expect(throws: SentenceModelError.invalidInput(field: "kernel", message: "this processor cannot run the \(kernel.rawValue) kernels")) {
                try MiniLMEncoder(directory: directory, kernel: kernel)
            }
        }
    }

    /// A text's embedding does not depend on its batch: alone, padded next to a long text, or among 40 others.
    @Test func batchesArePaddedWithMasks() throws {
        let encoder = try ModelFixture.encoder()
        let short = "my cat loves to walk over my keyboard"
        let long = String(repeating: "the committee argues about the quarterly budget. ", count: 30)
        let alone = try encoder.encode([short])[0]
        let mixed = try encoder.encode([long, short, "", "猫"])
        let many = try encoder.encode((0..<40).map { $0 == 33 ? short : "sentence number \($0) " + String(repeating: "x ", count: $0) })
        for other in [mixed[1], many[33]] {
            #expect(zip(alone, other).map { abs($0 - $1) }.max()! < 1e-5)
        }
        // unit length, finite
        for e in mixed + many {
            let n = e.reduce(0) { $0 + $1 * $1 }
            #expect(abs(n - 1) < 1e-6 && e.allSatisfy(\.isFinite))
        }
    }

    @Test func paraphrasesScoreHighAndUnrelatedLow() throws {
        let encoder = try ModelFixture.encoder()
        let e = try encoder.encode(["How do I reset my password?", "I forgot my login credentials.",
                                    "The stock market fell sharply today.", "the cat is always walking over my keyboard",
                                    "my cat loves to walk over my keyboard"])
        let paraphrase = ModelFixture.cosine(e[0], e[1]), unrelated = ModelFixture.cosine(e[0], e[2])
        #expect(paraphrase > 0.5)
        #expect(unrelated < 0.1)
        #expect(ModelFixture.cosine(e[3], e[4]) > 0.7)
    }

    @Test func notesCountWordPiecesAndTruncation() throws {
        let encoder = try ModelFixture.encoder()
        let (_, notes) = try encoder.encodeWithNotes(["Hello, world!", "", String(repeating: "cat ", count: 300)], isCancelled: { false })
        #expect(notes == [TextEncodingNote(wordPieces: 4, truncated: false), TextEncodingNote(wordPieces: 0, truncated: false),
                          TextEncodingNote(wordPieces: 300, truncated: true)])
    }

    @Test func limitsAndCancellation() throws {
        let encoder = try ModelFixture.encoder()
        #expect(throws: SimilarityError.self) { try encoder.encode([]) }
        #expect(throws: SimilarityError.self) { try encoder.encode([String(repeating: "a", count: TextEncoding.maxSentenceBytes + 1)]) }
        #expect(throws: SimilarityError.cancelled(field: "sentences", message: SentenceModelError.cancelled.description)) {
            try encoder.encodeWithNotes(["one", "two"], isCancelled: { true })
        }
        #expect(throws: SentenceModelError.self) { try encoder.embed([[101, 999_999, 102]]) }
        #expect(throws: SentenceModelError.self) { try encoder.embed([Array(repeating: 101, count: 257)]) }
    }

    @Test func descriptorAndFingerprint() throws {
        let encoder = try ModelFixture.encoder()
        let d = encoder.descriptor
        #expect(d.name == "minilm" && d.dimension == 384)
        #expect(d.fingerprint == "weights:\(encoder.weightsDigest.prefix(32));tokenizer:\(encoder.tokenizerDigest.prefix(32))")
        #expect(d.fingerprint.utf8.count <= 128)
    }
}
