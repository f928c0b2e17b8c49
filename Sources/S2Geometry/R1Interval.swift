import Foundation

/// A closed interval [lo, hi] of the real line; empty when lo > hi (C++ `R1Interval`).
public struct R1Interval: Sendable, Hashable {
    public var lo: Double
    public var hi: Double
    @inlinable public init(lo: Double, hi: Double) { self.lo = lo; self.hi = hi }
    public static let empty = R1Interval(lo: 1, hi: 0)
    /// The smallest interval containing both points.
    @inlinable public static func fromPointPair(_ p1: Double, _ p2: Double) -> R1Interval {
        p1 <= p2 ? R1Interval(lo: p1, hi: p2) : R1Interval(lo: p2, hi: p1)
    }
    @inlinable public var isEmpty: Bool { lo > hi }
    /// (lo + hi)/2
    @inlinable public var center: Double { 0.5 * (lo + hi) }
    @inlinable public var length: Double { hi - lo }
    @inlinable public func contains(_ p: Double) -> Bool { p >= lo && p <= hi }
    @inlinable public func contains(_ y: R1Interval) -> Bool {
        if y.isEmpty { return true }
        return y.lo >= lo && y.hi <= hi
    }
    @inlinable public func intersects(_ y: R1Interval) -> Bool {
        if lo <= y.lo { return y.lo <= hi && y.lo <= y.hi }
        return lo <= y.hi && lo <= hi
    }
    public func intersection(_ y: R1Interval) -> R1Interval {
        R1Interval(lo: Swift.max(lo, y.lo), hi: Swift.min(hi, y.hi))
    }
    public func union(_ y: R1Interval) -> R1Interval {
        if isEmpty { return y }
        if y.isEmpty { return self }
        return R1Interval(lo: Swift.min(lo, y.lo), hi: Swift.max(hi, y.hi))
    }
    public func expanded(_ margin: Double) -> R1Interval {
        if isEmpty { return self }
        return R1Interval(lo: lo - margin, hi: hi + margin)
    }
    public func addPoint(_ p: Double) -> R1Interval {
        if isEmpty { return R1Interval(lo: p, hi: p) }
        if p < lo { return R1Interval(lo: p, hi: hi) }
        if p > hi { return R1Interval(lo: lo, hi: p) }
        return self
    }
}
