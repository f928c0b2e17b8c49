import Foundation

/// Cholesky factorisation A = L Lᵀ of a dense symmetric positive definite n×n matrix
/// stored row-major in a flat array. Only the lower triangle of A is read.
struct Cholesky: Sendable {
    let n: Int
    /// Row-major lower-triangular factor (upper part zero).
    private(set) var l: [Double]

    /// Factor A; `nil` when a pivot is not positive (A is not positive definite) or not finite.
    /// l_jj = √(a_jj − Σ_{k<j} l_jk²),  l_ij = (a_ij − Σ_{k<j} l_ik l_jk)/l_jj  (i > j).
    init?(_ a: [Double], n: Int) {
        self.n = n
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var d = a[j * n + j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
            guard d > 0, d.isFinite else { return nil }
            let ljj = d.squareRoot()
            l[j * n + j] = ljj
            let inv = 1 / ljj
            var i = j + 1
            while i < n {
                var v = a[i * n + j]
                for k in 0..<j { v -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = v * inv
                i += 1
            }
        }
        self.l = l
    }

    /// log det A = 2 Σ log l_ii.
    var logDeterminant: Double {
        var s = 0.0
        for i in 0..<n { s += log(l[i * n + i]) }
        return 2 * s
    }

    /// Smallest over largest diagonal entry of L (a cheap conditioning indicator: its square bounds 1/κ(A) from above).
    var pivotRatio: Double {
        var lo = Double.infinity, hi = 0.0
        for i in 0..<n { lo = min(lo, l[i * n + i]); hi = max(hi, l[i * n + i]) }
        return lo / hi
    }

    /// Solve A x = b in place (forward then backward substitution), b at `offset` in `b`.
    func solve(_ b: inout [Double], offset: Int = 0) {
        for i in 0..<n {
            var v = b[offset + i]
            for k in 0..<i { v -= l[i * n + k] * b[offset + k] }
            b[offset + i] = v / l[i * n + i]
        }
        var i = n - 1
        while i >= 0 {
            var v = b[offset + i]
            var k = i + 1
            while k < n { v -= l[k * n + i] * b[offset + k]; k += 1 }
            b[offset + i] = v / l[i * n + i]
            i -= 1
        }
    }

    /// Solve A X = B for a row-major n×m right-hand side, in place.
    func solveColumns(_ b: inout [Double], columns m: Int) {
        for i in 0..<n {
            let li = 1 / l[i * n + i]
            for k in 0..<i {
                let f = l[i * n + k]
                if f == 0 { continue }
                for c in 0..<m { b[i * m + c] -= f * b[k * m + c] }
            }
            for c in 0..<m { b[i * m + c] *= li }
        }
        var i = n - 1
        while i >= 0 {
            var k = i + 1
            while k < n {
                let f = l[k * n + i]
                if f != 0 { for c in 0..<m { b[i * m + c] -= f * b[k * m + c] } }
                k += 1
            }
            let li = 1 / l[i * n + i]
            for c in 0..<m { b[i * m + c] *= li }
            i -= 1
        }
    }

    /// A⁻¹, row-major.
    func inverse() -> [Double] {
        var x = [Double](repeating: 0, count: n * n)
        for i in 0..<n { x[i * n + i] = 1 }
        solveColumns(&x, columns: n)
        // Symmetrise against rounding.
        for i in 0..<n { for j in 0..<i { let v = 0.5 * (x[i * n + j] + x[j * n + i]); x[i * n + j] = v; x[j * n + i] = v } }
        return x
    }
}
