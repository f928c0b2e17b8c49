import Foundation

/// The cell index the reference builds for a polygon (C++ `MutableS2ShapeIndex`, first build, one
/// shape with an interior, default options), with the queries C++ `S2Polygon` answers through it:
/// the cell-union bound (`S2ShapeIndexRegion::GetCellUnionBound`), cell intersection and containment
/// (`S2ShapeIndexRegion::MayIntersect` / `Contains`) and point containment (`S2ContainsPointQuery`).
/// Coverings start from the bound and test candidates with these queries, so they are the reference's.
///
/// The build, as in `mutable_s2shape_index.cc`:
/// - each edge gets `maxLevel` = kAvgEdge.levelForMaxValue(|a − b| · 1.0) (cell_size_to_long_edge_ratio 1);
/// - it is assigned to faces: directly when both ends lie on one face at least kCellPadding inside it,
///   else clipped to every padded face it reaches (`S2::ClipToPaddedFace`);
/// - per face: shrink the face cell to the padded bound of its edges, emit the skipped ranges when they
///   lie inside, then subdivide: a cell becomes an index cell unless it holds more than 10 edges of
///   which more than max(10, ⌊0.2·(edges + containing shapes)⌋) are still short at its level;
///   children get the edges clipped at the padded middle; an edge-free child is an index cell exactly
///   when it lies inside. A face without edges is one index cell when inside.
/// - containment is tracked along the Hilbert curve (C++ `InteriorTracker`): from the curve's start,
///   whose containment is found by brute force, to each index cell's entry vertex, centre and exit
///   vertex, toggling at every edge crossed; `containsCenter` records it at each centre.
struct S2ShapeIndex: Sendable, Hashable {
    /// Index cells in increasing id order.
    let cells: [S2CellId]
    /// Per cell: its edges are `edgeIds[edgeStart[k] ..< edgeStart[k + 1]]`.
    let edgeStart: [Int32]
    let edgeIds: [Int32]
    /// Whether the shape contains each cell's centre.
    let containsCenter: [Bool]
    /// The shape's edges (holes already reversed, interior on the left).
    let edges: [Edge]

    struct Edge: Sendable, Hashable {
        let a: S2Point
        let b: S2Point
    }

    /// kCellPadding = 2·(face clip error + edge clip error), in (u, v).
    static let cellPadding = 2 * (S2EdgeClipping.faceClipErrorUVCoord + S2EdgeClipping.edgeClipErrorUVCoord)
    static let maxEdgesPerCell = 10
    static let minShortEdgeFraction = 0.2
    /// kAvgEdge metric (quadratic projection).
    static let avgEdge = S2Metric(dim: 1, deriv: 1.459213746386106062)
    /// S2ShapeIndexRegion's tolerance for edge/cell tests: face clip error + IntersectsRect error.
    static let maxRegionError = S2EdgeClipping.faceClipErrorUVCoord + S2EdgeClipping.intersectsRectErrorUVDist

    // MARK: queries

    enum Relation { case disjoint, subdivided, indexed(Int) }

    /// C++ `S2ShapeIndex::Iterator::Locate(S2CellId)`.
    func locate(_ target: S2CellId) -> Relation {
        let k = S2CellUnion.lowerBound(cells, target.rangeMin)
        if k < cells.count {
            if cells[k].id >= target.id && cells[k].rangeMin.id <= target.id { return .indexed(k) }
            if cells[k].id <= target.rangeMax.id { return .subdivided }
        }
        if k > 0 && cells[k - 1].rangeMax.id >= target.id { return .indexed(k - 1) }
        return .disjoint
    }
    /// C++ `Locate(S2Point)`: the index cell holding the leaf of p, if any.
    func locate(_ p: S2Point) -> Int? {
        let target = S2CellId(p)
        let k = S2CellUnion.lowerBound(cells, target)
        if k < cells.count && cells[k].rangeMin.id <= target.id { return k }
        if k > 0 && cells[k - 1].rangeMax.id >= target.id { return k - 1 }
        return nil
    }

    /// C++ `S2ContainsPointQuery::ShapeContains` (semi-open): the centre's containment, toggled by
    /// every edge of the cell crossed on the way from the cell centre to p.
    func shapeContains(_ k: Int, _ p: S2Point) -> Bool {
        var inside = containsCenter[k]
        let lo = Int(edgeStart[k]), hi = Int(edgeStart[k + 1])
        if lo == hi { return inside }
        let center = cells[k].point
        for e in edgeIds[lo..<hi] {
            let edge = edges[Int(e)]
            if S2Predicates.edgeOrVertexCrossing(center, p, edge.a, edge.b) { inside.toggle() }
        }
        return inside
    }

