import Foundation

/// A polygon: shells and holes as normalised loops; a point is inside when it is inside an odd
/// number of loops (C++ `S2Polygon` with nested loops). Cell and point queries go through the same
/// cell index the reference builds (`S2ShapeIndex`), so coverings are the reference's.
public struct S2Polygon: Sendable, Hashable, S2Region {
    public let loops: [S2Loop]
    /// Union of the loop bounds.
    public let rectBound: S2LatLngRect
    /// The reference's shape index over all loop edges.
    let index: S2ShapeIndex
    var edges: [S2ShapeIndex.Edge] { index.edges }

    /// Builds the polygon from loops; each loop is normalised (inverted if it encloses more than
    /// half the sphere), so ring orientation does not matter.
    public init(loops input: [S2Loop]) {
        var ls = input
        for k in ls.indices { ls[k].normalize() }
        loops = ls
        var bound = S2LatLngRect.empty
        var es: [S2ShapeIndex.Edge] = []
        es.reserveCapacity(ls.reduce(0) { $0 + $1.numVertices })
        for l in ls {
            bound = bound.union(l.rectBound)
            let n = l.numVertices
            for i in 0..<n { es.append(S2ShapeIndex.Edge(a: l.vertices[i], b: l.vertex(i + 1))) }
        }
        rectBound = bound
        // Crossing parity does not depend on edge direction, so holes keep their own orientation.
        index = S2ShapeIndex(edges: es) { p in
            var inside = false
            for l in ls where l.bruteForceContains(p) { inside.toggle() }
            return inside
        }
    }

    /// Checks validity as the reference requires it: every loop has ≥ 3 vertices, no repeated or
    /// antipodal consecutive vertices, and no two edges (of the same or different loops) cross.
    /// `field` names the polygon in errors, e.g. "region.polygon".
    /// Pair tests are bounded by `maxPairChecks` (a dense zig-zag of long overlapping edges costs
    /// O(k²) per cell): beyond it the polygon is refused as too expensive.
    public func validate(field: String, maxPairChecks: Int = 20_000_000) throws {
        var pairChecks = 0
        for (k, l) in loops.enumerated() {
            let n = l.numVertices
            guard n >= 3 else { throw S2Error.invalid(field: "\(field).coordinates[\(k)]", message: "a ring needs at least 3 distinct vertices") }
            for i in 0..<n {
                let a = l.vertices[i], b = l.vertex(i + 1)
                if a == b { throw S2Error.invalid(field: "\(field).coordinates[\(k)]", message: "ring has repeated consecutive vertices at position \(i)") }
                if a == -b { throw S2Error.invalid(field: "\(field).coordinates[\(k)]", message: "ring has antipodal consecutive vertices at position \(i)") }
            }
        }
        // Two crossing edges both meet the index cell holding the crossing point.
        for k in index.cells.indices {
            let ids = index.edgeIds[Int(index.edgeStart[k])..<Int(index.edgeStart[k + 1])]
            pairChecks += ids.count * (ids.count - 1) / 2
            if pairChecks > maxPairChecks {
                throw S2Error.tooExpensive(field: field, message: "the polygon is too dense to check (many long edges overlap); simplify it")
            }
            for (x, i) in ids.enumerated() {
                let e = edges[Int(i)]
                for j in ids.dropFirst(x + 1) {
                    let f = edges[Int(j)]
                    if S2Predicates.crossingSign(e.a, e.b, f.a, f.b) > 0 {
                        throw S2Error.invalid(field: field, message: "polygon edges cross each other (self-intersecting or overlapping rings)")
                    }
                    if (e.a == f.a && e.b == f.b) || (e.a == f.b && e.b == f.a) {
                        throw S2Error.invalid(field: field, message: "polygon rings share an edge")
                    }
                }
            }
        }
    }

    public var numVertices: Int { loops.reduce(0) { $0 + $1.numVertices } }
    /// Σ ± loop areas (holes inside shells subtract).
    public var area: Double {
        var total = 0.0
        for (k, l) in loops.enumerated() { total += depth(k) % 2 == 0 ? l.area : -l.area }
        return Swift.max(0, total)
    }
    /// Number of edges over all loops (used by the cost estimate).
    public var numEdges: Int { edges.count }
    /// Nesting depth of loop k: how many other loops contain its first vertex.
    func depth(_ k: Int) -> Int {
        let v = loops[k].vertices.first ?? S2Point(1, 0, 0)
        var d = 0
        for (j, l) in loops.enumerated() where j != k && l.contains(v) { d += 1 }
        return d
    }
    /// Total length of the loop edges, in radians.
    public var perimeter: Double { edges.reduce(0) { $0 + $1.a.angle($1.b) } }

    /// Point containment (C++ `S2Polygon::Contains(S2Point)`): brute force over the loops for at most
    /// 32 vertices, else through the index.
    public func contains(_ p: S2Point) -> Bool {
        if numEdges <= 32 { return bruteForceContains(p) }
        return index.contains(p)
    }
    /// XOR of the loops' brute-force containment (crossings from S2Predicates.origin).
    public func bruteForceContains(_ p: S2Point) -> Bool {
        var inside = false
        for l in loops where l.bruteForceContains(p) { inside.toggle() }
        return inside
    }

    public var capBound: S2Cap { rectBound.capBound }
    /// The reference's bound: the cells of its shape index, merged as `S2ShapeIndexRegion` does.
    public func cellUnionBound() -> [S2CellId] { index.cellUnionBound() }
    public func mayIntersect(_ cell: S2Cell) -> Bool { index.mayIntersect(cell) }
    public func contains(_ cell: S2Cell) -> Bool { index.contains(cell) }
}
