import Foundation

/// A one-dimensional angle (C++ `S1Angle`), stored in radians.
public struct S1Angle: Sendable, Hashable, Comparable {
    public var radians: Double
    @inlinable public init(radians: Double) { self.radians = radians }
    /// radians = (π/180)·degrees, in that order (C++ `S1Angle::Degrees`).
    @inlinable public init(degrees: Double) { self.radians = (Double.pi / 180) * degrees }
    /// degrees = (180/π)·radians.
    @inlinable public var degrees: Double { (180 / Double.pi) * radians }
    /// E7 fixed point: round(degrees·1e7).
    public var e7: Int64 { Int64((degrees * 1e7).rounded()) }
    /// Angle between two points: atan2(|a×b|, a·b).
    public init(_ a: S2Point, _ b: S2Point) { self.radians = a.angle(b) }
    public static let zero = S1Angle(radians: 0)
    public static let infinity = S1Angle(radians: .infinity)
    @inlinable public static func < (a: S1Angle, b: S1Angle) -> Bool { a.radians < b.radians }
}
