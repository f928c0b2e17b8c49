/// Limits applied by the domain API before any work starts. The reference library accepts inputs
/// that cost it seconds and a gigabyte (see notes/s2.md §5); these bounds keep every request cheap.
public struct S2Limits: Sendable, Hashable {
    /// Largest `maxCells` a covering request may ask for.
    public var maxCells: Int = 10_000
    /// Largest number of cells a cell-union response may contain (denormalizing grows 4× per level).
    /// A covering's answer is bounded by `maxCandidates` instead: each of its cells was a candidate.
    public var maxOutputCells: Int = 100_000
    /// The running budget of one covering: the coverer stops with 422 once it has created this many
    /// candidate cells (and refuses in advance when `S2CoveringEstimate.minimumCandidates`, a proven
    /// lower bound, is over it). Measured (release, shared 2-core EPYC, Benchmarks/s2/large.sh): the
    /// reference creates the same candidates, at 0.16–0.58 µs each when there are over a million (the
    /// fastest: interior coverings of large caps at minLevel 9), so what it computes in under 0.5 s
    /// (up to about 3 M candidates) fits with room for a faster machine, while a covering that passes
    /// the budget costs it over 0.8 s. Here the budget is about a second of work (0.1–0.25 µs a
    /// candidate) and, at 16 bytes a candidate (plus 8 per heap entry), a pool of at most 80 MB, reserved
    /// whole once a covering passes 65,536 candidates so that it is never copied. Measured peak RSS of the
    /// process (Benchmarks/s2/large.sh): 112 MB for an interior covering stopped by the budget, 146 MB for
    /// the largest answers (3,149,824 cells; the result's copies while canonicalising); with 56-byte
    /// candidates and a doubling pool both were 524 MB. How many such coverings run at once is bounded
    /// by `S2CoveringAdmission`.
    public var maxCandidates: Int = 5_000_000
    /// Largest estimated work of one polygon covering, in units of about one edge test: each candidate
    /// cell costs 30 + e units, e = `S2Polygon.edgesPerQuery` (the edges its shape-index query meets).
    /// The running budget of a polygon covering (maxPolygonWork / (30 + e) candidates, when below
    /// `maxCandidates`). Measured (release build, shared 2-core EPYC): 0.018 µs per unit (median, 0.035 µs
    /// worst), so about a second.
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
