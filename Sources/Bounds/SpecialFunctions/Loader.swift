import Foundation

/// Saddle-point evaluation of binomial and Poisson probability terms (C. Loader, "Fast and accurate
/// computation of binomial probabilities", 2000; the algorithm behind R's `dbinom`/`dpois`).
///
/// Instead of forming `x·ln p + (n−x)·ln q + ln C(n, x)` (three large terms that cancel, losing
/// `eps·|term|` absolutely), the log term is written as
///
///     ln b(x; n, p) = δ(n) − δ(x) − δ(n−x) − D(x, np) − D(n−x, nq) − ½·ln(2π·x·(n−x)/n)
///
/// with the Stirling error δ(n) = ln n! − ln(√(2πn)·(n/e)^n) and the deviance
/// D(x, M) = x·ln(x/M) + M − x, each small and evaluated without cancellation. The deviation
/// x − np is passed in separately (computed with a fused multiply-add) so that the deviance keeps
/// full relative accuracy even when n is large.
enum Loader {
    static let lnSqrt2Pi = 0.918938533204672741780329736406
    static let ln2Pi = 1.837877066409345483560659472811

    /// δ(n) for n = 0, ½, 1, …, 15 (computed with mpmath at 50 digits).
    static let stirlingErrorHalves: [Double] = [
        0.0,
        0.15342640972002734529, 0.08106146679532725822, 0.054814121051917653896,
        0.041340695955409294094, 0.033162873519936287485, 0.027677925684998339149,
        0.023746163656297495971, 0.020790672103765093112, 0.018488450532673185231,
        0.016644691189821192163, 0.015134973221917378874, 0.013876128823070747999,
        0.012810465242920226924, 0.011896709945891770095, 0.011104559758206917327,
        0.010411265261972096497, 0.0097994161261588032984, 0.0092554621827127329177,
        0.008768700134139385463, 0.0083305634333628712565, 0.0079341145643140205472,
        0.007573675487951840795, 0.0072445543013203831795, 0.0069428401072095298657,
        0.0066652470327076824424, 0.0064089941880042070684, 0.0061717122630394576475,
        0.0059513701127588477356, 0.005746216513010115682, 0.005554733551962801371,
    ]

    /// Stirling error δ(n) = ln Γ(n+1) − (n+½)·ln n + n − ln√(2π).
    /// Exact table for half-integers ≤ 15, `lgamma` below 15 otherwise (absolute error ~1e−14, which
    /// is a relative error of the final probability), the asymptotic series
    /// δ(n) ≈ 1/(12n) − 1/(360n³) + 1/(1260n⁵) − 1/(1680n⁷) + 1/(1188n⁹) above 15.
    static func stirlingError(_ n: Double) -> Double {
        let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188
        if n <= 15 {
            let twice = n + n
            if twice == twice.rounded() { return stirlingErrorHalves[Int(twice)] }
            if n <= 0 { return 0 }
            return lgamma(n + 1) - (n + 0.5) * log(n) + n - lnSqrt2Pi
        }
        let nn = n * n
        if n > 500 { return (s0 - s1 / nn) / n }
        if n > 80 { return (s0 - (s1 - s2 / nn) / nn) / n }
        if n > 35 { return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n }
        return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
    }

    /// Deviance D(x, M) = x·ln(x/M) + M − x ≥ 0, given d = x − M accurately.
    /// For |d| < 0.1·(x+M) the series D = d·v + 2x·Σ_{j≥1} v^{2j+1}/(2j+1), v = d/(x+M), is used
    /// (every term has the sign of the result, so no cancellation).
    static func deviance(_ x: Double, _ m: Double, deviation d: Double) -> Double {
        if abs(d) < 0.1 * (x + m) {
            var v = d / (x + m)
            var s = d * v
            if abs(s) < Double.leastNormalMagnitude { return s }
            var ej = 2 * x * v
            v *= v
            var j = 1
            while j < 1000 {
                ej *= v
                let s1 = s + ej / Double(2 * j + 1)
                if s1 == s { return s1 }
                s = s1
                j += 1
            }
            return s
        }
        return x * log(x / m) + m - x
    }

    /// ln[ Γ(n+1)/(Γ(x+1)·Γ(m+1)) · p^x · q^m ] with n = x + m, for real x, m ≥ 0 and q = 1 − p given
    /// separately. Passing m (not n) keeps n − x exact, which matters when m ≪ x.
    /// The deviation x − n·p = x·q − m·p is formed with Kahan's accurate a·b − c·d.
    static func logBinomialTerm(x: Double, m: Double, p: Double, q: Double) -> Double {
        if x < 0 || m < 0 { return -.infinity }
        if p == 0 { return x == 0 ? 0 : -.infinity }
        if q == 0 { return m == 0 ? 0 : -.infinity }
        let n = x + m
        if x == 0 {
            if m == 0 { return 0 }
            // q^m; deviance form when p is small keeps the digits 1 − p would lose.
            return p < 0.1 ? -deviance(m, m * q, deviation: m * p) - m * p : m * log(q)
        }
        if m == 0 {
            return q < 0.1 ? -deviance(x, x * p, deviation: x * q) - x * q : x * log(p)
        }
        let d = differenceOfProducts(x, q, m, p)
        let lc = stirlingError(n) - stirlingError(x) - stirlingError(m)
            - deviance(x, n * p, deviation: d) - deviance(m, n * q, deviation: -d)
        let lf = ln2Pi + log(x) + log(m) - log(n)
        return lc - 0.5 * lf
    }

    /// a·b − c·d to within about one ulp (Kahan's algorithm with fused multiply-adds).
    static func differenceOfProducts(_ a: Double, _ b: Double, _ c: Double, _ d: Double) -> Double {
        let w = c * d
        let e = fma(-c, d, w)
        let f = fma(a, b, -w)
        return f + e
    }

    /// ln[ λ^x·e^(−λ)/Γ(x+1) ] for real x ≥ 0, λ ≥ 0.
    static func logPoissonTerm(x: Double, lambda: Double) -> Double {
        if lambda == 0 { return x == 0 ? 0 : -.infinity }
        if x < 0 { return -.infinity }
        if x == 0 { return -lambda }
        return -stirlingError(x) - deviance(x, lambda, deviation: x - lambda) - 0.5 * (ln2Pi + log(x))
    }
}
