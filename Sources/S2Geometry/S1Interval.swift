import Foundation

/// A closed interval on the unit circle (longitudes), possibly inverted (lo > hi) when it
/// crosses ±π (C++ `S1Interval`). Full = [−π, π]; empty = [π, −π].
public struct S1Interval: Sendable, Hashable {
    public private(set) var lo: Double
    public private(set) var hi: Double

    /// Builds [lo, hi]; an endpoint −π is replaced by π unless the other is π (C++ constructor).
    public init(lo: Double, hi: Double) {
        self.lo = lo; self.hi = hi
        if lo == -Double.pi && hi != Double.pi { self.lo = Double.pi }
        if hi == -Double.pi && lo != Double.pi { self.hi = Double.pi }
    }
    init(checkedLo lo: Double, hi: Double) { self.lo = lo; self.hi = hi }

    public static let full = S1Interval(checkedLo: -Double.pi, hi: Double.pi)
    public static let empty = S1Interval(checkedLo: Double.pi, hi: -Double.pi)

    @inlinable public var isFull: Bool { lo == -Double.pi && hi == Double.pi }
    @inlinable public var isEmpty: Bool { lo == Double.pi && hi == -Double.pi }
    @inlinable public var isInverted: Bool { lo > hi }

    /// b − a measured counter-clockwise in [0, 2π).
    static func positiveDistance(_ a: Double, _ b: Double) -> Double {
        let d = b - a
        if d >= 0 { return d }
        return (b + Double.pi) - (a - Double.pi)
    }

    /// The shorter interval containing both points.
    public static func fromPointPair(_ a: Double, _ b: Double) -> S1Interval {
        var p1 = a, p2 = b
        if p1 == -Double.pi { p1 = Double.pi }
        if p2 == -Double.pi { p2 = Double.pi }
        if positiveDistance(p1, p2) <= Double.pi { return S1Interval(checkedLo: p1, hi: p2) }
        return S1Interval(checkedLo: p2, hi: p1)
    }

    /// Midpoint, in (−π, π].
    public var center: Double {
        let c = 0.5 * (lo + hi)
        if !isInverted { return c }
        return c <= 0 ? c + Double.pi : c - Double.pi
    }
    /// Length; −1 when empty.
    public var length: Double {
        var l = hi - lo
        if l >= 0 { return l }
        l += 2 * Double.pi
        return l > 0 ? l : -1
    }
    func fastContains(_ p: Double) -> Bool {
        if isInverted { return (p >= lo || p <= hi) && !isEmpty }
        return p >= lo && p <= hi
    }
    public func contains(_ point: Double) -> Bool {
        var p = point
        if p == -Double.pi { p = Double.pi }
        return fastContains(p)
    }
    public func contains(_ y: S1Interval) -> Bool {
        if isInverted {
            if y.isInverted { return y.lo >= lo && y.hi <= hi }
            return (y.lo >= lo || y.hi <= hi) && !isEmpty
        } else {
            if y.isInverted { return isFull || y.isEmpty }
            return y.lo >= lo && y.hi <= hi
        }
    }
    public func intersects(_ y: S1Interval) -> Bool {
        if isEmpty || y.isEmpty { return false }
        if isInverted { return y.isInverted || y.lo <= hi || y.hi >= lo }
        if y.isInverted { return y.lo <= hi || y.hi >= lo }
        return y.lo <= hi && y.hi >= lo
    }
    /// Expands both ends by `margin` (remainder modulo 2π), becoming full or empty when appropriate.
    public func expanded(_ margin: Double) -> S1Interval {
        if margin >= 0 {
            if isEmpty { return self }
            if length + 2 * margin + 2 * Double.ulpOfOne >= 2 * Double.pi { return .full }
        } else {
            if isFull { return self }
            if length + 2 * margin - 2 * Double.ulpOfOne <= 0 { return .empty }
        }
        var r = S1Interval(lo: S1Interval.remainder2Pi(lo - margin), hi: S1Interval.remainder2Pi(hi + margin))
        if r.lo <= -Double.pi { r.lo = Double.pi }
        return r
    }
    /// IEEE remainder(x, 2π); it returns x itself when |x| ≤ π (the quotient rounds to 0, and the tie
    /// at exactly π rounds to the even quotient 0), so the libm call is skipped there.
    @inline(__always) static func remainder2Pi(_ x: Double) -> Double {
        Swift.abs(x) <= Double.pi ? x : remainder(x, 2 * Double.pi)
    }

    /// Smallest interval containing this one and p.
    public func addPoint(_ point: Double) -> S1Interval {
        var p = point
        if p == -Double.pi { p = Double.pi }
        if fastContains(p) { return self }
        if isEmpty { return S1Interval(checkedLo: p, hi: p) }
        let dlo = S1Interval.positiveDistance(p, lo)
        let dhi = S1Interval.positiveDistance(hi, p)
        if dlo < dhi { return S1Interval(checkedLo: p, hi: hi) }
        return S1Interval(checkedLo: lo, hi: p)
    }
    public func union(_ y: S1Interval) -> S1Interval {
        if y.isEmpty { return self }
        if fastContains(y.lo) {
            if fastContains(y.hi) {
                if contains(y) { return self }
                return .full
            }
            return S1Interval(checkedLo: lo, hi: y.hi)
        }
        if fastContains(y.hi) { return S1Interval(checkedLo: y.lo, hi: hi) }
        if isEmpty || y.fastContains(lo) { return y }
        let dlo = S1Interval.positiveDistance(y.hi, lo)
        let dhi = S1Interval.positiveDistance(hi, y.lo)
        if dlo < dhi { return S1Interval(checkedLo: y.lo, hi: hi) }
        return S1Interval(checkedLo: lo, hi: y.hi)
    }
}
