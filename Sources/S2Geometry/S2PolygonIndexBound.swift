import Foundation

/// The cells of the reference's `MutableS2ShapeIndex` for a polygon (first build, one shape with an
/// interior, default options), and the cell-union bound `S2ShapeIndexRegion::GetCellUnionBound` takes
/// over them — what C++ `S2Polygon::GetCellUnionBound` returns. Coverings start from this bound, so the
/// candidate order, and hence the covering, matches the reference on every face.
///
/// The build, as in `mutable_s2shape_index.cc`:
/// - each edge gets `maxLevel` = kAvgEdge.levelForMaxValue(|a − b| · 1.0) (cell_size_to_long_edge_ratio 1);
/// - it is assigned to faces: directly when both ends lie on one face at least kCellPadding inside it,
///   else clipped to every padded face it reaches (`S2::ClipToPaddedFace`);
/// - per face: shrink the face cell to the padded bound of its edges, emit the skipped ranges when they
///   lie inside the polygon, then subdivide: a cell becomes an index cell unless it holds more than
///   10 edges of which more than max(10, ⌊0.2·(edges + containing shapes)⌋) are still short at its
///   level; children get the edges clipped at the padded middle; an edge-free child is an index cell
///   exactly when it lies inside the polygon. A face without edges is one index cell when inside.
/// Containment of edge-free regions, which the reference tracks by crossings along the Hilbert curve,
/// is taken from `S2Polygon.contains` at a point of the region (the same answer).
struct S2PolygonIndexBound {
    /// S2::kFaceClipErrorUVCoord = 9·(1/√2)·DBL_EPSILON.
    static let faceClipErrorUVCoord = 9.0 * 0.70710678118654752440 * Double.ulpOfOne
    static let faceClipErrorRadians = 3 * Double.ulpOfOne
    /// S2::kEdgeClipErrorUVCoord = 2.25·DBL_EPSILON.
    static let edgeClipErrorUVCoord = 2.25 * Double.ulpOfOne
    /// kCellPadding = 2·(face clip error + edge clip error), in (u, v).
    static let cellPadding = 2 * (faceClipErrorUVCoord + edgeClipErrorUVCoord)
    static let maxEdgesPerCell = 10
    static let minShortEdgeFraction = 0.2
    /// kAvgEdge metric (quadratic projection).
    static let avgEdge = S2Metric(dim: 1, deriv: 1.459213746386106062)

    /// An edge projected onto one face: (u, v) of its (clipped) ends.
    struct FaceEdge { let au: Double, av: Double, bu: Double, bv: Double; let maxLevel: Int }
    /// The part of face edge `edge` inside the current cell, as its (u, v) bound.
    struct Clipped { let edge: Int32; var bound: R2Rect }

    /// State of one build: the polygon (for containment) and the index cells found so far.
    struct Build {
        let poly: S2Polygon
        var cells: [S2CellId] = []
        var fes: [FaceEdge] = []
    }

    /// The sorted index cells of the polygon.
    static func indexCells(_ poly: S2Polygon) -> [S2CellId] {
        var perFace = [[FaceEdge]](repeating: [], count: 6)
        for (k, l) in poly.loops.enumerated() {
            let hole = poly.depth(k) % 2 == 1
            let n = l.numVertices
            for i in 0..<n {
                // S2Polygon::Shape walks holes backwards so the interior is on the left.
                var a = l.vertices[i], b = l.vertex(i + 1)
                if hole { swap(&a, &b) }
                addFaceEdge(a, b, &perFace)
            }
        }
        var build = Build(poly: poly)
        for face in 0..<6 { updateFaceEdges(face, perFace[face], &build) }
        return build.cells
    }

    /// C++ `S2ShapeIndexRegion::GetCellUnionBound` over the index cells.
    static func cellUnionBound(_ poly: S2Polygon) -> [S2CellId] {
        unionBound(indexCells(poly))
    }

