/// Arithmetic modulo 2^p − 1 on a few numbered residues ("slots"), by GMP (`GMPMersenneArithmetic`) or by
/// an IBDWT kernel (`DWTMersenneArithmetic`). The Lucas–Lehmer and PRP drivers are written once against
/// this protocol; residues cross it as canonical little-endian 64-bit limbs in [0, 2^p − 1).
protocol MersenneArithmetic: AnyObject {
    var exponent: Int { get }
    /// The IBDWT length in words, 0 for GMP.
    var length: Int { get }
    /// A name for events and benchmarks ("gmp", "ibdwt-avx2 4096", …).
    var name: String { get }
    func load(_ slot: Int, limbs: [UInt64])
    func limbs(_ slot: Int) -> [UInt64]
    func copy(_ slot: Int, to destination: Int)
    /// slot ← slot² + addend. Returns the round-off error (0 for exact arithmetic).
    func square(_ slot: Int, addend: Int64) -> Double
    /// slot ← slot · other. Returns the round-off error.
    func multiply(_ slot: Int, by other: Int) -> Double
}
