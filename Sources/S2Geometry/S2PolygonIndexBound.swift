import Foundation

/// The cell-union bound the reference computes for a polygon from its `MutableS2ShapeIndex`
/// (C++ `S2ShapeIndexRegion::GetCellUnionBound`), reproduced for polygons whose edges all lie well
/// inside one cube face: the index cells are rebuilt as the reference builds them (shrink the face cell
/// to the padded edge bound, then split cells holding more than 10 "long" edges, clipping edge bounds at
/// the padded cell middles), and the bound is taken over those cells. Coverings start from this bound,
/// so the candidate order — and hence the covering — matches the reference.
struct S2PolygonIndexBound {
    static let faceClipErrorUV = 9.0 * (1.0 / 2.0.squareRoot()) * Double.ulpOfOne
    static let edgeClipErrorUV = 2.25 * Double.ulpOfOne
    /// kCellPadding = 2·(face clip error + edge clip error), in (u, v).
    static let cellPadding = 2 * (faceClipErrorUV + edgeClipErrorUV)
    static let maxEdgesPerCell = 10
    /// kAvgEdge metric (quadratic projection).
    static let avgEdge = S2Metric(dim: 1, deriv: 1.459213746386106062)

    struct FaceEdge { let a: (Double, Double); let b: (Double, Double); let maxLevel: Int }
    struct Clipped { let edge: Int; var bound: R2Rect }

    /// The bound cells, or nil when some edge is not strictly inside a single face (then the caller
    /// falls back to the cap-based bound).
    static func cellUnionBound(_ poly: S2Polygon) -> [S2CellId]? {
        guard !poly.edges.isEmpty else { return nil }
        var face = -1
        var fes: [FaceEdge] = []
        let maxUV = 1 - cellPadding
        for e in poly.edges {
            let fa = S2Coords.face(e.a), fb = S2Coords.face(e.b)
            if fa != fb { return nil }
            if face < 0 { face = fa } else if face != fa { return nil }
            let (au, av) = S2Coords.validFaceXYZtoUV(fa, e.a), (bu, bv) = S2Coords.validFaceXYZtoUV(fa, e.b)
            if Swift.abs(au) > maxUV || Swift.abs(av) > maxUV || Swift.abs(bu) > maxUV || Swift.abs(bv) > maxUV { return nil }
            fes.append(FaceEdge(a: (au, av), b: (bu, bv), maxLevel: avgEdge.levelForMaxValue((e.a - e.b).norm)))
        }
        // The index would also hold cells on other faces if the polygon reached them: it does not (all
        // edges strictly inside `face`), unless the polygon is the complement-like shape containing the
        // face boundary; such polygons contain a face vertex, and we fall back.
        let faceCell = S2Cell(S2CellId.fromFace(face))
        for k in 0..<4 where poly.contains(faceCell.vertex(k)) { return nil }

        var clipped: [Clipped] = []
        var bound = R2Rect(x: .empty, y: .empty)
        for (k, e) in fes.enumerated() {
            let r = R2Rect(x: .fromPointPair(e.a.0, e.b.0), y: .fromPointPair(e.a.1, e.b.1))
            clipped.append(Clipped(edge: k, bound: r))
            bound = R2Rect(x: bound.x.union(r.x), y: bound.y.union(r.y))
        }
        var cells: [S2CellId] = []
        let start = shrinkToFit(S2CellId.fromFace(face), bound)
        update(start, clipped, fes, poly, &cells)
        cells.sort()
        return unionBound(cells)
    }

    /// (i, j) of the lower-left leaf of a cell.
    static func ijLo(_ id: S2CellId) -> (Int, Int) {
        let (_, i, j, _) = id.faceIJOrientation()
        let size = S2CellId.sizeIJ(id.level)
        return (i & -size, j & -size)
    }