    /// C++ `MutableS2ShapeIndex::AddFaceEdge`.
    static func addFaceEdge(_ a: S2Point, _ b: S2Point, _ perFace: inout [[FaceEdge]]) {
        let maxLevel = avgEdge.levelForMaxValue((a - b).norm * 1.0)
        let fa = S2Coords.face(a)
        if fa == S2Coords.face(b) {
            let (au, av) = S2Coords.validFaceXYZtoUV(fa, a), (bu, bv) = S2Coords.validFaceXYZtoUV(fa, b)
            let maxUV = 1 - cellPadding
            if Swift.abs(au) <= maxUV && Swift.abs(av) <= maxUV && Swift.abs(bu) <= maxUV && Swift.abs(bv) <= maxUV {
                perFace[fa].append(FaceEdge(au: au, av: av, bu: bu, bv: bv, maxLevel: maxLevel))
                return
            }
        }
        for face in 0..<6 {
            if let (auv, buv) = clipToPaddedFace(a, b, face, cellPadding) {
                perFace[face].append(FaceEdge(au: auv.0, av: auv.1, bu: buv.0, bv: buv.1, maxLevel: maxLevel))
            }
        }
    }

    /// C++ `UpdateFaceEdges` on a first build.
    static func updateFaceEdges(_ face: Int, _ edges: [FaceEdge], _ build: inout Build) {
        let faceId = S2CellId.fromFace(face)
        if edges.isEmpty {
            // No edge reaches this (padded) face: it is inside or outside as a whole.
            if build.poly.contains(S2Coords.faceUVtoXYZ(face, 0, 0).normalized) { build.cells.append(faceId) }
            return
        }
        build.fes = edges
        var clipped: [Clipped] = []
        clipped.reserveCapacity(edges.count)
        var bound = R2Rect(x: .empty, y: .empty)
        for (k, e) in edges.enumerated() {
            let r = R2Rect(x: .fromPointPair(e.au, e.bu), y: .fromPointPair(e.av, e.bv))
            clipped.append(Clipped(edge: Int32(k), bound: r))
            bound = R2Rect(x: bound.x.union(r.x), y: bound.y.union(r.y))
        }
        let shrunk = shrinkToFit(faceId, bound)
        if shrunk != faceId {
            // The cells skipped before and after `shrunk` hold no edge: all inside or all outside.
            let skippedInside = build.poly.contains(skippedPoint(faceId, shrunk))
            if skippedInside { build.cells += fromBeginEnd(faceId.rangeMin, shrunk.rangeMin) }
            updateEdges(shrunk, clipped, &build)
            if skippedInside { build.cells += fromBeginEnd(shrunk.rangeMax.next, faceId.rangeMax.next) }
            return
        }
        updateEdges(faceId, clipped, &build)
    }

    /// A point of face `faceId` outside the (strictly smaller) cell `shrunk`: the centre of a child of
    /// the face that does not contain `shrunk`.
    static func skippedPoint(_ faceId: S2CellId, _ shrunk: S2CellId) -> S2Point {
        let first = shrunk.parent(1)
        let other = first == faceId.child(0) ? faceId.child(1) : faceId.child(0)
        return other.point
    }

