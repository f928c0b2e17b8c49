/// One known Mersenne prime 2^exponent − 1.
///
/// `discovered` is an ISO 8601 date, or a year / year-month when only that is known, or "antiquity"
/// for M2–M7. Ranks from 49 on are `provisional` until GIMPS has double-checked every exponent below.
public struct MersennePrime: Sendable, Equatable, Codable {
    public let rank: Int
    public let exponent: UInt64
    /// Decimal digits of 2^exponent − 1 (= floor(exponent · log10 2) + 1); verified exactly by the tests.
    public let digits: UInt64
    public let discovered: String
    public let discoverer: String
    public let provisional: Bool

    public init(rank: Int, exponent: UInt64, digits: UInt64, discovered: String, discoverer: String, provisional: Bool) {
        self.rank = rank
        self.exponent = exponent
        self.digits = digits
        self.discovered = discovered
        self.discoverer = discoverer
        self.provisional = provisional
    }
}
