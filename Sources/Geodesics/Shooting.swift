import Foundation

/// Single shooting for the log map: find v with Exp_a(v) = b.
///
/// F(v) = x(1; a, v) − b is solved by a Newton–Broyden iteration: the Jacobian is a forward
/// difference J_j = (F(v + ε e_j) − F(v))/ε computed with a looser integrator (rtol 1e−8) on one
/// replayed step mesh (so the difference quotient is smooth in v), then kept up to date by Broyden's
/// rank-one update J ← J + (Δf − JΔv)Δvᵀ/‖Δv‖² after each accepted step; F itself is always
/// evaluated with the full-accuracy integrator. Steps are accepted when ‖F‖∞ decreases (backtracking);
/// when no step decreases it, the Jacobian is recomputed once before giving up. Started from the
/// discrete geodesic's end-point velocity, it polishes a discretisation error of O(h²) to the
/// integrator tolerance.
struct Shooting {
    let integrator: DormandPrince
    var maxIterations = 30
    /// Fresh finite-difference Jacobians allowed per solve.
    var maxJacobians = 4

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
        var loose = integrator
        loose.rtol = max(integrator.rtol, 1e-8)
        loose.atol = max(integrator.atol, 1e-10)
        func endpoint(_ v: [Double], _ ig: DormandPrince) throws -> ([Double], [Double]) {
            let tr = try ig.integrate(x0: a, v0: v, duration: 1, samples: 1, isCancelled: isCancelled)
            var f = tr.points[tr.points.count - 1]
            for i in 0..<d { f[i] -= b[i] }
            return (f, tr.steps)
        }
        func norm(_ f: [Double]) -> Double { f.reduce(0) { max($0, abs($1)) } }
        let (f0, steps) = try endpoint(v, integrator)
        var f = f0
        var fn = norm(f)
        // Trial velocities far off the geodesic can need vastly more steps: cap them.
        integrator.maxSteps = min(integrator.maxSteps, max(1000, 10 * steps.count))
        loose.maxSteps = integrator.maxSteps

        /// Forward-difference Jacobian, row-major J[i][j] = ∂F_i/∂v_j, on the loose integrator's mesh at v.
        func jacobian(at v: [Double]) throws -> [Double] {
            let (f0, mesh) = try endpoint(v, loose)
            let vscale = max(v.reduce(0) { max($0, abs($1)) }, 1e-12)
            var jac = [Double](repeating: 0, count: d * d)
            for j in 0..<d {
                var vp = v
                let eps = 1e-7 * vscale
                vp[j] += eps
                let tr = try loose.integrate(x0: a, v0: vp, duration: 1, samples: 1, replay: mesh)
                let xp = tr.points[0]
                for i in 0..<d { jac[i * d + j] = (xp[i] - b[i] - f0[i]) / eps }
            }
            return jac
        }

        var jac: [Double]? = nil
        var fresh = false
        var jacobians = 0
        var iterations = 0
        while fn > tolerance && iterations < maxIterations {
            if isCancelled() { throw GeodesicsError.cancelled }
            if jac == nil {
                guard jacobians < maxJacobians else { break }
                jac = try jacobian(at: v)
                jacobians += 1
                fresh = true
            }
            iterations += 1
            let vscale = max(v.reduce(0) { max($0, abs($1)) }, 1e-12)
            guard var delta = Shooting.solveDense(jac!, rhs: f.map { -$0 }, n: d) else {
                if fresh { break }
                jac = nil
                continue
            }
            // Limit the step to the size of v (the guess is close; large steps mean trouble).
            let dn = delta.reduce(0) { max($0, abs($1)) }
            if dn > vscale { for i in 0..<d { delta[i] *= vscale / dn } }
            var step = 1.0
            var accepted: ([Double], [Double], [Double])? = nil
            for _ in 0..<12 {
                var vt = v
                for i in 0..<d { vt[i] += step * delta[i] }
                if let (ft, st) = try? endpoint(vt, integrator), norm(ft) < fn {
                    accepted = (vt, ft, st)
                    break
                }
                step *= 0.5
            }
            guard let (vt, ft, _) = accepted else {
                if fresh { break }
                jac = nil
                continue
            }
            // Broyden: J ← J + (Δf − J Δv) Δvᵀ / ‖Δv‖².
            var dv = [Double](repeating: 0, count: d), df = dv
            var dv2 = 0.0
            for i in 0..<d { dv[i] = vt[i] - v[i]; df[i] = ft[i] - f[i]; dv2 += dv[i] * dv[i] }
            if dv2 > 0 {
                for i in 0..<d {
                    var jdv = 0.0
                    for j in 0..<d { jdv += jac![i * d + j] * dv[j] }
                    let c = (df[i] - jdv) / dv2
                    for j in 0..<d { jac![i * d + j] += c * dv[j] }
                }
            }
            fresh = false
            v = vt; f = ft; fn = norm(ft)
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
