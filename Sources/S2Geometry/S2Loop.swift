import Foundation

/// A simple closed loop of geodesic edges; the interior is on the left (C++ `S2Loop`).
/// Point containment counts crossings from `S2Predicates.origin` with exact predicates.
public struct S2Loop: Sendable, Hashable {
    public private(set) var vertices: [S2Point]
    /// Whether `S2Predicates.origin` is inside.
    public private(set) var originInside: Bool = false
    public private(set) var rectBound: S2LatLngRect = .empty

    /// A loop through `vertices` (no repeated closing vertex), interior on the left.
    public init(_ vertices: [S2Point]) {
        self.vertices = vertices
        initOriginAndBound()
    }

    @inlinable public func vertex(_ i: Int) -> S2Point { vertices[i % vertices.count] }
    public var numVertices: Int { vertices.count }

    mutating func initOriginAndBound() {
        if vertices.count < 3 {
            originInside = vertices.count == 1 && vertices[0].z < 0
        } else {
            originInside = false
            let v1Inside = S2Predicates.orderedCCW(vertices[1].ortho, vertices[0], vertices[2], vertices[1])
            if v1Inside != bruteForceContains(vertices[1]) { originInside = true }
        }
        var bounder = S2LatLngRectBounder()
        for i in 0...vertices.count where !vertices.isEmpty { bounder.addPoint(vertex(i)) }
        var b = bounder.result
        if contains(S2Point(0, 0, 1)) { b = S2LatLngRect(lat: R1Interval(lo: b.lat.lo, hi: Double.pi / 2), lng: .full) }
        if b.lng.isFull && contains(S2Point(0, 0, -1)) { b.lat.lo = -Double.pi / 2 }
        rectBound = b
    }

    /// Parity of crossings of the segment origin→p with the loop edges, starting from `originInside`.
    public func bruteForceContains(_ p: S2Point) -> Bool {
        if vertices.count < 3 { return originInside }
        var inside = originInside
        let o = S2Predicates.origin
        for i in 1...vertices.count {
            if S2Predicates.edgeOrVertexCrossing(o, p, vertices[i - 1], vertex(i)) { inside.toggle() }
        }
        return inside
    }
    public func contains(_ p: S2Point) -> Bool {
        if vertices.count >= 3 && !rectBound.isEmpty && !rectBound.contains(p) { return false }
        return bruteForceContains(p)
    }

    /// Turning angle at b: ±angle between the normals of ab and bc (C++ `S2::TurnAngle`).
    static func turnAngle(_ a: S2Point, _ b: S2Point, _ c: S2Point) -> Double {
        let angle = S2Measures.robustCross(a, b).angle(S2Measures.robustCross(b, c))
        return S2Predicates.sign(a, b, c) > 0 ? angle : -angle
    }
    /// Σ turning angles = 2π − area (Gauss–Bonnet).
    public var curvature: Double {
        if vertices.count < 3 { return originInside ? -2 * Double.pi : 2 * Double.pi }
        var sum = 0.0
        for i in 0..<vertices.count {
            sum += S2Loop.turnAngle(vertex(i + vertices.count - 1), vertices[i], vertex(i + 1))
        }
        return sum
    }
    /// Area enclosed on the left: the fan Σ signedArea(v0, vi, vi+1) taken modulo 4π into [0, 4π),
    /// with hemispheres and near-zero results settled by the curvature (2π − area).
    public var area: Double {
        if vertices.count < 3 { return originInside ? 4 * Double.pi : 0 }
        let v0 = vertices[0]
        var sum = 0.0
        for i in 1..<(vertices.count - 1) {
            let a = S2Measures.area(v0, vertices[i], vertices[i + 1])
            sum += S2Predicates.sign(v0, vertices[i], vertices[i + 1]) > 0 ? a : -a
        }
        var area = remainder(sum, 4 * Double.pi)
        if Swift.abs(area) < 1e-9 {
            if curvature < 0 { area = area <= 0 ? 4 * Double.pi + area : area }
        }
        if area < 0 { area += 4 * Double.pi }
        return area
    }
    /// True when the loop encloses at most half the sphere.
    public var isNormalized: Bool {
        if rectBound.lng.length < Double.pi { return true }
        return curvature >= -1e-12
    }
    /// Reverses the vertex order, so the interior becomes the complement.
    /// As C++ `S2Loop::Invert`: the bound becomes full unless the old bound touched a pole.
    public mutating func invert() {
        let old = rectBound
        vertices.reverse()
        if old.lat.lo > -Double.pi / 2 && old.lat.hi < Double.pi / 2 {
            originInside.toggle()
            rectBound = .full
        } else {
            // Recompute without the stale bound (it would hide a pole the inverted loop contains).
            rectBound = .empty
            initOriginAndBound()
        }
    }
    /// Inverts the loop if it encloses more than half the sphere.
    public mutating func normalize() { if !isNormalized { invert() } }
}
