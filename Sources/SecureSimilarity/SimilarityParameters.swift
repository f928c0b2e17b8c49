/// The ring the products are computed in.
public enum RingMode: UInt8, Sendable, Hashable, CaseIterable, Codable {
    /// ℓ = 64: the full ring Z_2^64.
    case full = 0
    /// ℓ = 2f + 3: enough for |z| < 2^(2f+2); the corrections shrink by about half. Results are
    /// reconstructed modulo 2^ℓ and sign-extended, and equal the full-ring results.
    case compact = 1
}

/// Public parameters both parties must agree on; a mismatch fails the session at the first
/// message.
///
/// ```swift
/// let params = try SimilarityParameters(dimension: 384, fractionBits: 16, ring: .compact)
/// ```
public struct SimilarityParameters: Sendable, Hashable {
    /// n, the dimension of every vector.
    public let dimension: Int
    /// f, the fraction bits of the fixed-point encoding (8...30).
    public let fractionBits: Int
    /// The ring of the products.
    public let ring: RingMode
    /// Opaque bytes both sides must hold identically (e.g. the encoder fingerprint); ≤ 64 bytes.
    public let context: [UInt8]

    public static let maxContextBytes = 64
    /// The largest dimension the wire format supports.
    public static let maxDimension = 1 << 20

    public init(
        dimension: Int, fractionBits: Int = FixedPoint.defaultFractionBits, ring: RingMode = .compact,
        context: [UInt8] = []
    ) throws(SimilarityError) {
        guard dimension >= 1 && dimension <= Self.maxDimension else {
            throw .invalidInput(field: "dimension", message: "dimension must be in 1...\(Self.maxDimension), got \(dimension)")
        }
        guard FixedPoint.fractionBitsRange.contains(fractionBits) else {
            throw .invalidInput(field: "fractionBits", message: "fraction bits must be in 8...30, got \(fractionBits)")
        }
        guard context.count <= Self.maxContextBytes else {
            throw .invalidInput(field: "context", message: "context must be at most \(Self.maxContextBytes) bytes")
        }
        self.dimension = dimension
        self.fractionBits = fractionBits
        self.ring = ring
        self.context = context
    }

    /// w = f + 2: the bit width of the OT receiver's two's-complement values (|y| ≤ 2^f).
    public var valueBits: Int { fractionBits + 2 }

    /// ℓ, the ring's bit width.
    public var ringBits: Int { ring == .full ? 64 : 2 * fractionBits + 3 }
}

/// Limits enforced before any heavy work; both parties check the peer's counts against their own.
public struct SimilarityLimits: Sendable, Hashable {
    /// Largest dimension n.
    public var maxDimension: Int
    /// Most vectors on one side.
    public var maxVectorsPerSide: Int
    /// Most products p·q in one session.
    public var maxProducts: Int
    /// Largest single protocol message in bytes accepted or produced.
    public var maxMessageBytes: Int
    /// Preferred size of the streamed extension and correction messages: the OT extension runs in
    /// chunks of OTs (multiples of 512) sized so each message stays near this. The two parties
    /// use the smaller of their two preferences. Range 4 KiB ... 1 GiB.
    public var chunkBytes: Int

    public static let chunkBytesRange: ClosedRange<Int> = 4096...(1 << 30)

    public init(maxDimension: Int = 8192, maxVectorsPerSide: Int = 1000, maxProducts: Int = 10_000,
                maxMessageBytes: Int = 16 << 20, chunkBytes: Int = 4 << 20) {
        self.maxDimension = maxDimension
        self.maxVectorsPerSide = maxVectorsPerSide
        self.maxProducts = maxProducts
        self.maxMessageBytes = maxMessageBytes
        self.chunkBytes = min(max(chunkBytes, Self.chunkBytesRange.lowerBound), Self.chunkBytesRange.upperBound)
    }

    public static let standard = SimilarityLimits()
}
