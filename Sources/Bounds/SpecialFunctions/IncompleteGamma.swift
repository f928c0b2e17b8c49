import Foundation

/// Regularized incomplete gamma functions P(a, x) = γ(a, x)/Γ(a) and Q(a, x) = 1 − P(a, x),
/// evaluated in log space.
///
/// The smaller of the two is computed directly, the other as log1p(−·):
/// - x < a + 1: P(a, x) = x^a·e^(−x)/Γ(a+1) · Σ_{k≥0} x^k / ((a+1)(a+2)…(a+k));
/// - otherwise: Q(a, x) = x^a·e^(−x)/Γ(a) · 1/(x+1−a − 1·(1−a)/(x+3−a − 2·(2−a)/(x+5−a − …))),
///   by the modified Lentz algorithm.
/// The prefactor x^a·e^(−x)/Γ(a+1) is Loader's Poisson term, accurate to a few ulps relative even for
/// a, x ~ 1e9, so the result keeps ~1e−13 relative accuracy down to the smallest normal double and
/// beyond (in log space).
public enum IncompleteGamma {
    static let maxIterations = 10_000_000

    /// ln P(a, x) for a > 0, x ≥ 0.
    public static func logLower(a: Double, x: Double) -> Double {
        if x <= 0 { return -.infinity }
        if x.isInfinite { return 0 }
        if x < a + 1 { return logSeries(a: a, x: x) }
        return log1p(-exp(logContinuedFraction(a: a, x: x)))
    }

    /// ln Q(a, x) for a > 0, x ≥ 0.
    public static func logUpper(a: Double, x: Double) -> Double {
        if x <= 0 { return 0 }
        if x.isInfinite { return -.infinity }
        if x < a + 1 { return log1p(-exp(logSeries(a: a, x: x))) }
        return logContinuedFraction(a: a, x: x)
    }

    /// P(a, x), the regularized lower incomplete gamma function.
    public static func lower(a: Double, x: Double) -> Double { exp(logLower(a: a, x: x)) }

    /// Q(a, x), the regularized upper incomplete gamma function.
    public static func upper(a: Double, x: Double) -> Double { exp(logUpper(a: a, x: x)) }

    static func logSeries(a: Double, x: Double) -> Double {
        let logPrefactor = Loader.logPoissonTerm(x: a, lambda: x)
        var term = 1.0
        var sum = 1.0
        var ap = a
        var k = 0
        while k < maxIterations {
            ap += 1
            term *= x / ap
            sum += term
            if term < sum * 1e-17 { break }
            k += 1
        }
        return logPrefactor + log(sum)
    }

    static func logContinuedFraction(a: Double, x: Double) -> Double {
        let tiny = 1e-300
        let logPrefactor = log(a) + Loader.logPoissonTerm(x: a, lambda: x)
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        var i = 1
        while i < maxIterations {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
            i += 1
        }
        return logPrefactor + log(h)
    }
}
