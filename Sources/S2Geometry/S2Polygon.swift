import Foundation

/// A polygon: shells and holes as normalised loops; a point is inside when it is inside an odd
/// number of loops (C++ `S2Polygon` with nested loops). Cell and point queries go through the same
/// cell index the reference builds (`S2ShapeIndex`), so coverings are the reference's.
public struct S2Polygon: Sendable, Hashable, S2Region {
    public let loops: [S2Loop]
    /// Whether loop k is a hole: its nesting depth (the number of other loops containing it, as
    /// C++ `S2Polygon::InitNested` builds the loop hierarchy) is odd.
    public let isHole: [Bool]
    /// Union of the loop bounds.
    public let rectBound: S2LatLngRect
    /// The reference's shape index over all loop edges, oriented as C++ `S2Polygon::Shape` reports
    /// them: holes reversed, so the interior is always on the left.
    let index: S2ShapeIndex
    var edges: [S2ShapeIndex.Edge] { index.edges }

    /// Builds the polygon from loops; each loop is normalised (inverted if it encloses more than
    /// half the sphere), so ring orientation does not matter, and loops nest by containment.
    public init(loops input: [S2Loop]) {
        var ls = input
        for k in ls.indices { ls[k].normalize() }
        loops = ls
        // Crossing parity does not depend on edge direction (EdgeOrVertexCrossing is symmetric in
        // its second edge), so an index over the loops as given answers the containment the depths
        // need; it is the final index unless some loop turns out to be a hole.
        let given = S2Polygon.orientedEdges(ls, holes: nil)
        // C++ ContainsBruteForce on S2Polygon::Shape: the reference point S2::Origin() is contained
        // when an odd number of loops contain it.
        var originInside = false
        for l in ls where l.originInside { originInside.toggle() }
        let plain = S2ShapeIndex(edges: given) { p in S2Polygon.crossFromOrigin(originInside, p, given) }
        let holes = S2Polygon.holes(ls, plain)
        isHole = holes
        // C++ InitLoopProperties: the bound is the union of the outermost loops (depth 0). A loop of
        // even depth is outermost unless some hole contains it (an island).
        var bound = S2LatLngRect.empty
        let holeLoops = ls.indices.filter { holes[$0] }
        for (k, l) in ls.enumerated() where !holes[k] {
            let island = holeLoops.contains { h in
                ls[h].rectBound.intersects(l.rectBound) && S2Polygon.containsNested(ls[h], l)
            }
            if !island { bound = bound.union(l.rectBound) }
        }
        rectBound = bound
        if holes.contains(true) {
            let oriented = S2Polygon.orientedEdges(ls, holes: holes)
            index = S2ShapeIndex(edges: oriented) { p in S2Polygon.crossFromOrigin(originInside, p, oriented) }
        } else {
            index = plain
        }
    }

    /// The shape's edges in order: loop by loop, edge e of a loop with n vertices is
    /// (v[e], v[e+1]), or for a hole (C++ `S2Loop::oriented_vertex`) (v[n−1−e], v[n−2−e]) with
    /// v[−1] = v[n−1], i.e. the loop reversed.
    static func orientedEdges(_ ls: [S2Loop], holes: [Bool]?) -> [S2ShapeIndex.Edge] {
        var es: [S2ShapeIndex.Edge] = []
        es.reserveCapacity(ls.reduce(0) { $0 + $1.numVertices })
        for (k, l) in ls.enumerated() {
            let n = l.numVertices
            let v = l.vertices
            if holes?[k] == true {
                for e in 0..<n { es.append(S2ShapeIndex.Edge(a: v[n - 1 - e], b: v[(2 * n - 2 - e) % n])) }
            } else {
                for e in 0..<n { es.append(S2ShapeIndex.Edge(a: v[e], b: v[(e + 1) % n])) }
            }
        }
        return es
    }

    /// C++ `s2shapeutil::ContainsBruteForce` from a reference point at S2::Origin(): `inside`
    /// toggled by every edge the segment origin→p crosses.
    static func crossFromOrigin(_ originInside: Bool, _ p: S2Point, _ es: [S2ShapeIndex.Edge]) -> Bool {
        var inside = originInside
        if p == S2Predicates.origin { return inside }
        for e in es where S2Predicates.edgeOrVertexCrossing(S2Predicates.origin, p, e.a, e.b) { inside.toggle() }
        return inside
    }

