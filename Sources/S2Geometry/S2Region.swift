/// A region on the sphere that the coverer can approximate with cells (C++ `S2Region`).
public protocol S2Region: Sendable {
    /// A bounding cap (not necessarily minimal).
    var capBound: S2Cap { get }
    /// A small set of cells covering the region (C++ `GetCellUnionBound`).
    func cellUnionBound() -> [S2CellId]
    /// True only if the region contains the whole cell (may be conservative: false negatives allowed).
    func contains(_ cell: S2Cell) -> Bool
    /// False only if the region and the cell do not intersect (may return true spuriously).
    func mayIntersect(_ cell: S2Cell) -> Bool
    /// Point containment.
    func contains(_ p: S2Point) -> Bool
}

extension S2Region {
    public func cellUnionBound() -> [S2CellId] { capBound.cellUnionBound() }
}