    /// C++ `S2PaddedCell::ShrinkToFit`.
    static func shrinkToFit(_ id: S2CellId, _ rect: R2Rect) -> S2CellId {
        let level = id.level
        let size = S2CellId.sizeIJ(level)
        let (ilo, jlo) = ijLo(id)
        if level == 0 {
            if rect.x.contains(0) || rect.y.contains(0) { return id }
        } else {
            let cu = S2Coords.stToUV(S2Coords.siTiToST(UInt32(2 * ilo + size)))
            let cv = S2Coords.stToUV(S2Coords.siTiToST(UInt32(2 * jlo + size)))
            if rect.x.contains(cu) || rect.y.contains(cv) { return id }
        }
        let padded = rect.expanded(cellPadding + 1.5 * Double.ulpOfOne)
        let iMin = Swift.max(ilo, S2Coords.stToIJ(S2Coords.uvToST(padded.x.lo)))
        let iMax = Swift.min(ilo + size - 1, S2Coords.stToIJ(S2Coords.uvToST(padded.x.hi)))
        let jMin = Swift.max(jlo, S2Coords.stToIJ(S2Coords.uvToST(padded.y.lo)))
        let jMax = Swift.min(jlo + size - 1, S2Coords.stToIJ(S2Coords.uvToST(padded.y.hi)))
        let levelMsb = (((iMin ^ iMax) | (jMin ^ jMax)) << 1) + 1
        let newLevel = S2CellId.maxLevel - (Int.bitWidth - 1 - levelMsb.leadingZeroBitCount)
        if newLevel <= level { return id }
        return S2CellId.fromFaceIJ(id.face, iMin, jMin).parent(newLevel)
    }

    /// v at u along the edge, interpolated from the nearer endpoint (C++ `S2::InterpolateDouble`).
    static func interpolate(_ x: Double, _ a: Double, _ b: Double, _ a1: Double, _ b1: Double) -> Double {
        if Swift.abs(a - x) <= Swift.abs(b - x) { return a1 + (b1 - a1) * (x - a) / (b - a) }
        return b1 + (a1 - b1) * (x - b) / (a - b)
    }
    static func project(_ i: R1Interval, _ p: Double) -> Double { Swift.max(i.lo, Swift.min(i.hi, p)) }

    /// C++ `ClipUBound`: clip the u-range at `u` (keeping side 1−uEnd), updating the v bound.
    static func clipU(_ c: Clipped, _ uEnd: Int, _ u: Double, _ fes: [FaceEdge]) -> Clipped {
        if uEnd == 0 { if c.bound.x.lo >= u { return c } } else { if c.bound.x.hi <= u { return c } }
        let e = fes[c.edge]
        let v = project(c.bound.y, interpolate(u, e.a.0, e.b.0, e.a.1, e.b.1))
        let vEnd = uEnd ^ ((e.a.0 > e.b.0) != (e.a.1 > e.b.1) ? 1 : 0)
        return updated(c, uEnd, u, vEnd, v)
    }
    /// C++ `ClipVBound`.
    static func clipV(_ c: Clipped, _ vEnd: Int, _ v: Double, _ fes: [FaceEdge]) -> Clipped {
        if vEnd == 0 { if c.bound.y.lo >= v { return c } } else { if c.bound.y.hi <= v { return c } }
        let e = fes[c.edge]
        let u = project(c.bound.x, interpolate(v, e.a.1, e.b.1, e.a.0, e.b.0))
        let uEnd = vEnd ^ ((e.a.0 > e.b.0) != (e.a.1 > e.b.1) ? 1 : 0)
        return updated(c, uEnd, u, vEnd, v)
    }
    static func updated(_ c: Clipped, _ uEnd: Int, _ u: Double, _ vEnd: Int, _ v: Double) -> Clipped {
        var r = c
        if uEnd == 0 { r.bound.x.lo = u } else { r.bound.x.hi = u }
        if vEnd == 0 { r.bound.y.lo = v } else { r.bound.y.hi = v }
        return r
    }
    static func clipVAxis(_ c: Clipped, _ middle: R1Interval, _ fes: [FaceEdge], _ lower: inout [Clipped], _ upper: inout [Clipped]) {
        if c.bound.y.hi <= middle.lo { lower.append(c) }
        else if c.bound.y.lo >= middle.hi { upper.append(c) }
        else { lower.append(clipV(c, 1, middle.hi, fes)); upper.append(clipV(c, 0, middle.lo, fes)) }
    }

