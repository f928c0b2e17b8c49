import Foundation

/// Sentence embeddings from a word-vector text file (GloVe, word2vec text, fastText `.vec`),
/// averaged with SIF weights (Arora, Liang & Ma 2017).
///
/// e(s) = normalise( Σ_{w ∈ s, w known} a / (a + p(w)) · v_w ), a = 10⁻³.
/// The files carry no counts, but all three formats list words by decreasing corpus frequency,
/// so p(w) is taken from Zipf's law on the rank r (1-based): p(w) = 1 / (r · H_V) with
/// H_V = Σ_{k ≤ V} 1/k. The SIF paper's common-component removal needs a corpus of sentences and
/// is not applied. Words are lowercased letter/digit runs (`TextEncoding.words`); a file with
/// mixed-case entries keeps the first (most frequent) entry of each lowercased word.
///
/// File format: optional header line "count dimension"; then one word per line followed by its
/// d coordinates, separated by spaces. Every line must have the same d; coordinates must be
/// finite.
///
/// ```swift
/// let encoder = try WordVectorEncoder(contentsOf: URL(fileURLWithPath: "glove.6B.100d.txt"))
/// let e = try encoder.encode(["the cat is always walking over my keyboard"])
/// ```
public struct WordVectorEncoder: TextEncoder {
    public static let sifA = 1e-3
    public static let defaultMaxWords = 2_000_000

    public let descriptor: EncoderDescriptor
    public var dimension: Int { descriptor.dimension }
    /// Number of distinct (lowercased) words.
    public var vocabularySize: Int { index.count }

    private let index: [String: Int]
    private let vectors: [Float]      // row-major, vocabularySize × dimension
    private let weights: [Double]     // SIF weight per row

