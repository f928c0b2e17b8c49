import Foundation

/// Coordinate systems of the S2 cube (C++ `s2coords.h`, quadratic projection):
/// (face, u, v) ∈ [−1,1]², (s, t) ∈ [0,1]², (i, j) leaf coordinates in [0, 2³⁰), (si, ti) in [0, 2³¹].
public enum S2Coords {
    public static let maxLevel = 30
    public static let limitIJ = 1 << 30
    public static let maxSiTi: UInt32 = 1 << 31
    static let swapMask = 1
    static let invertMask = 2
    static let posToIJ: [[Int]] = [[0, 1, 3, 2], [0, 2, 3, 1], [3, 2, 0, 1], [3, 1, 0, 2]]
    static let posToOrientation: [Int] = [swapMask, 0, 0, invertMask | swapMask]

    /// u → s: u ≥ 0 ? ½√(1+3u) : 1 − ½√(1−3u)
    @inlinable @inline(__always) public static func uvToST(_ u: Double) -> Double {
        if u >= 0 { return 0.5 * (1 + 3 * u).squareRoot() }
        return 1 - 0.5 * (1 - 3 * u).squareRoot()
    }
    /// s → u: s ≥ ½ ? (4s² − 1)/3 : (1 − 4(1−s)²)/3
    @inlinable public static func stToUV(_ s: Double) -> Double {
        if s >= 0.5 { return (1.0 / 3.0) * (4 * s * s - 1) }
        return (1.0 / 3.0) * (1 - 4 * (1 - s) * (1 - s))
    }
    /// s → i = clamp(⌊2³⁰·s⌋, 0, 2³⁰ − 1)
    @inlinable @inline(__always) public static func stToIJ(_ s: Double) -> Int {
        let v = (Double(limitIJ) * s).rounded(.down)
        if !(v >= 0) { return 0 }
        if v >= Double(limitIJ - 1) { return limitIJ - 1 }
        return Int(v)
    }
    /// i → s of the cell's lower edge: i / 2³⁰
    @inlinable public static func ijToSTMin(_ i: Int) -> Double { (1.0 / Double(limitIJ)) * Double(i) }
    /// si → s: si / 2³¹
    @inlinable public static func siTiToST(_ si: UInt32) -> Double { (1.0 / Double(maxSiTi)) * Double(si) }

    /// Face of p: the axis of the largest |component| (+3 when negative).
    @inlinable @inline(__always) public static func face(_ p: S2Point) -> Int {
        var f = p.largestAbsComponent
        if p[f] < 0 { f += 3 }
        return f
    }
    /// (u, v) of p on a face p belongs to (division by the face's axis component).
    @inlinable @inline(__always) public static func validFaceXYZtoUV(_ face: Int, _ p: S2Point) -> (Double, Double) {
        switch face {
        case 0: return (p.y / p.x, p.z / p.x)
        case 1: return (-p.x / p.y, p.z / p.y)
        case 2: return (-p.x / p.z, -p.y / p.z)
        case 3: return (p.z / p.x, p.y / p.x)
        case 4: return (p.z / p.y, -p.x / p.y)
        default: return (-p.y / p.z, -p.x / p.z)
        }
    }
    /// Face and (u, v) of p.
    @inlinable @inline(__always) public static func xyzToFaceUV(_ p: S2Point) -> (face: Int, u: Double, v: Double) {
        let f = face(p)
        let (u, v) = validFaceXYZtoUV(f, p)
        return (f, u, v)
    }
    /// (u, v) of p on the given face, or nil when p is on the other side of the face plane.
    @inlinable public static func faceXYZtoUV(_ face: Int, _ p: S2Point) -> (Double, Double)? {
        if face < 3 { if p[face] <= 0 { return nil } } else { if p[face - 3] >= 0 { return nil } }
        return validFaceXYZtoUV(face, p)
    }
    /// The (unnormalised) cube point of face coordinates (u, v).
    @inlinable public static func faceUVtoXYZ(_ face: Int, _ u: Double, _ v: Double) -> S2Point {
        switch face {
        case 0: return S2Point(1, u, v)
        case 1: return S2Point(-u, 1, v)
        case 2: return S2Point(-u, -v, 1)
        case 3: return S2Point(-1, -v, -u)
        case 4: return S2Point(v, -1, -u)
        default: return S2Point(v, u, -1)
        }
    }
    /// Cube point of (face, si, ti).
    public static func faceSiTiToXYZ(_ face: Int, _ si: UInt32, _ ti: UInt32) -> S2Point {
        faceUVtoXYZ(face, stToUV(siTiToST(si)), stToUV(siTiToST(ti)))
    }
    /// Normal of the plane of constant u on a face (not unit length).
    @inlinable public static func uNorm(_ face: Int, _ u: Double) -> S2Point {
        switch face {
        case 0: return S2Point(u, -1, 0)
        case 1: return S2Point(1, u, 0)
        case 2: return S2Point(1, 0, u)
        case 3: return S2Point(-u, 0, 1)
        case 4: return S2Point(0, -u, 1)
        default: return S2Point(0, -1, -u)
        }
    }
    /// Normal of the plane of constant v on a face (not unit length).
    @inlinable public static func vNorm(_ face: Int, _ v: Double) -> S2Point {
        switch face {
        case 0: return S2Point(-v, 0, 1)
        case 1: return S2Point(0, -v, 1)
        case 2: return S2Point(0, -1, -v)
        case 3: return S2Point(v, -1, 0)
        case 4: return S2Point(1, v, 0)
        default: return S2Point(1, 0, v)
        }
    }
    /// z component of the u axis of a face (0 for faces 0, 1, 2, 5).
    static func uAxisZ(_ face: Int) -> Double { face == 3 || face == 4 ? -1 : 0 }
    /// z component of the v axis of a face (0 for faces 2, 3, 4, 5).
    static func vAxisZ(_ face: Int) -> Double { face == 0 || face == 1 ? 1 : 0 }
}

/// Per-level cell size metrics (C++ `S2::Metric`, quadratic projection): value(level) = deriv · 2^(−dim·level).
public struct S2Metric: Sendable {
    public let dim: Int
    public let deriv: Double
    public func value(_ level: Int) -> Double { scalbn(deriv, -dim * level) }
    /// Largest level whose metric is ≥ value: ilogb(deriv/value) >> (dim−1), clamped to [0, 30].
    public func levelForMinValue(_ value: Double) -> Int {
        if value <= 0 { return S2Coords.maxLevel }
        let level = Int((deriv / value).exponent) >> (dim - 1)
        return Swift.max(0, Swift.min(S2Coords.maxLevel, level))
    }
    /// Smallest level whose metric is ≤ value: −(ilogb(value/deriv) >> (dim−1)), clamped to [0, 30].
    public func levelForMaxValue(_ value: Double) -> Int {
        if value <= 0 { return S2Coords.maxLevel }
        let level = -(Int((value / deriv).exponent) >> (dim - 1))
        return Swift.max(0, Swift.min(S2Coords.maxLevel, level))
    }
    public static let minWidth = S2Metric(dim: 1, deriv: 2 * 2.0.squareRoot() / 3)
    public static let maxWidth = S2Metric(dim: 1, deriv: 1.704897179199218452)
    public static let minArea = S2Metric(dim: 2, deriv: 8 * 2.0.squareRoot() / 9)
    public static let avgArea = S2Metric(dim: 2, deriv: 4 * Double.pi / 6)
    public static let maxArea = S2Metric(dim: 2, deriv: 2.635799256963161491)
}