    /// C++ `S2CellUnion::FromBeginEnd`: the fewest cells covering the leaf range [begin, end).
    static func fromBeginEnd(_ begin: S2CellId, _ end: S2CellId) -> [S2CellId] {
        var out: [S2CellId] = []
        var id = maximumTile(begin, end)
        while id != end {
            out.append(id)
            id = maximumTile(id.next, end)
        }
        return out
    }
    /// C++ `S2CellId::maximum_tile`.
    static func maximumTile(_ cell: S2CellId, _ limit: S2CellId) -> S2CellId {
        var id = cell
        let start = id.rangeMin
        if start.id >= limit.rangeMin.id { return limit }
        if id.rangeMax.id >= limit.id {
            repeat { id = id.child(0) } while id.rangeMax.id >= limit.id
            return id
        }
        while id.level > 0 {
            let parent = id.parent(id.level - 1)
            if parent.rangeMin != start || parent.rangeMax.id >= limit.id { break }
            id = parent
        }
        return id
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
    @inline(__always)
    static func interpolate(_ x: Double, _ a: Double, _ b: Double, _ a1: Double, _ b1: Double) -> Double {
        if Swift.abs(a - x) <= Swift.abs(b - x) { return a1 + (b1 - a1) * (x - a) / (b - a) }
        return b1 + (a1 - b1) * (x - b) / (a - b)
    }
    @inline(__always)
    static func project(_ i: R1Interval, _ p: Double) -> Double { Swift.max(i.lo, Swift.min(i.hi, p)) }

    /// C++ `ClipUBound`: clip the u-range at `u` (keeping side 1−uEnd), updating the v bound.
    static func clipU(_ c: Clipped, _ uEnd: Int, _ u: Double, _ fes: [FaceEdge]) -> Clipped {
        if uEnd == 0 { if c.bound.x.lo >= u { return c } } else { if c.bound.x.hi <= u { return c } }
        let e = fes[Int(c.edge)]
        let v = project(c.bound.y, interpolate(u, e.au, e.bu, e.av, e.bv))
        let vEnd = uEnd ^ ((e.au > e.bu) != (e.av > e.bv) ? 1 : 0)
        return updated(c, uEnd, u, vEnd, v)
    }
    /// C++ `ClipVBound`.
    static func clipV(_ c: Clipped, _ vEnd: Int, _ v: Double, _ fes: [FaceEdge]) -> Clipped {
        if vEnd == 0 { if c.bound.y.lo >= v { return c } } else { if c.bound.y.hi <= v { return c } }
        let e = fes[Int(c.edge)]
        let u = project(c.bound.x, interpolate(v, e.av, e.bv, e.au, e.bu))
        let uEnd = vEnd ^ ((e.au > e.bu) != (e.av > e.bv) ? 1 : 0)
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

    /// C++ `MakeIndexCell`'s test: whether `id` with these edges is an index cell (else subdivide).
    static func isIndexCell(_ id: S2CellId, _ edges: [Clipped], _ build: Build) -> Bool {
        let n = edges.count
        if n <= maxEdgesPerCell { return true }
        var short = 0
        let level = id.level
        for c in edges where level < build.fes[Int(c.edge)].maxLevel { short += 1 }
        // The threshold counts the shapes containing the cell's entry vertex (0 or 1 here).
        let lowMax = Swift.max(maxEdgesPerCell, Int(minShortEdgeFraction * Double(n)))
        if short <= lowMax { return true }
        let highMax = Swift.max(maxEdgesPerCell, Int(minShortEdgeFraction * Double(n + 1)))
        if short > highMax { return false }
        return !build.poly.contains(entryVertex(id))
    }

    /// Where the Hilbert curve enters the cell (C++ `S2PaddedCell::GetEntryVertex`).
    static func entryVertex(_ id: S2CellId) -> S2Point {
        let (face, i, j, orientation) = id.faceIJOrientation()
        let size = S2CellId.sizeIJ(id.level)
        var ii = i & -size, jj = j & -size
        if orientation & S2Coords.invertMask != 0 { ii += size; jj += size }
        return S2Coords.faceSiTiToXYZ(face, UInt32(2 * ii), UInt32(2 * jj)).normalized
    }

    /// C++ `UpdateEdges` on a first build (edges non-empty).
    static func updateEdges(_ id: S2CellId, _ edges: [Clipped], _ build: inout Build) {
        if isIndexCell(id, edges, build) {
            build.cells.append(id)
            return
        }
        let (ilo, jlo) = ijLo(id)
        let size = S2CellId.sizeIJ(id.level)
        let mu = S2Coords.stToUV(S2Coords.siTiToST(UInt32(2 * ilo + size)))
        let mv = S2Coords.stToUV(S2Coords.siTiToST(UInt32(2 * jlo + size)))
        let mx = R1Interval(lo: mu - cellPadding, hi: mu + cellPadding)
        let my = R1Interval(lo: mv - cellPadding, hi: mv + cellPadding)
        let fes = build.fes
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
        for k in 0..<4 {
            let cid = id.child(k)
            let (ci, cj) = ijLo(cid)
            let i = ci == ilo ? 0 : 1, j = cj == jlo ? 0 : 1
            let list = i == 0 ? (j == 0 ? c00 : c01) : (j == 0 ? c10 : c11)
            if !list.isEmpty {
                updateEdges(cid, list, &build)
            } else if build.poly.contains(cid.point) {
                build.cells.append(cid)
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

    // MARK: clipping edges to faces (C++ s2edge_clipping.cc)

    /// Coordinates of p in the (u, v, w) frame of a face (C++ `S2::FaceXYZtoUVW`).
    static func faceXYZtoUVW(_ face: Int, _ p: S2Point) -> S2Point {
        switch face {
        case 0: return S2Point(p.y, p.z, p.x)
        case 1: return S2Point(-p.x, p.z, p.y)
        case 2: return S2Point(-p.x, -p.y, p.z)
        case 3: return S2Point(-p.z, -p.y, -p.x)
        case 4: return S2Point(-p.z, p.x, -p.y)
        default: return S2Point(p.y, p.x, -p.z)
        }
    }
    /// Whether the line with normal n meets the face square: |nu| + |nv| ≥ |nw|, evaluated exactly.
    static func intersectsFace(_ n: S2Point) -> Bool {
        let u = Swift.abs(n.x), v = Swift.abs(n.y), w = Swift.abs(n.z)
        return (v >= w - u) && (u >= w - v)
    }
    /// Whether the line meets two opposite edges of the face: ||nu| − |nv|| ≥ |nw|, exactly.
    static func intersectsOppositeEdges(_ n: S2Point) -> Bool {
        let u = Swift.abs(n.x), v = Swift.abs(n.y), w = Swift.abs(n.z)
        if Swift.abs(u - v) != w { return Swift.abs(u - v) >= w }
        return u >= v ? (u - w >= v) : (v - w >= u)
    }
    /// 0 when the line leaves the face through u = ±1, 1 through v = ±1.
    static func exitAxis(_ n: S2Point) -> Int {
        if intersectsOppositeEdges(n) { return Swift.abs(n.x) >= Swift.abs(n.y) ? 1 : 0 }
        let odd = ((n.x.sign == .minus) != (n.y.sign == .minus)) != (n.z.sign == .minus)
        return odd ? 0 : 1
    }
    /// (u, v) where the line leaves the face.
    static func exitPoint(_ n: S2Point, _ axis: Int) -> (Double, Double) {
        if axis == 0 {
            let u = n.y > 0 ? 1.0 : -1.0
            return (u, (-u * n.x - n.z) / n.y)
        }
        let v = n.x < 0 ? 1.0 : -1.0
        return ((-v * n.y - n.z) / n.x, v)
    }
    /// C++ `ClipDestination`: the clipped end B′ on this face and its score (sum ≥ 3: no intersection).
    static func clipDestination(_ a: S2Point, _ b: S2Point, _ scaledN: S2Point, _ aTangent: S2Point,
                                _ bTangent: S2Point, _ scaleUV: Double) -> (Int, (Double, Double)) {
        let maxSafe = 1 - faceClipErrorUVCoord
        if b.z > 0 {
            let uv = (b.x / b.z, b.y / b.z)
            if Swift.max(Swift.abs(uv.0), Swift.abs(uv.1)) <= maxSafe { return (0, uv) }
        }
        let e = exitPoint(scaledN, exitAxis(scaledN))
        var uv = (scaleUV * e.0, scaleUV * e.1)
        let p = S2Point(uv.0, uv.1, 1.0)
        var score = 0
        if (p - a).dot(aTangent) < 0 { score = 2 } else if (p - b).dot(bTangent) < 0 { score = 1 }
        if score > 0 {
            if b.z <= 0 { score = 3 } else { uv = (b.x / b.z, b.y / b.z) }
        }
        return (score, uv)
    }
    /// C++ `S2::ClipToPaddedFace`: the part of edge ab on the face padded by `padding` in (u, v), or nil.
    static func clipToPaddedFace(_ aXYZ: S2Point, _ bXYZ: S2Point, _ face: Int, _ padding: Double)
        -> ((Double, Double), (Double, Double))? {
        if S2Coords.face(aXYZ) == face && S2Coords.face(bXYZ) == face {
            return (S2Coords.validFaceXYZtoUV(face, aXYZ), S2Coords.validFaceXYZtoUV(face, bXYZ))
        }
        var n = faceXYZtoUVW(face, robustCrossProd(aXYZ, bXYZ))
        let a = faceXYZtoUVW(face, aXYZ), b = faceXYZtoUVW(face, bXYZ)
        let scaleUV = 1 + padding
        let scaledN = S2Point(scaleUV * n.x, scaleUV * n.y, n.z)
        if !intersectsFace(scaledN) { return nil }
        if Swift.max(Swift.abs(n.x), Swift.max(Swift.abs(n.y), Swift.abs(n.z))) < scalbn(1.0, -511) {
            n = n * scalbn(1.0, 563)
        }
        n = n.normalized
        let aTangent = n.cross(a), bTangent = b.cross(n)
        let (aScore, auv) = clipDestination(b, a, -scaledN, bTangent, aTangent, scaleUV)
        let (bScore, buv) = clipDestination(a, b, scaledN, aTangent, bTangent, scaleUV)
        return aScore + bScore < 3 ? (auv, buv) : nil
    }

    // MARK: robust cross product (C++ s2edge_crossings.cc)

    /// DBL_ERR = 2⁻⁵³ and the smallest |(a − b) × (a + b)| whose direction is within 6·DBL_ERR.
    static let dblErr = scalbn(1.0, -53)
    static let sqrt3 = 1.7320508075688772935
    static let minNormDouble = (32 * sqrt3 * dblErr) / ((6 * dblErr) / dblErr - (1 + 2 * sqrt3))
    #if arch(x86_64) || arch(i386)
    static let minNormLD: Float80 = Float80(32 * sqrt3 * dblErr) / (Float80(6 * dblErr) / scalbn(Float80(1), -64) - (1 + 2 * Float80(sqrt3)))
    #endif

    /// C++ `S2::RobustCrossProd`: (a − b) × (a + b) when that is accurate; else in 80-bit precision;
    /// else exactly (then symbolically for proportional inputs); an orthogonal vector when a == b.
    static func robustCrossProd(_ a: S2Point, _ b: S2Point) -> S2Point {
        let r = (a - b).cross(a + b)
        if r.norm2 >= minNormDouble * minNormDouble { return r }
        if a == b { return a.ortho }
        #if arch(x86_64) || arch(i386)
        let ax = Float80(a.x), ay = Float80(a.y), az = Float80(a.z)
        let bx = Float80(b.x), by = Float80(b.y), bz = Float80(b.z)
        let dx = ax - bx, dy = ay - by, dz = az - bz
        let sx = ax + bx, sy = ay + by, sz = az + bz
        let rx = dy * sz - dz * sy, ry = dz * sx - dx * sz, rz = dx * sy - dy * sx
        if rx * rx + ry * ry + rz * rz >= minNormLD * minNormLD {
            return S2Point(Double(rx), Double(ry), Double(rz))
        }
        #endif
        return exactCrossProd(a, b)
    }

    /// a × b from exact products (rounded per component), scaled to be normalisable; the symbolic
    /// perturbation result of the reference when a and b are exactly proportional.
    static func exactCrossProd(_ a: S2Point, _ b: S2Point) -> S2Point {
        func det(_ p: Double, _ q: Double, _ r: Double, _ s: Double) -> Double {
            let e = ExactExpansion.twoProduct(p, q) - ExactExpansion.twoProduct(r, s)
            return e.terms.reduce(0.0, +)   // smallest terms first: rounded sum of the exact value
        }
        let x = S2Point(det(a.y, b.z, a.z, b.y), det(a.z, b.x, a.x, b.z), det(a.x, b.y, a.y, b.x))
        if x != S2Point(0, 0, 0) { return ensureNormalizable(x) }
        if S2Point.lexLess(a, b) { return ensureNormalizable(symbolicCrossProdSorted(a, b)) }
        return -ensureNormalizable(symbolicCrossProdSorted(b, a))
    }
    static func symbolicCrossProdSorted(_ a: S2Point, _ b: S2Point) -> S2Point {
        if b.x != 0 || b.y != 0 { return S2Point(-b.y, b.x, 0) }
        if b.z != 0 { return S2Point(b.z, 0, 0) }
        if a.x != 0 || a.y != 0 { return S2Point(a.y, -a.x, 0) }
        return S2Point(1, 0, 0)
    }
    /// Scales by a power of two so the largest component is in [1, 2) when it is below 2⁻²⁴².
    static func ensureNormalizable(_ p: S2Point) -> S2Point {
        let pMax = Swift.max(Swift.abs(p.x), Swift.max(Swift.abs(p.y), Swift.abs(p.z)))
        if pMax >= scalbn(1.0, -242) { return p }
        return scalbn(2.0, -1 - Int(pMax.exponent)) * p
    }
}
