/// The built-in deterministic encoder: signed feature hashing of words and character n-grams.
///
/// For each word w (lowercased letter/digit run) of a sentence: the feature "w:" + w with weight
/// 1, and every character n-gram (n = 3…5) of "<" + w + ">" with weight 1/√(number of n-grams of
/// w), so long words do not dominate. Feature f goes to coordinate h(f) mod d with sign
/// (−1)^(bit 63 of h(f)), h = 64-bit FNV-1a of the UTF-8 bytes. The sum is L2-normalised.
/// Identical on every instance and platform; no model file needed.
///
/// ```swift
/// let encoder = try HashingEncoder(dimension: 512)
/// let e = try encoder.encode(["my cat loves to walk over my keyboard"])
/// ```
public struct HashingEncoder: TextEncoder {
    public static let defaultDimension = 1024
    public static let ngramRange = 3...5
    public let dimension: Int
    public let descriptor: EncoderDescriptor

    public init(dimension: Int = HashingEncoder.defaultDimension) throws(SimilarityError) {
        guard dimension >= 16 && dimension <= 8192 else {
            throw .invalidInput(field: "encoder.dimension", message: "hashing dimension must be in 16...8192, got \(dimension)")
        }
        self.dimension = dimension
        let spec = "hashing-v1|fnv1a64|words:1|char-ngrams:3-5:1/sqrt(count)|signed|l2|d=\(dimension)"
        descriptor = EncoderDescriptor(name: "hashing", dimension: dimension,
                                       fingerprint: IdentityKeyPair.hex(Array(Sodium.sha256(Array(spec.utf8)).prefix(16))))
    }

    /// 64-bit FNV-1a.
    static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    private func add(_ feature: [UInt8], weight: Double, to v: inout [Double]) {
        let h = Self.fnv1a(feature)
        let index = Int(h % UInt64(dimension))
        v[index] += (h >> 63) == 0 ? weight : -weight
    }

    public func encode(_ sentences: [String]) throws(SimilarityError) -> [[Double]] {
        try TextEncoding.validate(sentences)
        var out: [[Double]] = []
        out.reserveCapacity(sentences.count)
        for (i, sentence) in sentences.enumerated() {
            var v = [Double](repeating: 0, count: dimension)
            for word in TextEncoding.words(sentence) {
                add(Array("w:".utf8) + Array(word.utf8), weight: 1, to: &v)
                let chars = Array("<\(word)>")
                var grams: [[UInt8]] = []
                for n in Self.ngramRange where chars.count >= n {
                    for s in 0...(chars.count - n) {
                        grams.append(Array("g:".utf8) + Array(String(chars[s..<(s + n)]).utf8))
                    }
                }
                let w = grams.isEmpty ? 0 : 1 / Double(grams.count).squareRoot()
                for g in grams { add(g, weight: w, to: &v) }
            }
            guard let u = TextEncoding.normalised(v) else {
                throw .invalidInput(field: "sentences[\(i)]", message: "the sentence contains no words")
            }
            out.append(u)
        }
        return out
    }
}
