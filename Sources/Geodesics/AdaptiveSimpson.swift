import Foundation

/// Adaptive Simpson quadrature with Richardson correction (S₂ + (S₂ − S₁)/15), recursing until
/// |S₂ − S₁| ≤ 15·tol on each panel (tol halves with each split), depth ≤ 40.
enum AdaptiveSimpson {
    static func integrate(_ f: (Double) -> Double, _ a: Double, _ b: Double, relativeTolerance: Double) -> Double {
        let fa = f(a), fm = f(0.5 * (a + b)), fb = f(b)
        let whole = (b - a) / 6 * (fa + 4 * fm + fb)
        // A first pass on 16 panels sets the absolute scale of the tolerance.
        var coarse = 0.0
        let panels = 16
        var values = [Double](repeating: 0, count: 2 * panels + 1)
        for i in 0...(2 * panels) { values[i] = f(a + (b - a) * Double(i) / Double(2 * panels)) }
        var total = 0.0
        for p in 0..<panels {
            let x0 = a + (b - a) * Double(p) / Double(panels), x1 = a + (b - a) * Double(p + 1) / Double(panels)
            let s = (x1 - x0) / 6 * (values[2 * p] + 4 * values[2 * p + 1] + values[2 * p + 2])
            coarse += abs(s)
            _ = s
        }
        let tol = relativeTolerance * max(coarse, abs(whole), 1e-300)
        for p in 0..<panels {
            let x0 = a + (b - a) * Double(p) / Double(panels), x1 = a + (b - a) * Double(p + 1) / Double(panels)
            let s = (x1 - x0) / 6 * (values[2 * p] + 4 * values[2 * p + 1] + values[2 * p + 2])
            total += recurse(f, x0, x1, values[2 * p], values[2 * p + 1], values[2 * p + 2], s, tol / Double(panels), 40)
        }
        return total
    }

    private static func recurse(_ f: (Double) -> Double, _ a: Double, _ b: Double, _ fa: Double, _ fm: Double,
                                _ fb: Double, _ whole: Double, _ tol: Double, _ depth: Int) -> Double {
        let m = 0.5 * (a + b)
        let lm = 0.5 * (a + m), rm = 0.5 * (m + b)
        let flm = f(lm), frm = f(rm)
        let left = (m - a) / 6 * (fa + 4 * flm + fm)
        let right = (b - m) / 6 * (fm + 4 * frm + fb)
        let delta = left + right - whole
        if depth <= 0 || abs(delta) <= 15 * tol || !delta.isFinite {
            return left + right + delta / 15
        }
        return recurse(f, a, m, fa, flm, fm, left, tol / 2, depth - 1) + recurse(f, m, b, fm, frm, fb, right, tol / 2, depth - 1)
    }
}
