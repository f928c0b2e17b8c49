import Foundation

/// A cell with its (u, v) bounds precomputed, for geometry (C++ `S2Cell`).
public struct S2Cell: Sendable, Hashable, S2Region {
    public let id: S2CellId
    /// Bounds in (u, v) on `face`.
    public let uv: R2Rect
    // Face, level and orientation in one byte each (as C++ stores them): a cell is 48 bytes, which is
    // most of what a covering's candidate costs in memory.
    let face8: Int8, level8: Int8, orientation8: Int8
    public var face: Int { Int(face8) }
    public var level: Int { Int(level8) }
    public var orientation: Int { Int(orientation8) }

    public init(_ id: S2CellId) {
        self.id = id
        let (f, i, j, o) = id.faceIJOrientation()
        face8 = Int8(truncatingIfNeeded: f)
        orientation8 = Int8(truncatingIfNeeded: o)
        let level = id.level
        level8 = Int8(truncatingIfNeeded: level)
        uv = S2CellId.ijLevelToBoundUV(i, j, level)
    }
    init(id: S2CellId, face: Int, level: Int, orientation: Int, uv: R2Rect) {
        self.id = id; self.uv = uv
        face8 = Int8(truncatingIfNeeded: face); level8 = Int8(truncatingIfNeeded: level)
        orientation8 = Int8(truncatingIfNeeded: orientation)
    }
    public init(_ p: S2Point) { self.init(S2CellId(p)) }
    public init(_ ll: S2LatLng) { self.init(S2CellId(ll)) }

    public var isLeaf: Bool { level == S2CellId.maxLevel }

    /// Four children, splitting (u, v) at the centre (C++ `Subdivide`); nil for a leaf.
    public func subdivide() -> [S2Cell]? {
        if id.isLeaf { return nil }
        var out: [S2Cell] = []
        out.reserveCapacity(4)
        forEachChild { out.append($0) }
        return out
    }

    /// Calls `body` with the four children in Hilbert order, without allocating (no-op for a leaf).
    @inline(__always)
    public func forEachChild(_ body: (S2Cell) throws -> Void) rethrows {
        if id.isLeaf { return }
        let (umid, vmid) = id.centerUV
        var cid = id.childBegin
        for pos in 0..<4 {
            // posToIJ[orientation][pos] and posToOrientation[pos], packed as 2-bit fields.
            let ij = (S2Cell.posToIJPacked[orientation] >> (2 * pos)) & 3
            let i = ij >> 1, j = ij & 1
            let xu = i == 0 ? R1Interval(lo: uv.x.lo, hi: umid) : R1Interval(lo: umid, hi: uv.x.hi)
            let yv = j == 0 ? R1Interval(lo: uv.y.lo, hi: vmid) : R1Interval(lo: vmid, hi: uv.y.hi)
            let o = orientation ^ ((0b11_00_00_01 >> (2 * pos)) & 3)
            try body(S2Cell(id: cid, face: face, level: level + 1, orientation: o, uv: R2Rect(x: xu, y: yv)))
            cid = cid.next
        }
    }
    /// S2Coords.posToIJ rows packed two bits per position.
    static let posToIJPacked: [Int] = S2Coords.posToIJ.map { row in row.enumerated().reduce(0) { $0 | ($1.element << (2 * $1.offset)) } }

    /// Unnormalised vertex k (CCW from lower left in (u, v)).
    @inlinable public func vertexRaw(_ k: Int) -> S2Point {
        let (u, v) = uv.vertex(k)
        return S2Coords.faceUVtoXYZ(face, u, v)
    }
    /// Unit-length vertex k = 0…3, counter-clockwise.
    @inlinable public func vertex(_ k: Int) -> S2Point { vertexRaw(k).normalized }
    /// Vertex k as lat/lng.
    public func latLngVertex(_ k: Int) -> S2LatLng { S2LatLng(vertex(k)) }
    /// Inward normal (not unit) of edge k: bottom, right, top, left.
    public func edgeRaw(_ k: Int) -> S2Point {
        switch k & 3 {
        case 0: return S2Coords.vNorm(face, uv.y.lo)
        case 1: return S2Coords.uNorm(face, uv.x.hi)
        case 2: return -S2Coords.vNorm(face, uv.y.hi)
        default: return -S2Coords.uNorm(face, uv.x.lo)
        }
    }
    public func edge(_ k: Int) -> S2Point { edgeRaw(k).normalized }
    public var centerRaw: S2Point { id.pointRaw }
    public var center: S2Point { centerRaw.normalized }

    /// Mean area of cells at a level: (4π/6)·4^(−level).
    public static func averageArea(_ level: Int) -> Double { S2Metric.avgArea.value(level) }
    public var averageArea: Double { S2Cell.averageArea(level) }

