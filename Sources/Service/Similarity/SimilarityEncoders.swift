import Foundation
import SecureSimilarity

/// Which encoder a request names: `"hashing"`, `"word-vectors"`, or `{"name": "hashing", "dimension": 512}`.
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
/// file was named at start-up, the word-vector encoder (loaded on first use, then kept).
/// Vectors given directly get the descriptor `vectors` (dimension n, fingerprint `direct`), so
/// both sides of a session must then give vectors of the same dimension.
final class SimilarityEncoders: @unchecked Sendable {
    let defaultHashingDimension: Int
    let maxDimension: Int
    let maxVectors: Int
    let wordVectorsPath: String?
    private let lock = NSLock()
    private var wordVectors: Result<WordVectorEncoder, SimilarityError>?

    init(defaultHashingDimension: Int, maxDimension: Int, maxVectors: Int, wordVectorsPath: String?) {
        self.defaultHashingDimension = defaultHashingDimension
        self.maxDimension = maxDimension
        self.maxVectors = maxVectors
        self.wordVectorsPath = wordVectorsPath
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
        default:
            throw APIError.invalid("encoder", "unknown encoder \(spec.name.prefix(40)); use hashing or word-vectors")
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
