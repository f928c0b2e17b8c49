/// The state of an unfinished PRP test at a verified block boundary: after `iteration` squarings
/// x = base^(2^iteration) mod M_p, and `product` is the Gerbicz product of x at every block boundary so far.
public struct ProbablePrimeCheckpoint: Sendable, Equatable {
    public let exponent: UInt64
    public let base: UInt64
    public let iteration: Int
    /// x, little-endian bytes.
    public let residue: [UInt8]
    /// The Gerbicz product d, little-endian bytes.
    public let product: [UInt8]

    public init(exponent: UInt64, base: UInt64, iteration: Int, residue: [UInt8], product: [UInt8]) {
        self.exponent = exponent
        self.base = base
        self.iteration = iteration
        self.residue = residue
        self.product = product
    }

    private static let magic = Array("PRPC".utf8) + [1]

    /// "PRPC", version 1, then exponent, base, iteration and the two lengths as little-endian UInt64, the
    /// residue and product bytes, and an FNV-1a 64-bit checksum of all before it.
    public func serialized() -> [UInt8] {
        var out = Self.magic
        for v in [exponent, base, UInt64(iteration), UInt64(residue.count), UInt64(product.count)] {
            withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
        }
        out.append(contentsOf: residue)
        out.append(contentsOf: product)
        withUnsafeBytes(of: LucasLehmerCheckpoint.fnv1a(out).littleEndian) { out.append(contentsOf: $0) }
        return out
    }

    /// Reads `serialized()` output; a truncated, corrupted or foreign file is rejected (field "checkpoint").
    public init(serialized bytes: [UInt8]) throws(PrimesError) {
        let header = 5 + 40, trailer = 8
        guard bytes.count >= header + trailer, Array(bytes[0..<5]) == Self.magic else {
            throw .invalid(field: "checkpoint", message: "not a PRP checkpoint")
        }
        func word(_ at: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in (0..<8).reversed() { v = v << 8 | UInt64(bytes[at + i]) }
            return v
        }
        let xCount = word(29), dCount = word(37)
        guard xCount <= UInt64(bytes.count), dCount <= UInt64(bytes.count),
              bytes.count == header + Int(xCount) + Int(dCount) + trailer,
              word(bytes.count - trailer) == LucasLehmerCheckpoint.fnv1a(Array(bytes[0..<(bytes.count - trailer)])),
              word(21) <= UInt64(Int.max) else {
            throw .invalid(field: "checkpoint", message: "the checkpoint is truncated or corrupted")
        }
        let x = Array(bytes[header..<(header + Int(xCount))])
        let d = Array(bytes[(header + Int(xCount))..<(header + Int(xCount) + Int(dCount))])
        self.init(exponent: word(5), base: word(13), iteration: Int(word(21)), residue: x, product: d)
    }
}
