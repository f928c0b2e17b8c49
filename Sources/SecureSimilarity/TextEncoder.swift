/// What identifies an encoder to a peer: both sides of a session must use the same one.
public struct EncoderDescriptor: Sendable, Hashable, Codable {
    /// "hashing" or "word-vectors".
    public let name: String
    /// Length of every embedding.
    public let dimension: Int
    /// Hex digest over everything that determines the embeddings (algorithm version, parameters,
    /// vector file contents).
    public let fingerprint: String

    public init(name: String, dimension: Int, fingerprint: String) {
        self.name = name
        self.dimension = dimension
        self.fingerprint = fingerprint
    }

    /// Bytes for `SimilarityParameters.context`, so a session fails at its first message when the
    /// two instances embed differently.
    public var contextBytes: [UInt8] {
        Array(Sodium.sha256(Array("\(name)|\(dimension)|\(fingerprint)".utf8)).prefix(32))
    }
}

/// What an encoder can tell about one text beside its embedding.
public struct TextEncodingNote: Sendable, Equatable {
    /// Word pieces of the whole text (a model's tokens, its own markers not counted), before any truncation.
    public let wordPieces: Int
    /// Whether the embedding saw only the first part of the text.
    public let truncated: Bool

    public init(wordPieces: Int, truncated: Bool) {
        self.wordPieces = wordPieces
        self.truncated = truncated
    }
}

/// Turns sentences into unit-length embeddings.
public protocol TextEncoder: Sendable {
    var descriptor: EncoderDescriptor { get }
    /// One L2-normalised embedding per sentence; a sentence that yields no features fails with
    /// `invalidInput` naming `sentences[i]`.
    func encode(_ sentences: [String]) throws(SimilarityError) -> [[Double]]
    /// The embeddings and, for encoders that tokenize into a bounded window, a note per text; the
    /// check for a cancelled or overdue computation (`isCancelled`) happens between batches.
    func encodeWithNotes(_ sentences: [String], isCancelled: @Sendable () -> Bool) throws(SimilarityError)
        -> (embeddings: [[Double]], notes: [TextEncodingNote]?)
}

extension TextEncoder {
    public func encodeWithNotes(_ sentences: [String], isCancelled: @Sendable () -> Bool) throws(SimilarityError)
        -> (embeddings: [[Double]], notes: [TextEncodingNote]?) {
        (try encode(sentences), nil)
    }
}

/// Limits shared by the encoders.
public enum TextEncoding {
    /// Longest accepted sentence, in UTF-8 bytes.
    public static let maxSentenceBytes = 10_000
    /// Most sentences in one call.
    public static let maxSentences = 10_000

    /// Lowercased maximal runs of letters and digits: "Don't walk!" → ["don", "t", "walk"].
    public static func words(_ sentence: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in sentence.lowercased() {
            if ch.isLetter || ch.isNumber {
                current.append(ch)
            } else if !current.isEmpty {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    public static func validate(_ sentences: [String]) throws(SimilarityError) {
        guard !sentences.isEmpty else { throw .invalidInput(field: "sentences", message: "at least one sentence is required") }
        guard sentences.count <= maxSentences else {
            throw .invalidInput(field: "sentences", message: "\(sentences.count) sentences exceed the limit \(maxSentences)")
        }
        for (i, s) in sentences.enumerated() where s.utf8.count > maxSentenceBytes {
            throw .invalidInput(field: "sentences[\(i)]", message: "sentence longer than \(maxSentenceBytes) bytes")
        }
    }

    /// v / ‖v‖₂, or nil for a zero or non-finite vector.
    public static func normalised(_ v: [Double]) -> [Double]? {
        var s = 0.0
        for x in v {
            guard x.isFinite else { return nil }
            s += x * x
        }
        guard s > 0, s.isFinite else { return nil }
        let norm = s.squareRoot()
        return v.map { $0 / norm }
    }

    /// Validates caller-supplied vectors (`vectors` given directly instead of sentences): equal
    /// dimension in 1...maxDimension, finite, non-zero; returns them L2-normalised.
    public static func normaliseVectors(_ vectors: [[Double]], maxDimension: Int = 8192) throws(SimilarityError) -> [[Double]] {
        guard let n = vectors.first?.count else { throw .invalidInput(field: "vectors", message: "at least one vector is required") }
        guard n >= 1 && n <= maxDimension else {
            throw .invalidInput(field: "vectors[0]", message: "dimension must be in 1...\(maxDimension), got \(n)")
        }
        var out: [[Double]] = []
        out.reserveCapacity(vectors.count)
        for (i, v) in vectors.enumerated() {
            guard v.count == n else {
                throw .invalidInput(field: "vectors[\(i)]", message: "has \(v.count) coordinates, the first vector has \(n)")
            }
            guard let u = normalised(v) else {
                throw .invalidInput(field: "vectors[\(i)]", message: "a zero or non-finite vector cannot be normalised")
            }
            out.append(u)
        }
        return out
    }
}
