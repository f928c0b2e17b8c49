/// The answer of `POST /v1/bounds/compare`.
public struct BoundComparison: Sendable, Equatable, Codable {
    /// The exact probability of the event.
    public let exact: Double
    public let mean: Double
    public let variance: Double
    /// t = |threshold − mean| (the threshold itself for twoSided), exact where the mean is a decimal.
    public let deviation: Double
    /// For binomial and Poisson laws and means of them: the event on the integer lattice that `exact` is
    /// the probability of.
    public let lattice: LatticeEvent?
    /// Valid bounds sorted tightest first, then invalid entries.
    public let bounds: [ComparisonEntry]
    public let notes: [String]
}