    /// Loads a vector file.
    public init(contentsOf url: URL, maxWords: Int = WordVectorEncoder.defaultMaxWords) throws(SimilarityError) {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw .invalidInput(field: "encoder.file", message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        try self.init(bytes: [UInt8](data), maxWords: maxWords)
    }

    /// Parses the contents of a vector file.
    public init(bytes: [UInt8], maxWords: Int = WordVectorEncoder.defaultMaxWords) throws(SimilarityError) {
        var hash = Sodium.SHA256Stream()
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + (1 << 20))
            hash.update(Array(bytes[offset..<end]))
            offset = end
        }
        var index: [String: Int] = [:]
        var vectors: [Float] = []
        var dimension = 0
        var lineNumber = 0
        var start = 0
        var ranks: [Int] = []     // 1-based rank in the file of each kept row
        var rank = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            defer { start = end + 1 }
            var fields = Self.fields(bytes, start, end)
            if fields.isEmpty { continue }
            if lineNumber == 1 && fields.count == 2,
               Int(Self.string(bytes, fields[0])) != nil, Int(Self.string(bytes, fields[1])) != nil {
                continue   // word2vec / fastText header "count dimension"
            }
            if dimension == 0 {
                dimension = fields.count - 1
                guard dimension >= 1 && dimension <= 8192 else {
                    throw .invalidInput(field: "encoder.file", message: "line \(lineNumber): dimension \(dimension) outside 1...8192")
                }
            }
            guard fields.count >= dimension + 1 else {
                throw .invalidInput(field: "encoder.file", message: "line \(lineNumber): expected a word and \(dimension) numbers")
            }
            // the last d fields are numbers; anything before them is the word (some files have spaces in tokens)
            let numberFields = fields.suffix(dimension)
            fields.removeLast(dimension)
            let word = fields.map { Self.string(bytes, $0) }.joined(separator: " ").lowercased()
            rank += 1
            var row: [Float] = []
            row.reserveCapacity(dimension)
            for f in numberFields {
                guard let x = Self.number(bytes, f), x.isFinite else {
                    throw .invalidInput(field: "encoder.file", message: "line \(lineNumber): \"\(Self.string(bytes, f))\" is not a finite number")
                }
                row.append(Float(x))
            }
            if index[word] == nil {
                guard index.count < maxWords else {
                    throw .invalidInput(field: "encoder.file", message: "more than \(maxWords) words")
                }
                index[word] = index.count
                vectors.append(contentsOf: row)
                ranks.append(rank)
            }
        }
        guard !index.isEmpty else { throw .invalidInput(field: "encoder.file", message: "no word vectors found") }
        var harmonic = 0.0
        if rank > 0 { for k in 1...rank { harmonic += 1 / Double(k) } }
        self.weights = ranks.map { r in Self.sifA / (Self.sifA + 1 / (Double(r) * harmonic)) }
        self.index = index
        self.vectors = vectors
        let fingerprint = IdentityKeyPair.hex(Array(hash.digest().prefix(16)))
        self.descriptor = EncoderDescriptor(name: "word-vectors", dimension: dimension,
                                            fingerprint: "sif-zipf-a1e-3-v1:" + fingerprint)
    }

    /// The SIF weight of a word, nil when unknown.
    public func weight(of word: String) -> Double? { index[word.lowercased()].map { weights[$0] } }

    public func encode(_ sentences: [String]) throws(SimilarityError) -> [[Double]] {
        try TextEncoding.validate(sentences)
        let d = dimension
        var out: [[Double]] = []
        for (i, sentence) in sentences.enumerated() {
            var v = [Double](repeating: 0, count: d)
            for word in TextEncoding.words(sentence) {
                guard let row = index[word] else { continue }
                let w = weights[row]
                for k in 0..<d { v[k] += w * Double(vectors[row * d + k]) }
            }
            guard let u = TextEncoding.normalised(v) else {
                throw .invalidInput(field: "sentences[\(i)]", message: "no word of the sentence is in the vocabulary")
            }
            out.append(u)
        }
        return out
    }

    // MARK: parsing helpers

    private static func fields(_ b: [UInt8], _ start: Int, _ end: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = start
        while i < end {
            while i < end && (b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D) { i += 1 }
            let s = i
            while i < end && b[i] != 0x20 && b[i] != 0x09 && b[i] != 0x0D { i += 1 }
            if i > s { out.append(s..<i) }
        }
        return out
    }

    private static func string(_ b: [UInt8], _ r: Range<Int>) -> String {
        String(decoding: b[r], as: UTF8.self)
    }

    private static let powersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    /// Decimal parsing: Clinger's fast path (≤ 15 significant digits, |exponent| ≤ 22: one
    /// correctly rounded operation on exact operands), otherwise `Double(String)`.
    private static func number(_ b: [UInt8], _ r: Range<Int>) -> Double? {
        var i = r.lowerBound
        var negative = false
        if i < r.upperBound && (b[i] == 0x2D || b[i] == 0x2B) { negative = b[i] == 0x2D; i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, exponent = 0
        var sawDigit = false
        while i < r.upperBound, b[i] >= 0x30 && b[i] <= 0x39 {
            sawDigit = true
            if mantissa == 0 && b[i] == 0x30 { i += 1; continue }
            mantissa = mantissa &* 10 &+ UInt64(b[i] - 0x30); digits += 1; i += 1
        }
        if i < r.upperBound && b[i] == 0x2E {
            i += 1
            while i < r.upperBound, b[i] >= 0x30 && b[i] <= 0x39 {
                sawDigit = true
                if !(mantissa == 0 && b[i] == 0x30) { mantissa = mantissa &* 10 &+ UInt64(b[i] - 0x30); digits += 1 }
                exponent -= 1; i += 1
            }
        }
        if i < r.upperBound && (b[i] == 0x65 || b[i] == 0x45) {
            i += 1
            var eNeg = false
            if i < r.upperBound && (b[i] == 0x2D || b[i] == 0x2B) { eNeg = b[i] == 0x2D; i += 1 }
            var e = 0, eDigits = 0
            while i < r.upperBound, b[i] >= 0x30 && b[i] <= 0x39, e < 100_000 { e = e * 10 + Int(b[i] - 0x30); i += 1; eDigits += 1 }
            if eDigits == 0 { return nil }
            exponent += eNeg ? -e : e
        }
        guard sawDigit else { return Double(string(b, r)) }
        if i != r.upperBound { return Double(string(b, r)) }
        if digits <= 15 && abs(exponent) <= 22 {
            let m = Double(mantissa)
            let v = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
            return negative ? -v : v
        }
        return Double(string(b, r))
    }
}
