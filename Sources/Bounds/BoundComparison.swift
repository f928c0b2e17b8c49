/// The answer of `POST /v1/bounds/compare`.
public struct BoundComparison: Sendable, Equatable, Codable {
    /// The exact probability of the event.
    public let exact: Double
    public let mean: Double
    public let variance: Double
    /// t = |threshold − mean| (the threshold itself for twoSided).
    public let deviation: Double
    /// Valid bounds sorted tightest first, then invalid entries.
    public let bounds: [ComparisonEntry]
    public let notes: [String]
}
