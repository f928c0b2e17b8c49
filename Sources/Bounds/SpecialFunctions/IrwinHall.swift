import Foundation

/// Distribution function of the Irwin–Hall law: S_n = U₁ + … + U_n with U_i i.i.d. uniform on [0, 1].
///
/// The textbook formula F_n(x) = (1/n!)·Σ_{k≤x} (−1)^k·C(n, k)·(x−k)^n cancels catastrophically.
/// Instead, with f_m the density of S_m (a cardinal B-spline), use the Cox–de Boor recurrence
///
///     f_m(y) = [ y·f_{m−1}(y) + (m − y)·f_{m−1}(y − 1) ] / (m − 1),   f_1 = 1 on [0, 1),
///
/// in which both coefficients are ≥ 0 wherever the terms are non-zero, and the telescoping identity
/// f_{n+1}(y) = F_n(y) − F_n(y − 1), so F_n(x) = Σ_{j=0}^{⌊x⌋} f_{n+1}(x − j): a sum of non-negative
/// terms, accurate to O(n·eps) relative. Cost O(n·⌊x⌋); callers use the symmetry
/// F_n(x) = 1 − F_n(n − x) to keep x ≤ n/2.
public enum IrwinHall {
    /// P(S_n ≤ x).
    public static func cdf(n: Int, x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= Double(n) { return 1 }
        if x > Double(n) / 2 { return 1 - lowerTail(n: n, x: Double(n) - x) }
        return lowerTail(n: n, x: x)
    }

    /// P(S_n ≥ x).
    public static func survival(n: Int, x: Double) -> Double {
        if x <= 0 { return 1 }
        if x >= Double(n) { return 0 }
        if x < Double(n) / 2 { return 1 - lowerTail(n: n, x: x) }
        return lowerTail(n: n, x: Double(n) - x)
    }

    /// F_n(x) for 0 < x ≤ n/2 by the positive recurrence.
    static func lowerTail(n: Int, x: Double) -> Double {
        let top = Int(x.rounded(.down))
        // g[i] = f_m(x − i) for i = 0 … top; f_m(y) = 0 for y < 0 (i > top).
        var g = [Double](repeating: 0, count: top + 2)
        g[top] = 1  // f_1(x − top) with 0 ≤ x − top < 1
        if n + 1 >= 2 {
            for m in 2...(n + 1) {
                let md = Double(m)
                let inv = 1 / Double(m - 1)
                // f_m(y) is zero for y ≥ m: only indices with x − i < m matter.
                let first = max(0, Int((x - md).rounded(.down)) + 1)
                for i in first...top {
                    let y = x - Double(i)
                    g[i] = (y * g[i] + (md - y) * g[i + 1]) * inv
                }
            }
        }
        var sum = 0.0
        for i in 0...top { sum += g[i] }
        return min(1, sum)
    }
}