    /// Whether the loop contains its own vertex i under the semi-open model (C++
    /// `S2::AngleContainsVertex(v[i−1], v[i], v[i+1])`, as `S2Loop` uses it for vertex 1).
    static func containsOwnVertex(_ l: S2Loop, _ i: Int) -> Bool {
        let n = l.numVertices
        let prev = l.vertices[(i + n - 1) % n], v = l.vertices[i], next = l.vertices[(i + 1) % n]
        return S2Predicates.orderedCCW(v.ortho, prev, next, v)
    }

    /// The parity of each loop's depth in the reference's hierarchy. C++ `InitNested` inserts loop B
    /// below every loop A with `A.ContainsNested(B)`: with b1 = B's vertex 1, that is A.Contains(b1)
    /// when b1 is no vertex of A, else `S2::WedgeContains(a[m−1], a[m], a[m+1], b0, b2)` at A's
    /// vertex a[m] = b1. The depth of B is the number of such A, so its parity is
    ///   ⊕_{A≠B} A.Contains(b1)  ⊕  ⊕_{A≠B sharing b1} (A.Contains(b1) ⊕ Wedge)
    /// and ⊕_{A≠B} A.Contains(b1) = (polygon contains b1) ⊕ (B contains its own vertex b1): one
    /// index query per loop plus O(1) per shared vertex (a dictionary of all vertices), instead of
    /// the reference's O(loops²) hierarchy.
    static func holes(_ ls: [S2Loop], _ index: S2ShapeIndex) -> [Bool] {
        if ls.count < 2 { return [Bool](repeating: false, count: ls.count) }
        var at: [S2Point: [(loop: Int, vertex: Int)]] = [:]
        for (k, l) in ls.enumerated() where l.numVertices >= 3 {
            for (i, v) in l.vertices.enumerated() { at[v, default: []].append((k, i)) }
        }
        var out = [Bool](repeating: false, count: ls.count)
        for (k, b) in ls.enumerated() where b.numVertices >= 3 {
            let b1 = b.vertices[1]
            var parity = index.contains(b1) != containsOwnVertex(b, 1)
            for (j, m) in at[b1] ?? [] where j != k {
                let a = ls[j]
                let n = a.numVertices
                let wedge = S2Polygon.wedgeContains(a.vertices[(m + n - 1) % n], a.vertices[m], a.vertices[(m + 1) % n],
                                                    b.vertices[0], b.vertices[2])
                if containsOwnVertex(a, m) != wedge { parity.toggle() }
            }
            out[k] = parity
        }
        return out
    }

    /// C++ `S2Loop::ContainsNested` for loops that do not cross (without its bound pre-check): a
    /// contains b when it contains b's vertex 1, or, when that vertex is also a's vertex m, when a's
    /// wedge there contains b's.
    static func containsNested(_ a: S2Loop, _ b: S2Loop) -> Bool {
        guard a.numVertices >= 3, b.numVertices >= 3 else { return false }
        let b1 = b.vertices[1]
        guard let m = a.vertices.firstIndex(of: b1) else { return a.contains(b1) }
        let n = a.numVertices
        return wedgeContains(a.vertices[(m + n - 1) % n], b1, a.vertices[(m + 1) % n], b.vertices[0], b.vertices[2])
    }

    /// C++ `S2::WedgeContains`: the wedge (a0, ab1, a2) contains the wedge (b0, ab1, b2) when the CCW
    /// order around ab1 is a2, b2, b0, a0.
    static func wedgeContains(_ a0: S2Point, _ ab1: S2Point, _ a2: S2Point, _ b0: S2Point, _ b2: S2Point) -> Bool {
        S2Predicates.orderedCCW(a2, b2, b0, ab1) && S2Predicates.orderedCCW(b0, a0, a2, ab1)
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
    /// Σ ± loop areas, holes subtracted (C++ `GetArea`: Σ sign·area).
    public var area: Double {
        var total = 0.0
        for (k, l) in loops.enumerated() { total += isHole[k] ? -l.area : l.area }
        return Swift.max(0, total)
    }
    /// Number of edges over all loops (used by the cost estimate).
    public var numEdges: Int { edges.count }
    /// The edges a cell query meets on average: Σk²/Σk over the index cells, k = edges per cell
    /// (cells weighted by their edges, as the boundary cells a coverer tests are). A cell query
    /// clips or crosses every edge of the index cell it lands in, so a covering costs about
    /// candidates × (30 + this) edge tests (`S2CoveringEstimate.polygonCellCost`; 1 for a polygon
    /// whose index cells hold no edges).
    public var edgesPerQuery: Double {
        var k2 = 0.0, k1 = 0.0
        for c in index.cells.indices {
            let k = Double(index.edgeStart[c + 1] - index.edgeStart[c])
            k2 += k * k; k1 += k
        }
        return k1 > 0 ? Swift.max(1, k2 / k1) : 1
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