    /// C++ `S2ShapeIndexRegion::AnyEdgeIntersects`: some edge of index cell k, clipped to the cell's
    /// face with padding, meets the cell's (u, v) rectangle grown by the clipping error.
    func anyEdgeIntersects(_ k: Int, _ target: S2Cell) -> Bool {
        let bound = target.uv.expanded(S2ShapeIndex.maxRegionError)
        for e in edgeIds[Int(edgeStart[k])..<Int(edgeStart[k + 1])] {
            let edge = edges[Int(e)]
            if let (p0, p1) = S2EdgeClipping.clipToPaddedFace(edge.a, edge.b, target.face, S2ShapeIndex.maxRegionError),
               S2EdgeClipping.intersectsRect(p0, p1, bound) {
                return true
            }
        }
        return false
    }

    /// C++ `S2ShapeIndexRegion::MayIntersect(S2Cell)`: true when the cell is or contains index cells,
    /// else when an edge meets it or the shape contains its centre.
    func mayIntersect(_ target: S2Cell) -> Bool {
        switch locate(target.id) {
        case .disjoint: return false
        case .subdivided: return true
        case .indexed(let k):
            if cells[k] == target.id { return true }
            if anyEdgeIntersects(k, target) { return true }
            return shapeContains(k, target.center)
        }
    }
    /// C++ `S2ShapeIndexRegion::Contains(S2Cell)`: the cell lies in one index cell, no edge meets it
    /// and the shape contains its centre.
    func contains(_ target: S2Cell) -> Bool {
        guard case .indexed(let k) = locate(target.id) else { return false }
        if cells[k] == target.id { return edgeStart[k] == edgeStart[k + 1] && containsCenter[k] }
        return !anyEdgeIntersects(k, target) && shapeContains(k, target.center)
    }
    /// C++ `S2ContainsPointQuery::Contains` (semi-open).
    func contains(_ p: S2Point) -> Bool {
        guard let k = locate(p) else { return false }
        return shapeContains(k, p)
    }

