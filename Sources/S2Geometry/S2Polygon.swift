import Foundation

/// A polygon: shells and holes as normalised loops; a point is inside when it is inside an odd
/// number of loops (C++ `S2Polygon` with nested loops). Cell tests are exact geometric tests with the
/// robust predicates; candidate edges come from a small cell index.
public struct S2Polygon: Sendable, Hashable, S2Region {
    public let loops: [S2Loop]
    /// Union of the loop bounds.
    public let rectBound: S2LatLngRect
    let edges: [Edge]
    /// (cell id, edge index) sorted by cell id: each edge is listed under the cells covering its bound.
    let index: [IndexEntry]
    /// Bit L set when some index entry is at level L.
    let indexLevels: UInt32
    /// Reference cells covering the bound, sorted, with whether each centre is inside: a point is
    /// located by crossing parity along the segment from its reference cell's centre, which stays
    /// inside that (convex) cell, so only the edges indexed there are tested.
    let refCells: [S2CellId]
    let refInside: [Bool]
    /// Distinct edges indexed in each reference cell.
    let refEdges: [[Int32]]

    struct Edge: Sendable, Hashable {
        let a: S2Point
        let b: S2Point
        let bound: S2LatLngRect
    }
    struct IndexEntry: Sendable, Hashable {
        let cell: S2CellId
        let edge: Int32
    }

