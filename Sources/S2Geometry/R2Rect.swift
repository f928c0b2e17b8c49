/// An axis-aligned rectangle in (u, v) or (s, t) space (C++ `R2Rect`).
public struct R2Rect: Sendable, Hashable {
    public var x: R1Interval
    public var y: R1Interval
    public init(x: R1Interval, y: R1Interval) { self.x = x; self.y = y }
    /// Vertex k in CCW order: lower left, lower right, upper right, upper left.
    @inlinable public func vertex(_ k: Int) -> (Double, Double) {
        let j = (k >> 1) & 1
        let i = j ^ (k & 1)
        return (i == 0 ? x.lo : x.hi, j == 0 ? y.lo : y.hi)
    }
    public var center: (Double, Double) { (x.center, y.center) }
    public func expanded(_ m: Double) -> R2Rect { R2Rect(x: x.expanded(m), y: y.expanded(m)) }
    public func contains(_ u: Double, _ v: Double) -> Bool { x.contains(u) && y.contains(v) }
}