    /// C++ `UpdateEdges` on a first build: an index cell when at most 10 edges are still "long" at this
    /// level, else split among the four padded children (children without edges count only when they
    /// lie inside the polygon).
    static func update(_ id: S2CellId, _ edges: [Clipped], _ fes: [FaceEdge], _ poly: S2Polygon, _ out: inout [S2CellId]) {
        var count = 0
        for c in edges where id.level < fes[c.edge].maxLevel { count += 1 }
        if count <= maxEdgesPerCell {
            out.append(id)
            return
        }
        let (ilo, jlo) = ijLo(id)
        let size = S2CellId.sizeIJ(id.level)
        let mu = S2Coords.stToUV(S2Coords.siTiToST(UInt32(2 * ilo + size)))
        let mv = S2Coords.stToUV(S2Coords.siTiToST(UInt32(2 * jlo + size)))
        let mx = R1Interval(lo: mu - cellPadding, hi: mu + cellPadding)
        let my = R1Interval(lo: mv - cellPadding, hi: mv + cellPadding)
        var c00: [Clipped] = [], c01: [Clipped] = [], c10: [Clipped] = [], c11: [Clipped] = []   // [i][j]
        for c in edges {
            if c.bound.x.hi <= mx.lo {
                clipVAxis(c, my, fes, &c00, &c01)
            } else if c.bound.x.lo >= mx.hi {
                clipVAxis(c, my, fes, &c10, &c11)
            } else if c.bound.y.hi <= my.lo {
                c00.append(clipU(c, 1, mx.hi, fes))
                c10.append(clipU(c, 0, mx.lo, fes))
            } else if c.bound.y.lo >= my.hi {
                c01.append(clipU(c, 1, mx.hi, fes))
                c11.append(clipU(c, 0, mx.lo, fes))
            } else {
                let left = clipU(c, 1, mx.hi, fes)
                clipVAxis(left, my, fes, &c00, &c01)
                let right = clipU(c, 0, mx.lo, fes)
                clipVAxis(right, my, fes, &c10, &c11)
            }
        }
        let child = [[c00, c01], [c10, c11]]
        for k in 0..<4 {
            let cid = id.child(k)
            let (ci, cj) = ijLo(cid)
            let i = ci == ilo ? 0 : 1, j = cj == jlo ? 0 : 1
            if !child[i][j].isEmpty {
                update(cid, child[i][j], fes, poly, &out)
            } else if poly.contains(cid.point) {
                out.append(cid)
            }
        }
    }

    /// C++ `S2ShapeIndexRegion::GetCellUnionBound` over sorted index cells.
    static func unionBound(_ cells: [S2CellId]) -> [S2CellId] {
        guard let first = cells.first, let last = cells.last else { return [] }
        var out: [S2CellId] = []
        func coverRange(_ a: S2CellId, _ b: S2CellId) {
            if a == b { out.append(a) } else { out.append(a.parent(a.commonAncestorLevel(b))) }
        }
        var it = 0
        if first != last {
            let level = first.commonAncestorLevel(last) + 1
            let lastId = last.parent(level)
            var id = first.parent(level)
            while id != lastId {
                if id.rangeMax.id < cells[it].id { id = id.next; continue }
                let f = cells[it]
                // Seek to the first cell ≥ id.rangeMax.next, then step back.
                var k = S2CellUnion.lowerBound(cells, id.rangeMax.next)
                k -= 1
                coverRange(f, cells[k])
                it = k + 1
                id = id.next
            }
        }
        coverRange(cells[it], last)
        return out
    }
}
