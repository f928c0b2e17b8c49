import Foundation

/// Robust geometric predicates (C++ `s2predicates.h`, `s2edge_crossings.h`). Every answer equals the
/// exact mathematical one, with the same symbolic perturbation as the C++ library for exactly
/// degenerate inputs, so decisions near cell boundaries match the reference.
public enum S2Predicates {
    /// Reference point for point-in-loop tests (C++ `S2::Origin()`).
    public static let origin = S2Point(-0.0099994664350250197, 0.0025924542609324121, 0.99994664350250195)

    /// Orientation of (a, b, c): +1 counter-clockwise, −1 clockwise, 0 only if two points are equal.
    /// det = (a × b)·c, trusted when |det| > 1.8274·ε, else decided exactly (then symbolically).
    public static func sign(_ a: S2Point, _ b: S2Point, _ c: S2Point) -> Int {
        let det = a.cross(b).dot(c)
        let maxDetError = 1.8274 * Double.ulpOfOne
        if det > maxDetError { return 1 }
        if det < -maxDetError { return -1 }
        return expensiveSign(a, b, c)
    }

    static func expensiveSign(_ a: S2Point, _ b: S2Point, _ c: S2Point) -> Int {
        if a == b || b == c || c == a { return 0 }
        let s = stableSign(a, b, c)
        if s != 0 { return s }
        return exactSign(a, b, c)
    }

    /// C++ `StableSign`: the determinant from the two shorter edge vectors, ((A−C)×(B−C))·C with the
    /// points cyclically permuted so that AB is the longest edge, trusted when
    /// |det| > 3.2321·ε·|A−C|·|B−C|; 0 when uncertain. A certified sign, so it only spares the exact
    /// arithmetic for nearly collinear points that are not exactly collinear.
    static func stableSign(_ a: S2Point, _ b: S2Point, _ c: S2Point) -> Int {
        let ab = b - a, bc = c - b, ca = a - c
        let ab2 = ab.dot(ab), bc2 = bc.dot(bc), ca2 = ca.dot(ca)
        let k = 3.2321 * Double.ulpOfOne
        let det: Double, maxError: Double
        if ab2 >= bc2 && ab2 >= ca2 {
            det = -(ca.cross(bc).dot(c)); maxError = k * (ca2 * bc2).squareRoot()
        } else if bc2 >= ca2 {
            det = -(ab.cross(ca).dot(a)); maxError = k * (ab2 * ca2).squareRoot()
        } else {
            det = -(bc.cross(ab).dot(b)); maxError = k * (bc2 * ab2).squareRoot()
        }
        if Swift.abs(det) <= maxError { return 0 }
        return det > 0 ? 1 : -1
    }

    typealias X = ExactExpansion

    /// Exact determinant of the lexicographically sorted points, with symbolic perturbation when zero.
    static func exactSign(_ a0: S2Point, _ b0: S2Point, _ c0: S2Point) -> Int {
        var a = a0, b = b0, c = c0
        var perm = 1
        if S2Point.lexLess(b, a) { swap(&a, &b); perm = -perm }
        if S2Point.lexLess(c, b) { swap(&b, &c); perm = -perm }
        if S2Point.lexLess(b, a) { swap(&a, &b); perm = -perm }
        // b × c exactly
        let bc0 = X.twoProduct(b.y, c.z) - X.twoProduct(b.z, c.y)
        let bc1 = X.twoProduct(b.z, c.x) - X.twoProduct(b.x, c.z)
        let bc2 = X.twoProduct(b.x, c.y) - X.twoProduct(b.y, c.x)
        let det = bc0.scaled(a.x) + bc1.scaled(a.y) + bc2.scaled(a.z)
        var s = det.sign
        if s == 0 { s = perturbedSign(a, b, c, bc0, bc1, bc2) }
        return perm * s
    }

    /// Simulation of simplicity (C++ `SymbolicallyPerturbedSign`); points sorted lexicographically.
    static func perturbedSign(_ a: S2Point, _ b: S2Point, _ c: S2Point, _ bc0: X, _ bc1: X, _ bc2: X) -> Int {
        func sg(_ x: Double) -> Int { x > 0 ? 1 : (x < 0 ? -1 : 0) }
        var s = bc2.sign
        if s != 0 { return s }
        s = bc1.sign
        if s != 0 { return s }
        s = bc0.sign
        if s != 0 { return s }
        s = (X.twoProduct(c.x, a.y) - X.twoProduct(c.y, a.x)).sign
        if s != 0 { return s }
        s = sg(c.x)
        if s != 0 { return s }
        s = -sg(c.y)
        if s != 0 { return s }
        s = (X.twoProduct(c.z, a.x) - X.twoProduct(c.x, a.z)).sign
        if s != 0 { return s }
        s = sg(c.z)
        if s != 0 { return s }
        s = (X.twoProduct(a.x, b.y) - X.twoProduct(a.y, b.x)).sign
        if s != 0 { return s }
        s = -sg(b.x)
        if s != 0 { return s }
        s = sg(b.y)
        if s != 0 { return s }
        s = sg(a.x)
        if s != 0 { return s }
        return 1
    }

    /// True if b lies strictly between a and c going counter-clockwise around o (closed at a).
    public static func orderedCCW(_ a: S2Point, _ b: S2Point, _ c: S2Point, _ o: S2Point) -> Bool {
        var sum = 0
        if sign(b, o, a) >= 0 { sum += 1 }
        if sign(c, o, b) >= 0 { sum += 1 }
        if sign(a, o, c) > 0 { sum += 1 }
        return sum >= 2
    }

    /// +1 if edges AB and CD cross at a point interior to both, 0 if they share a vertex, −1 otherwise.
    public static func crossingSign(_ a: S2Point, _ b: S2Point, _ c: S2Point, _ d: S2Point) -> Int {
        if a == c || a == d || b == c || b == d { return 0 }
        if a == b || c == d { return -1 }
        let acb = -sign(a, b, c)
        let bda = sign(a, b, d)
        if acb != bda { return -1 }
        let cbd = -sign(c, d, b)
        if cbd != acb { return -1 }
        let dac = sign(c, d, a)
        return dac == acb ? 1 : -1
    }

    /// For edges sharing a vertex: whether the crossing counts, by the fixed reference direction
    /// convention of C++ `S2::VertexCrossing`.
    public static func vertexCrossing(_ a: S2Point, _ b: S2Point, _ c: S2Point, _ d: S2Point) -> Bool {
        if a == b || c == d { return false }
        if a == c { return b == d || orderedCCW(a.ortho, d, b, a) }
        if b == d { return orderedCCW(b.ortho, c, a, b) }
        if a == d { return b == c || orderedCCW(a.ortho, c, b, a) }
        if b == c { return orderedCCW(b.ortho, d, a, b) }
        return false
    }

    /// Crossing for point-in-polygon parity: a proper crossing, or a vertex crossing by convention.
    public static func edgeOrVertexCrossing(_ a: S2Point, _ b: S2Point, _ c: S2Point, _ d: S2Point) -> Bool {
        let s = crossingSign(a, b, c, d)
        if s < 0 { return false }
        if s > 0 { return true }
        return vertexCrossing(a, b, c, d)
    }
}
