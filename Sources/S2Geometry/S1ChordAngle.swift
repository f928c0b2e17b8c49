import Foundation

/// An angle represented by the squared chord length between two points (C++ `S1ChordAngle`).
/// length² ∈ [0, 4]; −1 is the "negative" angle (empty cap), +∞ the infinite one.
public struct S1ChordAngle: Sendable, Hashable, Comparable {
    public var length2: Double
    @inlinable public init(length2: Double) { self.length2 = length2 }
    /// length² = min(4, |x − y|²)
    @inlinable public init(_ x: S2Point, _ y: S2Point) { self.length2 = Swift.min(4.0, (x - y).norm2) }
    /// chord = 2·sin(min(π, θ)/2); negative angles map to `negative`.
    public init(_ angle: S1Angle) {
        if angle.radians < 0 {
            length2 = -1
        } else if angle.radians == .infinity {
            length2 = .infinity
        } else {
            let length = 2 * sin(0.5 * Swift.min(Double.pi, angle.radians))
            length2 = length * length
        }
    }
    public static let zero = S1ChordAngle(length2: 0)
    public static let right = S1ChordAngle(length2: 2)
    public static let straight = S1ChordAngle(length2: 4)
    public static let negative = S1ChordAngle(length2: -1)
    public var isNegative: Bool { length2 < 0 }
    /// θ = 2·asin(√length² / 2)
    public var angle: S1Angle {
        if length2 < 0 { return S1Angle(radians: -1) }
        if length2 == .infinity { return .infinity }
        return S1Angle(radians: 2 * asin(0.5 * length2.squareRoot()))
    }
    /// sin²θ = length²·(1 − length²/4)
    @inlinable public var sin2: Double { length2 * (1 - 0.25 * length2) }
    @inlinable public static func < (a: S1ChordAngle, b: S1ChordAngle) -> Bool { a.length2 < b.length2 }
}
