/// Limits applied by the domain API before any work starts. The reference library accepts inputs
/// that cost it seconds and a gigabyte (see notes/s2.md §5); these bounds keep every request cheap.
public struct S2Limits: Sendable, Hashable {
    /// Largest `maxCells` a covering request may ask for.
    public var maxCells: Int = 10_000
    /// Largest number of cells a covering or cell-union response may contain (fixed-level coverings
    /// with a high `minLevel` grow 4× per level).
    public var maxOutputCells: Int = 100_000
    /// Largest estimated number of candidate cells an interior covering may examine; exterior coverings,
    /// whose estimate is an upper bound, may use the whole running budget, twice this.
    public var maxCandidates: Int = 400_000
    /// Largest estimated work of one polygon covering, in units of about one edge test: each candidate
    /// cell costs 30 + e units, e = `S2Polygon.edgesPerQuery` (the edges its shape-index query meets).
    /// Also the running budget of a polygon covering. Measured (release build, shared 2-core EPYC):
    /// 0.018 µs per unit (median, 0.035 µs worst), so about a second.
    public var maxPolygonWork: Int = 50_000_000
    /// Largest number of points in one batch request.
    public var maxBatchPoints: Int = 100_000
    /// Largest number of cell tokens in one cell-union request (each operand).
    public var maxUnionCells: Int = 100_000
    /// Largest number of vertices over all polygon rings.
    public var maxPolygonVertices: Int = 100_000
    public init() {}
    public static let `default` = S2Limits()
}
