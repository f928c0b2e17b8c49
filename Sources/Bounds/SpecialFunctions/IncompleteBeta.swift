import Foundation

/// Regularized incomplete beta function I_x(a, b) = B(x; a, b)/B(a, b), evaluated in log space.
///
/// For x < (a+1)/(a+b+2): I_x(a, b) = x^a·y^b/(a·B(a, b)) · CF, with the continued fraction
/// CF = 1/(1 + d₁/(1 + d₂/(1 + …))), d_{2m+1} = −(a+m)(a+b+m)x/((a+2m)(a+2m+1)),
/// d_{2m} = m(b−m)x/((a+2m−1)(a+2m)), by the modified Lentz algorithm; otherwise through
/// I_x(a, b) = 1 − I_y(b, a). The complement y = 1 − x is passed separately so that the caller
/// keeps it exact (a binomial tail passes p and q).
///
/// The prefactor x^a·y^b/(a·B(a, b)) equals C(a+b−1, a)·x^a·y^(b−1)·y, evaluated with Loader's
/// saddle-point binomial term when a, b ≥ 1 (no cancellation of large logarithms), and from `lgamma`
/// for smaller parameters (where the logarithms are small). When x > ½ lies below the switch point
/// (b small, a large), or the complement's fraction would run near 1, the fraction loses digits to
/// 1 − x; the positive hypergeometric series (DLMF 8.17.8) in the small argument is used instead
/// when (a+b)·(small argument) ≤ 1e4.
public enum IncompleteBeta {
    static let maxIterations = 10_000_000

    /// ln I_x(a, b) for a, b > 0, 0 ≤ x ≤ 1, y = 1 − x.
    public static func logRegularized(a: Double, b: Double, x: Double, y: Double) -> Double {
        if x <= 0 { return -.infinity }
        if y <= 0 { return 0 }
        if x < (a + 1) / (a + b + 2) {
            if x > 0.5 && (a + b) * y <= seriesLimit {
                // x near 1 (b small, a large): the fraction in x loses digits to 1 − x.
                let complement = exp(logFront(a: b, b: a, x: y, y: x) + logHypergeometricSeries(a: b, b: a, x: y))
                if complement <= 0.9999 { return log1p(-complement) }
            }
            if x > 0.5 && b == b.rounded() && b <= 1000 {
                return logFiniteSum(a: a, b: b, x: x, y: y)
            }
            return logFront(a: a, b: b, x: x, y: y) + log(continuedFraction(a: a, b: b, x: x, y: y))
        }
        if y > 0.5 && (a + b) * x <= seriesLimit {
            // The complement's fraction would run in y near 1; the positive series in the small x
            // gives I_x(a, b) directly.
            return logFront(a: a, b: b, x: x, y: y) + logHypergeometricSeries(a: a, b: b, x: x)
        }
        let other = logFront(a: b, b: a, x: y, y: x) + log(continuedFraction(a: b, b: a, x: y, y: x))
        return log1p(-exp(other))
    }

    /// For a positive integer b: I_x(a, b) = Σ_{j=0}^{b−1} C(a+b−1, j)·y^j·x^(a+b−1−j) (repeated
    /// I_x(a, b) = I_x(a+1, b−1) + Γ(a+b)/(Γ(a+1)Γ(b))·x^a·y^(b−1)), summed downward from j = b−1
    /// with term_{j−1} = term_j · j/(a+b−j) · x/y. Positive terms: accurate when x is near 1.
    static func logFiniteSum(a: Double, b: Double, x: Double, y: Double) -> Double {
        let top = Loader.logBinomialTerm(x: b - 1, m: a, p: y, q: x)
        var term = 1.0, sum = 1.0
        var j = b - 1
        let ratio = x / y
        while j >= 1 {
            term *= j / (a + b - j) * ratio
            sum += term
            j -= 1
        }
        return top + log(sum)
    }

    /// Largest (a+b)·x for which the hypergeometric series is summed (its length grows with it).
    static let seriesLimit = 1e4

    /// ln(1 − I_x(a, b)) = ln I_y(b, a).
    public static func logComplement(a: Double, b: Double, x: Double, y: Double) -> Double {
        logRegularized(a: b, b: a, x: y, y: x)
    }

    /// I_x(a, b).
    public static func regularized(a: Double, b: Double, x: Double, y: Double) -> Double {
        exp(logRegularized(a: a, b: b, x: x, y: y))
    }

    /// I_x(a, b) with y = 1 − x computed here.
    public static func regularized(a: Double, b: Double, x: Double) -> Double {
        regularized(a: a, b: b, x: x, y: 1 - x)
    }

    /// ln[x^a·y^b/(a·B(a, b))].
    static func logFront(a: Double, b: Double, x: Double, y: Double) -> Double {
        if a >= 1 && b >= 1 {
            return Loader.logBinomialTerm(x: a, m: b - 1, p: x, q: y) + log(y)
        }
        let logY = x < 0.5 ? log1p(-x) : log(y)
        return a * log(x) + b * logY - logBeta(a, b) - log(a)
    }

    /// ln B(a, b). With s = min(a, b) and l = max(a, b) ≥ 10, lnΓ(l) − lnΓ(s+l) is formed from
    /// Stirling errors as δ(l) − δ(s+l) + s − (l−½)·log1p(s/l) − s·ln(s+l), avoiding the difference
    /// of two large `lgamma` values.
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        let s = min(a, b), l = max(a, b)
        if l < 10 { return lgamma(a) + lgamma(b) - lgamma(a + b) }
        return lgamma(s) + Loader.stirlingError(l) - Loader.stirlingError(s + l) + s
            - (l - 0.5) * log1p(s / l) - s * log(s + l)
    }

    /// ln F(a+b, 1; a+1; x), F = Σ_{n≥0} (a+b)_n/(a+1)_n · x^n, so that
    /// I_x(a, b) = x^a·y^b/(a·B(a, b))·F (DLMF 8.17.8). All terms are positive; the running sum is
    /// rescaled by 2^−900 whenever it passes 2^900 (its terms can grow for a while before they decay).
    static func logHypergeometricSeries(a: Double, b: Double, x: Double) -> Double {
        var term = 1.0, sum = 1.0, scaled = 0.0
        let big = 0x1p900, small = 0x1p-900, lnBig = 900 * M_LN2
        var n = 0.0
        while n < 1e8 {
            term *= (a + b + n) / (a + 1 + n) * x
            sum += term
            if term < sum * 1e-17 { break }
            if sum > big {
                sum *= small
                term *= small
                scaled += lnBig
            }
            n += 1
        }
        return log(sum) + scaled
    }

    /// The continued fraction. Its first denominator 1 − (a+b)·x/(a+1) cancels when x is near 1
    /// (possible when b is small); it is then formed as ((a+b)·y − (b−1))/(a+1) from y = 1 − x.
    static func continuedFraction(a: Double, b: Double, x: Double, y: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = x > 0.5 ? (qab * y - (b - 1)) / qap : 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        var m = 1
        while m < maxIterations {
            let md = Double(m)
            let m2 = 2 * md
            var aa = md * (b - md) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + md) * (qab + md) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
            m += 1
        }
        return h
    }
}
