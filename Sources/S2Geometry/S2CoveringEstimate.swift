import Foundation

/// What a covering will cost, computed before the coverer starts. Only `minimumCandidates` refuses
/// work in advance: it is a proven lower bound, so a request it refuses would certainly pass the
/// running budget. The other figures are estimates (typical or upper bounds, see `init`), reported and
/// measured by Benchmarks/s2 but never a reason to refuse: the coverer's running budget
/// (`S2Limits.maxCandidates`, and `maxPolygonWork` for polygons) stops only work that really passes it.
public struct S2CoveringEstimate: Sendable, Hashable, Codable {
    /// Estimated number of cells in the answer.
    public var outputCells: Int
    /// Estimated number of candidate cells the coverer examines.
    public var candidateCells: Int
    /// Estimated polygon work: candidates × (30 + edges met per cell query), in units of about one
    /// edge test (0 for rectangles and caps).
    public var polygonWork: Int
    /// Candidates the coverer certainly creates: with minLevel L > 0, every cell of level L that meets
    /// the region is created before the first result (cells below L are never terminal, and the queue
    /// takes every cell below L − 1 before any cell of level L − 1 or deeper), and those cells cover the
    /// region, so there are at least area / maxArea(L) of them, less the ≤ 6 initial cells that may
    /// already be deeper than L. 0 when minLevel is 0.
    public var minimumCandidates: Int
    /// True when the request can be answered without running the coverer (empty interior covering
    /// of a zero-area region).
    public var trivial: Bool

    /// Work of one polygon cell query, in units of about one edge test: a fixed 30 (locating the index
    /// cell, clipping, the candidate's bookkeeping) plus the e edges of its index cell.
    public static func polygonCellCost(_ e: Double) -> Double { 30 + Swift.max(1, e) }

    /// Average cell width metric: deriv 1.4345… (quadratic projection).
    static let avgWidth = S2Metric(dim: 1, deriv: 1.434523672886099389)

