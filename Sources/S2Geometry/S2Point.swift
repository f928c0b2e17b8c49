import Foundation

/// A point in R³, used as a direction on the unit sphere (C++ `S2Point`, a `Vector3<double>`).
///
/// All arithmetic is written in the same evaluation order as the C++ library so that results are
/// bit-identical (no fused multiply-add, left-to-right sums).
public struct S2Point: Sendable, Hashable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var z: Double

    @inlinable public init(_ x: Double, _ y: Double, _ z: Double) { self.x = x; self.y = y; self.z = z }
    @inlinable public init(x: Double, y: Double, z: Double) { self.x = x; self.y = y; self.z = z }

    @inlinable public subscript(i: Int) -> Double {
        switch i { case 0: return x; case 1: return y; default: return z }
    }

    @inlinable public static func + (a: S2Point, b: S2Point) -> S2Point { S2Point(a.x + b.x, a.y + b.y, a.z + b.z) }
    @inlinable public static func - (a: S2Point, b: S2Point) -> S2Point { S2Point(a.x - b.x, a.y - b.y, a.z - b.z) }
    @inlinable public static prefix func - (a: S2Point) -> S2Point { S2Point(-a.x, -a.y, -a.z) }
    @inlinable public static func * (a: S2Point, k: Double) -> S2Point { S2Point(a.x * k, a.y * k, a.z * k) }
    @inlinable public static func * (k: Double, a: S2Point) -> S2Point { S2Point(k * a.x, k * a.y, k * a.z) }

    /// a·b = (a.x·b.x + a.y·b.y) + a.z·b.z
    @inlinable public func dot(_ o: S2Point) -> Double { x * o.x + y * o.y + z * o.z }
    /// a×b = (a.y·b.z − a.z·b.y, a.z·b.x − a.x·b.z, a.x·b.y − a.y·b.x)
    @inlinable public func cross(_ o: S2Point) -> S2Point {
        S2Point(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x)
    }
    /// |a|² = x² + y² + z²
    @inlinable public var norm2: Double { x * x + y * y + z * z }
    /// |a| = √|a|²
    @inlinable public var norm: Double { norm2.squareRoot() }
    /// a / |a|, computed as a · (1/|a|) like C++ `Vector3::Normalize` (zero stays zero).
    @inlinable public var normalized: S2Point {
        var n = norm
        if n != 0 { n = 1.0 / n }
        return self * n
    }
    /// Componentwise absolute value.
    @inlinable public var abs: S2Point { S2Point(Swift.abs(x), Swift.abs(y), Swift.abs(z)) }
    /// Index of the largest |component|; ties go to the higher axis (C++ `LargestAbsComponent`).
    @inlinable public var largestAbsComponent: Int {
        let t = abs
        return t.x > t.y ? (t.x > t.z ? 0 : 2) : (t.y > t.z ? 1 : 2)
    }
    /// Angle between two vectors: atan2(|a×b|, a·b).
    @inlinable public func angle(_ o: S2Point) -> Double { atan2(cross(o).norm, dot(o)) }

    /// A unit vector orthogonal to this one (C++ `S2::Ortho`): a × t where t = (0.012, 0.0053, 0.00457)
    /// with the component after the largest one set to 1.
    public var ortho: S2Point {
        var k = largestAbsComponent - 1
        if k < 0 { k = 2 }
        var t = S2Point(0.012, 0.0053, 0.00457)
        switch k { case 0: t.x = 1; case 1: t.y = 1; default: t.z = 1 }
        return cross(t).normalized
    }
    /// Lexicographic order on (x, y, z), as C++ `Vector3::operator<`.
    @inlinable public static func lexLess(_ a: S2Point, _ b: S2Point) -> Bool {
        if a.x != b.x { return a.x < b.x }
        if a.y != b.y { return a.y < b.y }
        return a.z < b.z
    }

    public var description: String { "[\(x), \(y), \(z)]" }
}
