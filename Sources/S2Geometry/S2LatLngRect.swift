import Foundation

/// A closed latitude/longitude rectangle (C++ `S2LatLngRect`). The longitude interval may be
/// inverted (lo > hi), meaning it crosses the antimeridian.
public struct S2LatLngRect: Sendable, Hashable, S2Region {
    public var lat: R1Interval
    public var lng: S1Interval

    public init(lat: R1Interval, lng: S1Interval) { self.lat = lat; self.lng = lng }
    /// Rectangle from its lower-left and upper-right corners (lo.lng > hi.lng crosses ±180°).
    public init(lo: S2LatLng, hi: S2LatLng) {
        lat = R1Interval(lo: lo.lat.radians, hi: hi.lat.radians)
        lng = S1Interval(lo: lo.lng.radians, hi: hi.lng.radians)
    }
    public static let empty = S2LatLngRect(lat: .empty, lng: .empty)
    public static let full = S2LatLngRect(lat: R1Interval(lo: -Double.pi / 2, hi: Double.pi / 2), lng: .full)

    public var lo: S2LatLng { S2LatLng(latRadians: lat.lo, lngRadians: lng.lo) }
    public var hi: S2LatLng { S2LatLng(latRadians: lat.hi, lngRadians: lng.hi) }
    public var isEmpty: Bool { lat.isEmpty }
    public var isFull: Bool { lat == S2LatLngRect.full.lat && lng.isFull }
    public var isValid: Bool {
        Swift.abs(lat.lo) <= Double.pi / 2 && Swift.abs(lat.hi) <= Double.pi / 2 &&
            lat.isEmpty == lng.isEmpty
    }
    /// Vertex k in CCW order: lower left, lower right, upper right, upper left.
    public func vertex(_ k: Int) -> S2LatLng {
        let i = (k >> 1) & 1
        let latv = i == 0 ? lat.lo : lat.hi
        let lngv = (i ^ (k & 1)) == 0 ? lng.lo : lng.hi
        return S2LatLng(latRadians: latv, lngRadians: lngv)
    }
    public var center: S2LatLng { S2LatLng(latRadians: lat.center, lngRadians: lng.center) }
    /// Area on the unit sphere: (sin lat.hi − sin lat.lo) · lng.length.
    public var area: Double {
        if isEmpty { return 0 }
        return lng.length * (sin(lat.hi) - sin(lat.lo))
    }

    public func contains(_ ll: S2LatLng) -> Bool { lat.contains(ll.lat.radians) && lng.contains(ll.lng.radians) }
    public func contains(_ p: S2Point) -> Bool { contains(S2LatLng(p)) }
    public func contains(_ o: S2LatLngRect) -> Bool { lat.contains(o.lat) && lng.contains(o.lng) }
    public func intersects(_ o: S2LatLngRect) -> Bool { lat.intersects(o.lat) && lng.intersects(o.lng) }
    /// Exact from a mathematical point of view: contains the cell's bounding rectangle.
    public func contains(_ cell: S2Cell) -> Bool { contains(cell.rectBound) }
    /// Intersects the cell's bounding rectangle (conservative).
    public func mayIntersect(_ cell: S2Cell) -> Bool { intersects(cell.rectBound) }

    /// Each side pushed out by the margin; latitude clamped to [−π/2, π/2].
    public func expanded(_ margin: S2LatLng) -> S2LatLngRect {
        let la = lat.expanded(margin.lat.radians)
        let ln = lng.expanded(margin.lng.radians)
        if la.isEmpty || ln.isEmpty { return .empty }
        return S2LatLngRect(lat: la.intersection(S2LatLngRect.full.lat), lng: ln)
    }
    /// Full longitude when the rectangle touches a pole.
    public var polarClosure: S2LatLngRect {
        if lat.lo == -Double.pi / 2 || lat.hi == Double.pi / 2 { return S2LatLngRect(lat: lat, lng: .full) }
        return self
    }
    public func union(_ o: S2LatLngRect) -> S2LatLngRect { S2LatLngRect(lat: lat.union(o.lat), lng: lng.union(o.lng)) }
    public func addPoint(_ ll: S2LatLng) -> S2LatLngRect {
        S2LatLngRect(lat: lat.addPoint(ll.lat.radians), lng: lng.addPoint(ll.lng.radians))
    }

    /// The smaller of a cap around a pole and a cap around the centre through the four vertices
    /// (the latter only for longitude spans of at most 180°).
    public var capBound: S2Cap {
        if isEmpty { return .empty }
        let poleZ: Double, poleAngle: Double
        if lat.lo + lat.hi < 0 { poleZ = -1; poleAngle = Double.pi / 2 + lat.hi }
        else { poleZ = 1; poleAngle = Double.pi / 2 - lat.lo }
        let poleCap = S2Cap(center: S2Point(0, 0, poleZ), angle: S1Angle(radians: poleAngle))
        let lngSpan = lng.hi - lng.lo
        if remainder(lngSpan, 2 * Double.pi) >= 0 && lngSpan < 2 * Double.pi {
            var midCap = S2Cap(center: center.point, angle: S1Angle(radians: 0))
            for k in 0..<4 { midCap.addPoint(vertex(k).point) }
            if midCap.height < poleCap.height { return midCap }
        }
        return poleCap
    }
    public var rectBound: S2LatLngRect { self }
}
