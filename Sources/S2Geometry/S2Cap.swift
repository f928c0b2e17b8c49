import Foundation

/// A spherical cap: the points within a chord distance of a centre (C++ `S2Cap`).
public struct S2Cap: Sendable, Hashable, S2Region {
    public var center: S2Point
    public var radius: S1ChordAngle

    /// Mean Earth radius used by `S2Earth` (metres).
    public static let earthRadiusMeters = 6371010.0

    public init(center: S2Point, radius: S1ChordAngle) { self.center = center; self.radius = radius }
    /// Cap of angle `radius` around `center` (chord = 2·sin(θ/2)).
    public init(center: S2Point, angle: S1Angle) { self.center = center; self.radius = S1ChordAngle(angle) }
    /// A cap containing only `point`.
    public init(point: S2Point) { self.center = point; self.radius = .zero }
    /// Cap of `meters` on the Earth (θ = meters / 6371010).
    public init(center: S2LatLng, radiusMeters meters: Double) {
        self.init(center: center.point, angle: S1Angle(radians: meters / S2Cap.earthRadiusMeters))
    }
    public static let empty = S2Cap(center: S2Point(1, 0, 0), radius: .negative)
    public static let full = S2Cap(center: S2Point(1, 0, 0), radius: .straight)

    public var isEmpty: Bool { radius.isNegative }
    public var isFull: Bool { radius.length2 == 4 }
    /// Height of the cap along its axis: length²/2.
    public var height: Double { 0.5 * radius.length2 }
    public var angle: S1Angle { radius.angle }
    /// Area 2π·h.
    public var area: Double { 2 * Double.pi * Swift.max(0.0, height) }

    public func contains(_ p: S2Point) -> Bool { S1ChordAngle(center, p) <= radius }

    public mutating func addPoint(_ p: S2Point) {
        if isEmpty { center = p; radius = .zero }
        else { radius = Swift.max(radius, S1ChordAngle(center, p)) }
    }
    /// Grows the cap to contain `other` (distance + radius, rounded up by DBL_EPSILON·d²).
    public mutating func addCap(_ other: S2Cap) {
        if isEmpty { self = other; return }
        if other.isEmpty { return }
        let dist = S2Cap.chordSum(S1ChordAngle(center, other.center), other.radius)
        let grown = S1ChordAngle(length2: Swift.max(0.0, Swift.min(4.0, dist.length2 + Double.ulpOfOne * dist.length2)))
        radius = Swift.max(radius, grown)
    }
    /// Chord angle sum: with x = a²(1 − b²/4), y = b²(1 − a²/4), c² = min(4, x + y + 2√(xy)).
    static func chordSum(_ a: S1ChordAngle, _ b: S1ChordAngle) -> S1ChordAngle {
        let a2 = a.length2, b2 = b.length2
        if b2 == 0 { return a }
        if a2 + b2 >= 4 { return .straight }
        let x = a2 * (1 - 0.25 * b2), y = b2 * (1 - 0.25 * a2)
        return S1ChordAngle(length2: Swift.min(4.0, x + y + 2 * (x * y).squareRoot()))
    }
    /// The cap of the antipodal centre and complementary radius (full ↔ empty).
    public var complement: S2Cap {
        if isFull { return .empty }
        if isEmpty { return .full }
        return S2Cap(center: -center, radius: S1ChordAngle(length2: 4 - radius.length2))
    }

    public var capBound: S2Cap { self }

    /// Four cells at the deepest level at which the cap touches at most one cell vertex, sharing the
    /// vertex nearest the centre; the 6 faces when the cap is too large (C++ `GetCellUnionBound`).
    public func cellUnionBound() -> [S2CellId] {
        let level = S2Metric.minWidth.levelForMinValue(angle.radians) - 1
        if level < 0 { return (0..<6).map { S2CellId.fromFace($0) } }
        return S2CellId(center).vertexNeighbors(level)
    }

    public func contains(_ cell: S2Cell) -> Bool {
        let v0 = cell.vertex(0)
        if !contains(v0) { return false }
        let v1 = cell.vertex(1)
        if !contains(v1) { return false }
        let v2 = cell.vertex(2)
        if !contains(v2) { return false }
        let v3 = cell.vertex(3)
        if !contains(v3) { return false }
        return !complement.intersects(cell, (v0, v1, v2, v3))
    }
    public func mayIntersect(_ cell: S2Cell) -> Bool {
        let v0 = cell.vertex(0)
        if contains(v0) { return true }
        let v1 = cell.vertex(1)
        if contains(v1) { return true }
        let v2 = cell.vertex(2)
        if contains(v2) { return true }
        let v3 = cell.vertex(3)
        if contains(v3) { return true }
        return intersects(cell, (v0, v1, v2, v3))
    }
    /// True if the cap meets the cell anywhere but its vertices (already tested): the centre is in
    /// the cell, or the cap crosses the interior of an edge.
    func intersects(_ cell: S2Cell, _ vs: (S2Point, S2Point, S2Point, S2Point)) -> Bool {
        func vertex(_ k: Int) -> S2Point {
            switch k & 3 { case 0: return vs.0; case 1: return vs.1; case 2: return vs.2; default: return vs.3 }
        }
        if radius >= .right { return false }
        if isEmpty { return false }
        if cell.contains(center) { return true }
        let sin2 = radius.sin2
        for k in 0..<4 {
            let edge = cell.edgeRaw(k)
            let dot = center.dot(edge)
            if dot > 0 { continue }
            if dot * dot > sin2 * edge.norm2 { return false }
            let dir = edge.cross(center)
            if dir.dot(vertex(k)) < 0 && dir.dot(vertex(k + 1)) > 0 { return true }
        }
        return false
    }

    /// Bounding lat/lng rectangle (law of sines for the longitude span).
    public var rectBound: S2LatLngRect {
        if isEmpty { return .empty }
        let c = S2LatLng(center)
        let capAngle = angle.radians
        var allLng = false
        var lat0 = c.lat.radians - capAngle, lat1 = c.lat.radians + capAngle
        var lng0 = -Double.pi, lng1 = Double.pi
        if lat0 <= -Double.pi / 2 { lat0 = -Double.pi / 2; allLng = true }
        if lat1 >= Double.pi / 2 { lat1 = Double.pi / 2; allLng = true }
        if !allLng {
            let sinA = radius.sin2.squareRoot()
            let sinC = cos(c.lat.radians)
            if sinA <= sinC {
                let angleA = asin(sinA / sinC)
                lng0 = remainder(c.lng.radians - angleA, 2 * Double.pi)
                lng1 = remainder(c.lng.radians + angleA, 2 * Double.pi)
            }
        }
        return S2LatLngRect(lat: R1Interval(lo: lat0, hi: lat1), lng: S1Interval(lo: lng0, hi: lng1))
    }
}
