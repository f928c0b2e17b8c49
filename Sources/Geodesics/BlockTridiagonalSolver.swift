import Foundation

/// Solver for a symmetric positive definite block-tridiagonal system with m diagonal blocks D_j
/// and super-diagonal blocks U_j = A_{j,j+1} (A_{j+1,j} = U_jᵀ), each d×d row-major.
///
/// Block Thomas / block LDLᵀ: S_0 = D_0, W_j = S_j⁻¹ U_j, S_{j+1} = D_{j+1} − U_jᵀ W_j;
/// forward y_{j+1} = b_{j+1} − U_jᵀ S_j⁻¹ y_j; backward x_{m−1} = S_{m−1}⁻¹ y_{m−1},
/// x_j = S_j⁻¹ y_j − W_j x_{j+1}. A is positive definite iff every Schur complement S_j is,
/// which is checked by its Cholesky factorisation. Cost O(m·d³).
struct BlockTridiagonalSolver {
    let blocks: Int
    let d: Int

    /// Solve (A + shift·I) x = b. `diagonal` holds m·d·d, `upper` (m−1)·d·d entries, `b` m·d.
    /// Returns nil when A + shift·I is not (numerically) positive definite.
    func solve(diagonal: [Double], upper: [Double], shift: Double, rhs b: [Double]) -> [Double]? {
        let m = blocks, dd = d * d
        if m == 0 { return [] }
        var factors: [Cholesky] = []
        factors.reserveCapacity(m)
        var ws = [Double](repeating: 0, count: max(0, m - 1) * dd)
        var y = b
        var s = [Double](repeating: 0, count: dd)
        for j in 0..<m {
            for t in 0..<dd { s[t] = diagonal[j * dd + t] }
            for i in 0..<d { s[i * d + i] += shift }
            if j > 0 {
                // S_j −= U_{j−1}ᵀ W_{j−1};  y_j −= U_{j−1}ᵀ (S_{j−1}⁻¹ y_{j−1}) computed below.
                let uo = (j - 1) * dd
                for r in 0..<d {
                    for c in 0..<d {
                        var v = 0.0
                        for k in 0..<d { v += upper[uo + k * d + r] * ws[uo + k * d + c] }
                        s[r * d + c] -= v
                    }
                }
            }
            guard let f = Cholesky(s, n: d) else { return nil }
            if j < m - 1 {
                var w = [Double](repeating: 0, count: dd)
                for t in 0..<dd { w[t] = upper[j * dd + t] }
                f.solveColumns(&w, columns: d)
                for t in 0..<dd { ws[j * dd + t] = w[t] }
                // y_{j+1} −= W_jᵀ y_j  (since U_jᵀ S_j⁻¹ = W_jᵀ).
                for r in 0..<d {
                    var v = 0.0
                    for k in 0..<d { v += w[k * d + r] * y[j * d + k] }
                    y[(j + 1) * d + r] -= v
                }
            }
            factors.append(f)
        }
        var x = y
        var j = m - 1
        while j >= 0 {
            factors[j].solve(&x, offset: j * d)
            if j < m - 1 {
                let wo = j * dd
                for r in 0..<d {
                    var v = 0.0
                    for k in 0..<d { v += ws[wo + r * d + k] * x[(j + 1) * d + k] }
                    x[j * d + r] -= v
                }
            }
            j -= 1
        }
        for v in x where !v.isFinite { return nil }
        return x
    }
}