    /// Model:
    /// - fixed-level output at minLevel L > 0: area/avgArea(L) + 2·perimeter/avgWidth(L) + 4;
    /// - exterior output max(maxCells, fixed); candidates ≤ (4^levelMod + 4)·maxCells + 64, plus when
    ///   minLevel > 0 the cells walked down to it and the children of its boundary cells,
    ///   (4/3)·fixed + 4^levelMod·(2·perimeter/avgWidth(minLevel) + 4). This is an upper bound, not a
    ///   typical value: every candidate the coverer adds to its queue creates its (≤ 4^levelMod)
    ///   intersecting children at once; a candidate either ends in the result (≤ maxCells of them, each
    ///   with ≤ 4^levelMod children) or is expanded, and an expansion into k ≥ 2 children adds k − 1 to
    ///   result + queue, which stays ≤ maxCells, so expansions create ≤ 2·maxCells (single-child
    ///   expansions, always taken, are left to the remaining 2·maxCells + 64 and the running budget). Measured (release,
    ///   Benchmarks/s2/estimate.sh and `Est regions`) over 1,056 exterior coverings of rectangles, caps and
    ///   polygons, levelMod 1–3, maxCells 8–10,000, minLevel 0/10: created − 64 ≤ 5.3, 13.5 and
    ///   58·maxCells at levelMod 1, 2, 3 (minLevel 0; 58 for 10,000 holes, where nearly every child meets
    ///   the region) against 8, 20 and 68 here, and never above this estimate. The old
    ///   8·4^(levelMod−1)·max(maxCells, fixed) gave 1,280,064 for levelMod 3 and maxCells 10,000 (measured:
    ///   0.08–0.29 M created, ≤ 0.34 s for rectangles, caps and ordinary polygons), and multiplied the
    ///   whole minLevel area by 4^levelMod although cells inside the region are terminal.
    /// - interior of a rectangle or cap: nothing fits until cells are narrower than the region
    ///   (maxWidth(L) ≤ width/2), so the coverer walks boundary cells down to that level (or maxLevel
    ///   when nothing fits): candidates ≈ 4·4^(levelMod−1)·(perimeter/avgWidth(Lw) + fixed + maxCells);
    /// - interior of a polygon: the work that cannot be avoided, fixed + 2·4^(levelMod−1)·maxCells + 64
    ///   (measured: up to 2.3·4^(levelMod−1)·maxCells on smooth polygons).
    ///   A polygon's boundary at a level is not its vertex perimeter (a jagged ring of 10,000 vertices
    ///   was estimated at 5·10⁸ candidates and needed 17,000), so the rest is left to the running
    ///   budget (`S2Operations.covering`);
    /// - polygons: work ≈ candidates · (30 + e), e = edgesPerQuery (Σk²/Σk over the index cells), the
    ///   edges each cell query clips or crosses. Measured (release, shared 2-core EPYC) over 1,504
    ///   coverings of 34 polygons (stars of 10–100,000 vertices, 0.05°–20°, smooth and jagged; 100–10,000
    ///   shells or holes; fans of 1,000 long edges, e ≈ 270–400; maxCells 8–10,000, minLevel 0/10,
    ///   maxLevel 16/30, levelMod 1/3, interior or not): time ≈ created candidates × (30 + e) × 0.018 µs
    ///   (median; 0.026 µs p95, 0.035 µs worst), so the 50,000,000 limit is about a second. Candidates ×
    ///   e alone spread 2.2× (fans cost 4–8× less per edge than smooth polygons). The old model,
    ///   candidates × min(edges, 32) against 25,600,000, could never refuse (400,000 × 32 is below it),
    ///   and a fan's interior covering ran 744,000 candidates × 402 edges (6 s) before the backstop.
    public init(region: S2PreparedRegion, options o: S2RegionCoverer.Options, interior: Bool) {
        func clampInt(_ x: Double) -> Int { x.isFinite ? Int(Swift.min(x, 1e15)) : Int(1e15) }
        let lm = Double(1 << (2 * (o.levelMod - 1)))
        var fixed = 0.0
        if o.minLevel > 0 {
            fixed = region.area / S2Metric.avgArea.value(o.minLevel)
                + 2 * region.perimeter / S2CoveringEstimate.avgWidth.value(o.minLevel) + 4
        }
        if interior {
            if region.area <= 0 || region.width <= 0 {
                outputCells = 0; candidateCells = 0; polygonWork = 0; minimumCandidates = 0; trivial = true
                return
            }
            let fit = S2Metric.maxWidth.levelForMaxValue(region.width / 2)
            outputCells = fit > o.maxLevel ? 0 : o.maxCells
            if region.edges > 0 {
                candidateCells = clampInt(fixed + 2 * lm * Double(o.maxCells) + 64)
            } else {
                let lw = Swift.min(o.maxLevel, Swift.max(fit + 2, o.minLevel))
                let boundary = region.perimeter / S2CoveringEstimate.avgWidth.value(lw)
                candidateCells = clampInt(4 * lm * (boundary + fixed + Double(o.maxCells)) + 64)
            }
        } else {
            outputCells = clampInt(Swift.max(Double(o.maxCells), fixed))
            var cand = (4 * lm + 4) * Double(o.maxCells) + 64
            if o.minLevel > 0 {
                let boundary = 2 * region.perimeter / S2CoveringEstimate.avgWidth.value(o.minLevel) + 4
                cand += fixed * 4 / 3 + 4 * lm * boundary
            }
            candidateCells = clampInt(cand)
        }
        minimumCandidates = o.minLevel > 0 && o.maxLevel >= o.minLevel
            ? Swift.max(0, clampInt((region.area * (1 - 1e-9) / S2Metric.maxArea.value(o.minLevel)).rounded(.down)) - 6) : 0
        polygonWork = region.edges > 0 ? clampInt(Double(candidateCells) * S2CoveringEstimate.polygonCellCost(region.edgesPerQuery)) : 0
        trivial = false
    }
}
