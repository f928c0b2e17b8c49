import Foundation

/// The complementary error function erfc(z) = 2/√π ∫_z^∞ e^(−t²) dt, in log space for the tails.
///
/// For z ≥ 0, erfc(z) = Q(½, z²). The square is split exactly, z² = s + r with s = fl(z·z) and
/// r = fma(z, z, −s), and since ∂ ln Q(½, x)/∂x ≈ −1 in the tail, ln erfc(z) = ln Q(½, s) − r
/// (the correction is below 1e−16 relative when it matters). For z < 0, erfc(z) = 2 − erfc(−z).
public enum ErrorFunction {
    /// ln erfc(z).
    public static func logErfc(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        if z < 0 { return log(2 - exp(logErfc(-z))) }
        let s = z * z
        if s.isInfinite { return -.infinity }
        let r = fma(z, z, -s)
        return IncompleteGamma.logUpper(a: 0.5, x: s) - (s >= 1.5 ? r : 0)
    }

    /// erfc(z).
    public static func erfc(_ z: Double) -> Double { exp(logErfc(z)) }

    /// erf(z) = 1 − erfc(z) (for |z| < 0.5 via the lower incomplete gamma function, without cancellation).
    public static func erf(_ z: Double) -> Double {
        if abs(z) < 0.5 {
            let p = IncompleteGamma.lower(a: 0.5, x: z * z)
            return z < 0 ? -p : p
        }
        return z < 0 ? erfc(-z) - 1 : 1 - erfc(z)
    }

    /// ln P(Z ≥ z) for a standard normal Z: ½·erfc(z/√2), with z/√2 formed as z·(1/√2).
    public static func logNormalUpperTail(_ z: Double) -> Double {
        logErfc(z * 0.70710678118654752440) - 0.69314718055994530942
    }
}
