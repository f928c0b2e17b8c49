/// Result of a Fermat probable-prime test of M_p = 2^p − 1.
public struct ProbablePrimeResult: Sendable, Equatable, Codable {
    public let exponent: UInt64
    public let base: UInt64
    /// True when base^(M_p − 1) ≡ 1 (mod M_p): M_p is a probable prime (every known Mersenne prime is one,
    /// and no composite Mersenne number with prime exponent is known to pass).
    public let isProbablePrime: Bool
    /// The low 64 bits of base^(M_p − 1) mod M_p as 16 upper-case hex digits: GIMPS residue type 1
    /// ("0000000000000001" for a probable prime). Nil when no test was run.
    public let residue64: String?
    /// GIMPS residue type of `residue64`: 1 (base^(N−1) mod N).
    public let residueType: Int
    public let reason: String?

    public init(exponent: UInt64, base: UInt64, isProbablePrime: Bool, residue64: String?, reason: String?) {
        self.exponent = exponent
        self.base = base
        self.isProbablePrime = isProbablePrime
        self.residue64 = residue64
        self.residueType = 1
        self.reason = reason
    }
}