    /// Builds the polygon from loops; each loop is normalised (inverted if it encloses more than
    /// half the sphere), so ring orientation does not matter.
    public init(loops input: [S2Loop]) {
        var ls = input
        for k in ls.indices { ls[k].normalize() }
        loops = ls
        var bound = S2LatLngRect.empty
        var es: [Edge] = []
        for l in ls {
            bound = bound.union(l.rectBound)
            let n = l.numVertices
            for i in 0..<n {
                let a = l.vertices[i], b = l.vertex(i + 1)
                var bd = S2LatLngRectBounder()
                bd.addPoint(a); bd.addPoint(b)
                es.append(Edge(a: a, b: b, bound: bd.result))
            }
        }
        rectBound = bound
        edges = es
        // Index: each edge under the cells holding it (see `indexCells`).
        var entries: [IndexEntry] = []
        entries.reserveCapacity(es.count * 2)
        for (k, e) in es.enumerated() {
            for c in S2Polygon.indexCells(e) { entries.append(IndexEntry(cell: c, edge: Int32(k))) }
        }
        entries.sort { $0.cell.id < $1.cell.id }
        index = entries
        indexLevels = entries.reduce(0) { $0 | (1 << UInt32($1.cell.level)) }
        let refCount = es.count > 20_000 ? 32 : (es.count > 2_000 ? 64 : 128)
        let refs = (try? S2RegionCoverer(options: .init(maxCells: refCount)).covering(bound)) ?? []
        refCells = refs
        var refEdgeLists: [[Int32]] = []
        for c in refs {
            var list: [Int32] = []
            S2Polygon.forEachIndexedEdge(entries, indexLevels, c) { list.append($0); return false }
            refEdgeLists.append(Array(Set(list)).sorted())
        }
        refEdges = refEdgeLists
        refInside = refs.map { c in
            let p = c.point
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
        for (i, e) in edges.enumerated() {
            let cells = S2Polygon.indexCells(e)
            var others: [Int32] = []
            for c in cells { others += candidateEdges(c) }
            pairChecks += others.count
            if pairChecks > maxPairChecks {
                throw S2Error.tooExpensive(field: field, message: "the polygon is too dense to check (many long edges overlap); simplify it")
            }
            for j in Set(others) where Int(j) > i {
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

    public var numVertices: Int { loops.reduce(0) { $0 + $1.numVertices } }
    /// Σ ± loop areas (holes inside shells subtract).
    public var area: Double {
        var total = 0.0
        for (k, l) in loops.enumerated() { total += depth(k) % 2 == 0 ? l.area : -l.area }
        return Swift.max(0, total)
    }
    /// Σ loop perimeters / loops: used by the cost estimate.
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

    /// Point containment: XOR over the loops of their crossing-parity containment, evaluated from the
    /// centre of the reference cell holding p (exactly what brute force from the global origin gives).
    public func contains(_ p: S2Point) -> Bool {
        if !rectBound.contains(p) { return false }
        let leaf = S2CellId(p)
        var i = S2CellUnion.lowerBound(refCells, leaf)
        if i == refCells.count || !refCells[i].contains(leaf) { i -= 1 }
        if i >= 0 && refCells[i].contains(leaf) {
            let ref = refCells[i].point
            var inside = refInside[i]
            for k in refEdges[i] {
                let e = edges[Int(k)]
                if S2Predicates.edgeOrVertexCrossing(ref, p, e.a, e.b) { inside.toggle() }
            }
            return inside
        }
        return bruteForceContains(p)
    }
    /// XOR of the loops' brute-force containment (crossings from S2Predicates.origin).
    public func bruteForceContains(_ p: S2Point) -> Bool {
        var inside = false
        for l in loops where l.bruteForceContains(p) { inside.toggle() }
        return inside
    }

    public var capBound: S2Cap { rectBound.capBound }
    /// The reference's bound: the cells of its shape index, merged as `S2ShapeIndexRegion` does.
    public func cellUnionBound() -> [S2CellId] {
        S2PolygonIndexBound.cellUnionBound(self)
    }

    /// Cells that together contain edge e. Cells are convex (bounded by four great circles), so the
    /// smallest cell containing both endpoints contains the whole geodesic edge; it is used when both
    /// endpoints sit inside it with a margin of 1e−13 in (u, v) and it is not much larger than the edge.
    /// Otherwise (edges across faces or across a major cell boundary) the edge's padded lat/lng bound
    /// is covered with at most 4 cells.
    static func indexCells(_ e: Edge) -> [S2CellId] {
        let ca = S2CellId(e.a), cb = S2CellId(e.b)
        let level = ca.commonAncestorLevel(cb)
        if level >= 0 {
            let lca = ca.parent(level)
            let ideal = S2Metric.minWidth.levelForMinValue(e.a.angle(e.b))
            if level >= ideal - 2 {
                let cell = S2Cell(lca)
                let margin = 1e-13
                let inner = R2Rect(x: R1Interval(lo: cell.uv.x.lo + margin, hi: cell.uv.x.hi - margin),
                                   y: R1Interval(lo: cell.uv.y.lo + margin, hi: cell.uv.y.hi - margin))
                if let (ua, va) = S2Coords.faceXYZtoUV(cell.face, e.a), let (ub, vb) = S2Coords.faceXYZtoUV(cell.face, e.b),
                   inner.contains(ua, va), inner.contains(ub, vb) {
                    return [lca]
                }
            }
        }
        let coverer = S2RegionCoverer(options: .init(minLevel: 0, maxLevel: 20, levelMod: 1, maxCells: 4))
        let cells = (try? coverer.covering(e.bound.expanded(S2LatLng(latRadians: 1e-13, lngRadians: 1e-13)))) ?? []
        return cells.isEmpty ? (0..<6).map { S2CellId.fromFace($0) } : cells
    }

    /// Indices of the distinct edges whose index cells intersect `cell`.
    func candidateEdges(_ cell: S2CellId) -> [Int32] {
        var out: [Int32] = []
        S2Polygon.forEachIndexedEdge(index, indexLevels, cell) { out.append($0); return false }
        return Array(Set(out))
    }

    /// Calls `body` for every index entry whose cell intersects `cell` (ancestors first, then
    /// descendants); an edge may come more than once. Stops and returns true when `body` does.
    @discardableResult
    static func forEachIndexedEdge(_ index: [IndexEntry], _ levels: UInt32, _ cell: S2CellId, _ body: (Int32) -> Bool) -> Bool {
        func lowerBound(_ id: S2CellId) -> Int {
            var lo = 0, hi = index.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if index[mid].cell.id < id.id { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        if index.isEmpty { return false }
        var level = 0
        while level <= cell.level {
            if (levels >> UInt32(level)) & 1 != 0 {
                let anc = cell.parent(level)
                var i = lowerBound(anc)
                while i < index.count && index[i].cell == anc {
                    if body(index[i].edge) { return true }
                    i += 1
                }
            }
            level += 1
        }
        // Entries strictly inside `cell` (the cell itself was handled as its own ancestor).
        var i = lowerBound(cell.rangeMin)
        let maxId = cell.rangeMax.id
        while i < index.count && index[i].cell.id <= maxId {
            if index[i].cell != cell, body(index[i].edge) { return true }
            i += 1
        }
        return false
    }

    func lowerBound(_ id: S2CellId) -> Int {
        var lo = 0, hi = index.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if index[mid].cell.id < id.id { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Whether some polygon edge touches the cell: crosses or touches a cell edge, or has an
    /// endpoint inside the cell.
    func boundaryTouches(_ cell: S2Cell) -> Bool {
        var rb: S2LatLngRect? = nil
        var vs: [S2Point] = []
        return S2Polygon.forEachIndexedEdge(index, indexLevels, cell.id) { k in
            let e = edges[Int(k)]
            if rb == nil { rb = cell.rectBound; vs = (0..<4).map { cell.vertex($0) } }
            if !e.bound.intersects(rb!) { return false }
            if cell.contains(e.a) || cell.contains(e.b) { return true }
            for j in 0..<4 where S2Predicates.crossingSign(e.a, e.b, vs[j], vs[(j + 1) & 3]) >= 0 { return true }
            return false
        }
    }

    public func mayIntersect(_ cell: S2Cell) -> Bool {
        if !rectBound.intersects(cell.rectBound) { return false }
        if boundaryTouches(cell) { return true }
        return contains(cell.center)
    }
    public func contains(_ cell: S2Cell) -> Bool {
        if !rectBound.intersects(cell.rectBound) { return false }
        if boundaryTouches(cell) { return false }
        return contains(cell.center)
    }
}
