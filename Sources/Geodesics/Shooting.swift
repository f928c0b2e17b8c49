import Foundation

/// Single shooting for the log map: find v with Exp_a(v) = b.
///
/// F(v) = x(1; a, v) − b is solved by Newton's method with a finite-difference Jacobian
/// J_j = (F(v + ε e_j) − F(v))/ε evaluated on the same Dormand–Prince step mesh as F(v) (so the
/// difference quotient is smooth in v), and a backtracking line search on ‖F‖. Started from the
/// discrete geodesic's end-point velocity, it polishes a discretisation error of O(h²) to the
/// integrator tolerance.
struct Shooting {
    let integrator: DormandPrince
    var maxIterations = 10

    struct Result {
        var velocity: [Double]
        var residual: Double
        var converged: Bool
        var iterations: Int
    }

    func solve(from a: [Double], to b: [Double], guess: [Double], tolerance: Double,
               isCancelled: () -> Bool) throws -> Result {
        let d = a.count
        var v = guess
        var integrator = self.integrator
        func endpoint(_ v: [Double]) throws -> ([Double], [Double]) {
            let tr = try integrator.integrate(x0: a, v0: v, duration: 1, samples: 1, isCancelled: isCancelled)
            var f = tr.points[tr.points.count - 1]
            for i in 0..<d { f[i] -= b[i] }
            return (f, tr.steps)
        }
        func norm(_ f: [Double]) -> Double { f.reduce(0) { max($0, abs($1)) } }
        var (f, steps) = try endpoint(v)
        var fn = norm(f)
        // Trial velocities far off the geodesic can need vastly more steps: cap them.
        integrator.maxSteps = min(integrator.maxSteps, max(1000, 10 * steps.count))
        var iterations = 0
        while fn > tolerance && iterations < maxIterations {
            if isCancelled() { throw GeodesicsError.cancelled }
            iterations += 1
            let vscale = max(v.reduce(0) { max($0, abs($1)) }, 1e-12)
            var jac = [Double](repeating: 0, count: d * d)   // row-major, J[i][j] = ∂F_i/∂v_j
            for j in 0..<d {
                var vp = v
                let eps = 1e-7 * vscale
                vp[j] += eps
                let tr = try integrator.integrate(x0: a, v0: vp, duration: 1, samples: 1, replay: steps)
                let xp = tr.points[0]
                for i in 0..<d { jac[i * d + j] = (xp[i] - b[i] - f[i]) / eps }
            }
            guard var delta = Shooting.solveDense(jac, rhs: f.map { -$0 }, n: d) else { break }
            // Limit the step to the size of v (the guess is close; large steps mean trouble).
            let dn = delta.reduce(0) { max($0, abs($1)) }
            if dn > vscale { for i in 0..<d { delta[i] *= vscale / dn } }
            var step = 1.0
            var improved = false
            for _ in 0..<12 {
                var vt = v
                for i in 0..<d { vt[i] += step * delta[i] }
                if let (ft, st) = try? endpoint(vt), norm(ft) < fn {
                    v = vt; f = ft; steps = st; fn = norm(ft); improved = true
                    break
                }
                step *= 0.5
            }
            if !improved { break }
        }
        return Result(velocity: v, residual: fn, converged: fn <= tolerance, iterations: iterations)
    }

    /// Gaussian elimination with partial pivoting for a dense n×n system; nil when singular.
    static func solveDense(_ a0: [Double], rhs: [Double], n: Int) -> [Double]? {
        var a = a0, b = rhs
        for col in 0..<n {
            var piv = col
            for r in (col + 1)..<max(col + 1, n) where abs(a[r * n + col]) > abs(a[piv * n + col]) { piv = r }
            let p = a[piv * n + col]
            guard p != 0, p.isFinite else { return nil }
            if piv != col {
                for c in 0..<n { a.swapAt(piv * n + c, col * n + c) }
                b.swapAt(piv, col)
            }
            for r in (col + 1)..<max(col + 1, n) {
                let f = a[r * n + col] / p
                if f == 0 { continue }
                for c in col..<n { a[r * n + c] -= f * a[col * n + c] }
                b[r] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        var i = n - 1
        while i >= 0 {
            var s = b[i]
            for c in (i + 1)..<max(i + 1, n) { s -= a[i * n + c] * x[c] }
            x[i] = s / a[i * n + i]
            i -= 1
        }
        for t in x where !t.isFinite { return nil }
        return x
    }
}