    /// C++ `S2ShapeIndexRegion::GetCellUnionBound`: one cell per face, or up to four on one face, each
    /// the smallest cell covering the index cells below it.
    func cellUnionBound() -> [S2CellId] {
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
                let k = S2CellUnion.lowerBound(cells, id.rangeMax.next) - 1
                coverRange(f, cells[k])
                it = k + 1
                id = id.next
            }
        }
        coverRange(cells[it], last)
        return out
    }

    // MARK: build

    /// Builds the index of a shape with an interior from its edges; `containsStart` answers (by brute
    /// force) whether the shape contains a point.
    init(edges: [Edge], containsStart: (S2Point) -> Bool) {
        var builder = Builder(edges: edges)
        builder.inside = containsStart(builder.focus)
        var perFace = [[FaceEdge]](repeating: [], count: 6)
        for (k, e) in edges.enumerated() { S2ShapeIndex.addFaceEdge(Int32(k), e, &perFace) }
        for face in 0..<6 { builder.updateFaceEdges(face, perFace[face]) }
        cells = builder.cells
        edgeIds = builder.edgeIds
        edgeStart = builder.edgeStart + [Int32(builder.edgeIds.count)]
        containsCenter = builder.containsCenter
        self.edges = edges
    }

    /// An edge projected onto one face: (u, v) of its (clipped) ends.
    struct FaceEdge { let id: Int32; let au: Double, av: Double, bu: Double, bv: Double; let maxLevel: Int }
    /// The part of face edge `edge` (an index into the face's edges) inside the current cell, as its
    /// (u, v) bound.
    struct Clipped { let edge: Int32; var bound: R2Rect }
    /// A cell being subdivided, with the (i, j) of its lower-left leaf and its Hilbert orientation.
    struct PaddedCell { let id: S2CellId; let face: Int; let ilo: Int; let jlo: Int; let level: Int; let orientation: Int }

    /// C++ `MutableS2ShapeIndex::AddFaceEdge`.
    static func addFaceEdge(_ id: Int32, _ e: Edge, _ perFace: inout [[FaceEdge]]) {
        let maxLevel = avgEdge.levelForMaxValue((e.a - e.b).norm * 1.0)
        let fa = S2Coords.face(e.a)
        if fa == S2Coords.face(e.b) {
            let (au, av) = S2Coords.validFaceXYZtoUV(fa, e.a), (bu, bv) = S2Coords.validFaceXYZtoUV(fa, e.b)
            let maxUV = 1 - cellPadding
            if Swift.abs(au) <= maxUV && Swift.abs(av) <= maxUV && Swift.abs(bu) <= maxUV && Swift.abs(bv) <= maxUV {
                perFace[fa].append(FaceEdge(id: id, au: au, av: av, bu: bu, bv: bv, maxLevel: maxLevel))
                return
            }
        }
        for face in 0..<6 {
            if let (auv, buv) = S2EdgeClipping.clipToPaddedFace(e.a, e.b, face, cellPadding) {
                perFace[face].append(FaceEdge(id: id, au: auv.0, av: auv.1, bu: buv.0, bv: buv.1, maxLevel: maxLevel))
            }
        }
    }

    /// The state of one build: the index cells so far and the interior tracker.
    struct Builder {
        let edges: [Edge]
        var cells: [S2CellId] = []
        var edgeStart: [Int32] = []
        var edgeIds: [Int32] = []
        var containsCenter: [Bool] = []
        /// Edges of the face being processed.
        var fes: [FaceEdge] = []
        /// Tracker: the focus point, whether the shape contains it, and the cell whose entry vertex it is.
        var focus: S2Point = S2Coords.faceUVtoXYZ(0, -1, -1).normalized
        var inside = false
        var nextCellId = S2CellId.begin(S2CellId.maxLevel)

        init(edges: [Edge]) { self.edges = edges }

        /// Moves the focus to b along a geodesic, toggling at each of the cell's edges it crosses.
        mutating func drawTo(_ b: S2Point, _ list: [Clipped]) {
            let a = focus
            focus = b
            for c in list {
                let e = edges[Int(fes[Int(c.edge)].id)]
                if S2Predicates.edgeOrVertexCrossing(a, b, e.a, e.b) { inside.toggle() }
            }
        }

        /// Adds an index cell without edges (entirely inside).
        mutating func addInteriorCell(_ id: S2CellId) {
            cells.append(id)
            edgeStart.append(Int32(edgeIds.count))
            containsCenter.append(true)
        }

        /// C++ `UpdateFaceEdges` on a first build.
        mutating func updateFaceEdges(_ face: Int, _ faceEdges: [FaceEdge]) {
            let faceId = S2CellId.fromFace(face)
            if faceEdges.isEmpty {
                if inside { addInteriorCell(faceId) }
                return
            }
            fes = faceEdges
            var clipped: [Clipped] = []
            clipped.reserveCapacity(faceEdges.count)
            var bound = R2Rect(x: .empty, y: .empty)
            for (k, e) in faceEdges.enumerated() {
                let r = R2Rect(x: .fromPointPair(e.au, e.bu), y: .fromPointPair(e.av, e.bv))
                clipped.append(Clipped(edge: Int32(k), bound: r))
                bound = R2Rect(x: bound.x.union(r.x), y: bound.y.union(r.y))
            }
            let facePC = PaddedCell(id: faceId, face: face, ilo: 0, jlo: 0, level: 0, orientation: face & S2Coords.swapMask)
            let shrunk = S2ShapeIndex.shrinkToFit(facePC, bound)
            if shrunk != faceId {
                // Cells skipped before and after `shrunk` hold no edge: index cells when inside.
                if inside { for c in S2ShapeIndex.fromBeginEnd(faceId.rangeMin, shrunk.rangeMin) { addInteriorCell(c) } }
                let (_, i, j, o) = shrunk.faceIJOrientation()
                let size = S2CellId.sizeIJ(shrunk.level)
                updateEdges(PaddedCell(id: shrunk, face: face, ilo: i & -size, jlo: j & -size, level: shrunk.level, orientation: o), clipped)
                if inside { for c in S2ShapeIndex.fromBeginEnd(shrunk.rangeMax.next, faceId.rangeMax.next) { addInteriorCell(c) } }
                return
            }
            updateEdges(facePC, clipped)
        }

        /// C++ `MakeIndexCell`'s test: whether the cell is an index cell (else it is subdivided).
        func isIndexCell(_ pc: PaddedCell, _ list: [Clipped]) -> Bool {
            let n = list.count
            if n <= S2ShapeIndex.maxEdgesPerCell { return true }
            let maxShort = Swift.max(S2ShapeIndex.maxEdgesPerCell, Int(S2ShapeIndex.minShortEdgeFraction * Double(n + (inside ? 1 : 0))))
            var short = 0
            for c in list where pc.level < fes[Int(c.edge)].maxLevel {
                short += 1
                if short > maxShort { return false }
            }
            return true
        }

        /// (x, y, z) of leaf corner (i, j) of the face, normalised (C++ `FaceSiTitoXYZ(face, 2i, 2j)`).
        static func corner(_ face: Int, _ i: Int, _ j: Int) -> S2Point {
            S2Coords.faceSiTiToXYZ(face, UInt32(2 * i), UInt32(2 * j)).normalized
        }

        /// C++ `MakeIndexCell` for a cell with edges: tracker to the entry vertex (unless already
        /// there), then the centre (recording containment), then the exit vertex.
        mutating func makeIndexCell(_ pc: PaddedCell, _ list: [Clipped]) {
            let size = S2CellId.sizeIJ(pc.level)
            if pc.id.rangeMin != nextCellId {
                let inv = pc.orientation & S2Coords.invertMask != 0
                focus = Builder.corner(pc.face, pc.ilo + (inv ? size : 0), pc.jlo + (inv ? size : 0))
            }
            drawTo(S2Coords.faceSiTiToXYZ(pc.face, UInt32(2 * pc.ilo + size), UInt32(2 * pc.jlo + size)).normalized, list)
            cells.append(pc.id)
            edgeStart.append(Int32(edgeIds.count))
            containsCenter.append(inside)
            for c in list { edgeIds.append(fes[Int(c.edge)].id) }
            let exitI = pc.orientation == 0 || pc.orientation == S2Coords.swapMask + S2Coords.invertMask
            drawTo(Builder.corner(pc.face, pc.ilo + (exitI ? size : 0), pc.jlo + (exitI ? 0 : size)), list)
            nextCellId = pc.id.next.rangeMin
        }

        /// C++ `UpdateEdges` on a first build (edges non-empty).
        mutating func updateEdges(_ pc: PaddedCell, _ list: [Clipped]) {
            if isIndexCell(pc, list) {
                makeIndexCell(pc, list)
                return
            }
            let size = S2CellId.sizeIJ(pc.level)
            let mu = S2Coords.stToUV(S2Coords.siTiToST(UInt32(2 * pc.ilo + size)))
            let mv = S2Coords.stToUV(S2Coords.siTiToST(UInt32(2 * pc.jlo + size)))
            let pad = S2ShapeIndex.cellPadding
            let mx = R1Interval(lo: mu - pad, hi: mu + pad)
            let my = R1Interval(lo: mv - pad, hi: mv + pad)
            var c00: [Clipped] = [], c01: [Clipped] = [], c10: [Clipped] = [], c11: [Clipped] = []   // [i][j]
            for c in list {
                if c.bound.x.hi <= mx.lo {
                    clipVAxis(c, my, &c00, &c01)
                } else if c.bound.x.lo >= mx.hi {
                    clipVAxis(c, my, &c10, &c11)
                } else if c.bound.y.hi <= my.lo {
                    c00.append(clipU(c, 1, mx.hi))
                    c10.append(clipU(c, 0, mx.lo))
                } else if c.bound.y.lo >= my.hi {
                    c01.append(clipU(c, 1, mx.hi))
                    c11.append(clipU(c, 0, mx.lo))
                } else {
                    let left = clipU(c, 1, mx.hi)
                    clipVAxis(left, my, &c00, &c01)
                    let right = clipU(c, 0, mx.lo)
                    clipVAxis(right, my, &c10, &c11)
                }
            }
            let half = size >> 1
            var child = pc.id.childBegin
            for pos in 0..<4 {
                let ij = S2Coords.posToIJ[pc.orientation][pos]
                let i = ij >> 1, j = ij & 1
                let childList = i == 0 ? (j == 0 ? c00 : c01) : (j == 0 ? c10 : c11)
                if !childList.isEmpty {
                    let cpc = PaddedCell(id: child, face: pc.face, ilo: pc.ilo + i * half, jlo: pc.jlo + j * half,
                                         level: pc.level + 1, orientation: pc.orientation ^ S2Coords.posToOrientation[pos])
                    updateEdges(cpc, childList)
                } else if inside {
                    addInteriorCell(child)
                }
                child = child.next
            }
        }

        /// C++ `ClipUBound`: clip the u-range at `u` (keeping side 1−uEnd), updating the v bound.
        func clipU(_ c: Clipped, _ uEnd: Int, _ u: Double) -> Clipped {
            if uEnd == 0 { if c.bound.x.lo >= u { return c } } else { if c.bound.x.hi <= u { return c } }
            let e = fes[Int(c.edge)]
            let v = S2ShapeIndex.project(c.bound.y, S2ShapeIndex.interpolate(u, e.au, e.bu, e.av, e.bv))
            let vEnd = uEnd ^ ((e.au > e.bu) != (e.av > e.bv) ? 1 : 0)
            return S2ShapeIndex.updated(c, uEnd, u, vEnd, v)
        }
        /// C++ `ClipVBound`.
        func clipV(_ c: Clipped, _ vEnd: Int, _ v: Double) -> Clipped {
            if vEnd == 0 { if c.bound.y.lo >= v { return c } } else { if c.bound.y.hi <= v { return c } }
            let e = fes[Int(c.edge)]
            let u = S2ShapeIndex.project(c.bound.x, S2ShapeIndex.interpolate(v, e.av, e.bv, e.au, e.bu))
            let uEnd = vEnd ^ ((e.au > e.bu) != (e.av > e.bv) ? 1 : 0)
            return S2ShapeIndex.updated(c, uEnd, u, vEnd, v)
        }
        func clipVAxis(_ c: Clipped, _ middle: R1Interval, _ lower: inout [Clipped], _ upper: inout [Clipped]) {
            if c.bound.y.hi <= middle.lo { lower.append(c) }
            else if c.bound.y.lo >= middle.hi { upper.append(c) }
            else { lower.append(clipV(c, 1, middle.hi)); upper.append(clipV(c, 0, middle.lo)) }
        }
    }

    /// v at u along the edge, interpolated from the nearer endpoint (C++ `S2::InterpolateDouble`).
    @inline(__always)
    static func interpolate(_ x: Double, _ a: Double, _ b: Double, _ a1: Double, _ b1: Double) -> Double {
        if Swift.abs(a - x) <= Swift.abs(b - x) { return a1 + (b1 - a1) * (x - a) / (b - a) }
        return b1 + (a1 - b1) * (x - b) / (a - b)
    }
    @inline(__always)
    static func project(_ i: R1Interval, _ p: Double) -> Double { Swift.max(i.lo, Swift.min(i.hi, p)) }
    static func updated(_ c: Clipped, _ uEnd: Int, _ u: Double, _ vEnd: Int, _ v: Double) -> Clipped {
        var r = c
        if uEnd == 0 { r.bound.x.lo = u } else { r.bound.x.hi = u }
        if vEnd == 0 { r.bound.y.lo = v } else { r.bound.y.hi = v }
        return r
    }

    /// C++ `S2PaddedCell::ShrinkToFit`.
    static func shrinkToFit(_ pc: PaddedCell, _ rect: R2Rect) -> S2CellId {
        let size = S2CellId.sizeIJ(pc.level)
        if pc.level == 0 {
            if rect.x.contains(0) || rect.y.contains(0) { return pc.id }
        } else {
            let cu = S2Coords.stToUV(S2Coords.siTiToST(UInt32(2 * pc.ilo + size)))
            let cv = S2Coords.stToUV(S2Coords.siTiToST(UInt32(2 * pc.jlo + size)))
            if rect.x.contains(cu) || rect.y.contains(cv) { return pc.id }
        }
        let padded = rect.expanded(cellPadding + 1.5 * Double.ulpOfOne)
        let iMin = Swift.max(pc.ilo, S2Coords.stToIJ(S2Coords.uvToST(padded.x.lo)))
        let iMax = Swift.min(pc.ilo + size - 1, S2Coords.stToIJ(S2Coords.uvToST(padded.x.hi)))
        let jMin = Swift.max(pc.jlo, S2Coords.stToIJ(S2Coords.uvToST(padded.y.lo)))
        let jMax = Swift.min(pc.jlo + size - 1, S2Coords.stToIJ(S2Coords.uvToST(padded.y.hi)))
        let levelMsb = (((iMin ^ iMax) | (jMin ^ jMax)) << 1) + 1
        let newLevel = S2CellId.maxLevel - (Int.bitWidth - 1 - levelMsb.leadingZeroBitCount)
        if newLevel <= pc.level { return pc.id }
        return S2CellId.fromFaceIJ(pc.face, iMin, jMin).parent(newLevel)
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
}
