import Foundation

/// Exact arithmetic on floating-point expansions (Shewchuk): a value is the exact sum of
/// non-overlapping doubles in increasing magnitude. Used only to decide signs of determinants
/// exactly; every operation here is error-free (barring overflow/underflow, impossible for unit vectors
/// except for components below ~1e−150).
struct ExactExpansion {
    var terms: [Double]

    init(_ x: Double) { terms = x == 0 ? [] : [x] }
    init(terms: [Double]) { self.terms = terms }

    /// a·b exactly as (hi, lo): hi = fl(a·b), lo = fma(a, b, −hi).
    static func twoProduct(_ a: Double, _ b: Double) -> ExactExpansion {
        let p = a * b
        let e = (-p).addingProduct(a, b)
        var t: [Double] = []
        if e != 0 { t.append(e) }
        if p != 0 { t.append(p) }
        return ExactExpansion(terms: t)
    }

    /// Knuth's two-sum: a + b = s + e exactly.
    @inline(__always) static func twoSum(_ a: Double, _ b: Double) -> (Double, Double) {
        let s = a + b
        let bv = s - a
        let av = s - bv
        return (s, (a - av) + (b - bv))
    }

    /// Adds one double (Shewchuk's GROW-EXPANSION with zero elimination).
    func adding(_ b: Double) -> ExactExpansion {
        var q = b
        var out: [Double] = []
        out.reserveCapacity(terms.count + 1)
        for t in terms {
            let (s, e) = ExactExpansion.twoSum(q, t)
            if e != 0 { out.append(e) }
            q = s
        }
        if q != 0 { out.append(q) }
        return ExactExpansion(terms: out)
    }
    static func + (a: ExactExpansion, b: ExactExpansion) -> ExactExpansion {
        var r = a
        for t in b.terms { r = r.adding(t) }
        return r
    }
    static prefix func - (a: ExactExpansion) -> ExactExpansion { ExactExpansion(terms: a.terms.map { -$0 }) }
    static func - (a: ExactExpansion, b: ExactExpansion) -> ExactExpansion { a + (-b) }
    /// Expansion times a double: each term's exact product added in.
    func scaled(_ b: Double) -> ExactExpansion {
        var r = ExactExpansion(terms: [])
        for t in terms { r = r + ExactExpansion.twoProduct(t, b) }
        return r
    }
    static func * (a: ExactExpansion, b: ExactExpansion) -> ExactExpansion {
        var r = ExactExpansion(terms: [])
        for t in b.terms { r = r + a.scaled(t) }
        return r
    }
    /// Sign of the exact value: the sign of the largest-magnitude non-zero term.
    var sign: Int {
        guard let last = terms.last(where: { $0 != 0 }) else { return 0 }
        return last > 0 ? 1 : -1
    }
}