    /// Approximate area: the flat quadrilateral area ½|(v2−v0)×(v3−v1)| corrected for curvature
    /// as a spherical cap, A·2/(1 + √(1 − min(A/π, 1))).
    public var approxArea: Double {
        if level < 2 { return averageArea }
        let flat = 0.5 * (vertex(2) - vertex(0)).cross(vertex(3) - vertex(1)).norm
        return flat * 2 / (1 + (1 - Swift.min((1 / Double.pi) * flat, 1.0)).squareRoot())
    }
    /// Exact area as the sum of two spherical triangles (v0, v1, v2) + (v0, v2, v3).
    public var exactArea: Double {
        let v0 = vertex(0), v1 = vertex(1), v2 = vertex(2), v3 = vertex(3)
        return S2Measures.area(v0, v1, v2) + S2Measures.area(v0, v2, v3)
    }

    /// True if p is inside the cell's (u, v) rectangle expanded by DBL_EPSILON.
    public func contains(_ p: S2Point) -> Bool {
        guard let (u, v) = S2Coords.faceXYZtoUV(face, p) else { return false }
        return uv.expanded(Double.ulpOfOne).contains(u, v)
    }
    public func contains(_ cell: S2Cell) -> Bool { id.contains(cell.id) }
    public func mayIntersect(_ cell: S2Cell) -> Bool { id.intersects(cell.id) }

    /// Cap centred at the (u, v) centre, grown to contain the four vertices.
    public var capBound: S2Cap {
        let (cu, cv) = uv.center
        var cap = S2Cap(point: S2Coords.faceUVtoXYZ(face, cu, cv).normalized)
        for k in 0..<4 { cap.addPoint(vertex(k)) }
        return cap
    }
    func latitude(_ i: Int, _ j: Int) -> Double {
        S2LatLng.latitude(S2Coords.faceUVtoXYZ(face, i == 0 ? uv.x.lo : uv.x.hi, j == 0 ? uv.y.lo : uv.y.hi))
    }
    func longitude(_ i: Int, _ j: Int) -> Double {
        S2LatLng.longitude(S2Coords.faceUVtoXYZ(face, i == 0 ? uv.x.lo : uv.x.hi, j == 0 ? uv.y.lo : uv.y.hi))
    }
    /// Bounding lat/lng rectangle: extremes at diagonally opposite vertices, expanded by 2·DBL_EPSILON
    /// (face cells use fixed bounds), exactly as C++ `S2Cell::GetRectBound`.
    public var rectBound: S2LatLngRect {
        if level > 0 {
            let u = uv.x.lo + uv.x.hi
            let v = uv.y.lo + uv.y.hi
            let i = S2Coords.uAxisZ(face) == 0 ? (u < 0 ? 1 : 0) : (u > 0 ? 1 : 0)
            let j = S2Coords.vAxisZ(face) == 0 ? (v < 0 ? 1 : 0) : (v > 0 ? 1 : 0)
            let lat = R1Interval.fromPointPair(latitude(i, j), latitude(1 - i, 1 - j))
            let lng = S1Interval.fromPointPair(longitude(i, 1 - j), longitude(1 - i, j))
            return S2LatLngRect(lat: lat, lng: lng)
                .expanded(S2LatLng(latRadians: 2 * Double.ulpOfOne, lngRadians: 2 * Double.ulpOfOne))
                .polarClosure
        }
        let poleMinLat = asin((1.0 / 3).squareRoot()) - 0.5 * Double.ulpOfOne
        let p4 = Double.pi / 4, p2 = Double.pi / 2
        let bound: S2LatLngRect
        switch face {
        case 0: bound = S2LatLngRect(lat: R1Interval(lo: -p4, hi: p4), lng: S1Interval(lo: -p4, hi: p4))
        case 1: bound = S2LatLngRect(lat: R1Interval(lo: -p4, hi: p4), lng: S1Interval(lo: p4, hi: 3 * p4))
        case 2: bound = S2LatLngRect(lat: R1Interval(lo: poleMinLat, hi: p2), lng: .full)
        case 3: bound = S2LatLngRect(lat: R1Interval(lo: -p4, hi: p4), lng: S1Interval(lo: 3 * p4, hi: -3 * p4))
        case 4: bound = S2LatLngRect(lat: R1Interval(lo: -p4, hi: p4), lng: S1Interval(lo: -3 * p4, hi: -p4))
        default: bound = S2LatLngRect(lat: R1Interval(lo: -p2, hi: -poleMinLat), lng: .full)
        }
        return bound.expanded(S2LatLng(latRadians: Double.ulpOfOne, lngRadians: 0))
    }
    public func cellUnionBound() -> [S2CellId] { capBound.cellUnionBound() }
}
