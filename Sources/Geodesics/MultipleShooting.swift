import Foundation

/// Multiple shooting for the log map where single shooting is ill-conditioned (negative
/// curvature between modes makes the exp map's Jacobian nearly singular over [0, 1]).
///
/// The interval is cut into K equal pieces with unknowns z = (v₀, x₁, v₁, …, x_{K−1}, v_{K−1})
/// (x₀ = a fixed) and residuals R_k = φ_{1/K}(x_k, v_k) − (x_{k+1}, v_{k+1}) for k < K−1 and
/// R_{K−1} = x-part of φ_{1/K}(x_{K−1}, v_{K−1}) − b, φ the geodesic flow. Newton with a
/// finite-difference Jacobian (each segment on its own replayed step mesh; the −I blocks exact)
/// and backtracking on max|R|. Initialised from the discrete geodesic.
struct MultipleShooting {
    var integrator: DormandPrince
    var segments = 4
    var maxIterations = 30

    struct Result {
        /// Concatenated samples x(t_i), t_i = i/N.
        var path: [[Double]]
        var initialVelocity: [Double]
        var length: Double
        var residual: Double
        var converged: Bool
    }

    func solve(from a: [Double], to b: [Double], discrete path: [[Double]], tolerance: Double,
               isCancelled: () -> Bool) throws -> Result? {
        var integrator = self.integrator
        let d = a.count, n = path.count - 1, K = segments
        guard n % K == 0, n >= 2 * K else { return nil }
        let tau = 1 / Double(K), h = 1 / Double(n)
        let unknowns = d + 2 * d * (K - 1)
        var z = [Double](repeating: 0, count: unknowns)
        for i in 0..<d { z[i] = (-3 * path[0][i] + 4 * path[1][i] - path[2][i]) / (2 * h) }
        for k in 1..<K {
            let idx = k * n / K
            for i in 0..<d {
                z[d + (k - 1) * 2 * d + i] = path[idx][i]
                z[d + (k - 1) * 2 * d + d + i] = (path[idx + 1][i] - path[idx - 1][i]) / (2 * h)
            }
        }
        func state(_ z: [Double], _ k: Int) -> ([Double], [Double]) {
            if k == 0 { return (a, Array(z[0..<d])) }
            let o = d + (k - 1) * 2 * d
            return (Array(z[o..<(o + d)]), Array(z[(o + d)..<(o + 2 * d)]))
        }
        func residual(_ z: [Double]) throws -> ([Double], [[Double]]) {
            var r = [Double](repeating: 0, count: unknowns)
            var meshes: [[Double]] = []
            for k in 0..<K {
                let (x, v) = state(z, k)
                let tr = try integrator.integrate(x0: x, v0: v, duration: tau, samples: 1, isCancelled: isCancelled)
                meshes.append(tr.steps)
                let xe = tr.points[1], ve = tr.velocities[1]
                if k < K - 1 {
                    let (xn, vn) = state(z, k + 1)
                    for i in 0..<d { r[k * 2 * d + i] = xe[i] - xn[i]; r[k * 2 * d + d + i] = ve[i] - vn[i] }
                } else {
                    for i in 0..<d { r[k * 2 * d + i] = xe[i] - b[i] }
                }
            }
            return (r, meshes)
        }
        func norm(_ r: [Double]) -> Double { r.reduce(0) { max($0, abs($1)) } }
        var (r, meshes) = try residual(z)
        var rn = norm(r)
        integrator.maxSteps = min(integrator.maxSteps, max(1000, 10 * meshes.map(\.count).reduce(0, max)))
        var iterations = 0
        while rn > tolerance && iterations < maxIterations {
            if isCancelled() { throw GeodesicsError.cancelled }
            iterations += 1
            var jac = [Double](repeating: 0, count: unknowns * unknowns)
            for k in 0..<K {
                let (x, v) = state(z, k)
                let base = try integrator.integrate(x0: x, v0: v, duration: tau, samples: 1, replay: meshes[k])
                let rows = k < K - 1 ? 2 * d : d
                // Columns of (x_k, v_k): x_0 = a is fixed, so segment 0 has only v-columns.
                for c in 0..<(k == 0 ? d : 2 * d) {
                    var xp = x, vp = v
                    let isX = k > 0 && c < d
                    let j = isX ? c : (k == 0 ? c : c - d)
                    let scale = max(isX ? abs(x[j]) : v.reduce(0) { max($0, abs($1)) }, 1e-8)
                    let eps = 1e-7 * scale
                    if isX { xp[j] += eps } else { vp[j] += eps }
                    let tr = try integrator.integrate(x0: xp, v0: vp, duration: tau, samples: 1, replay: meshes[k])
                    let col = k == 0 ? c : d + (k - 1) * 2 * d + c
                    for i in 0..<rows {
                        let fp = i < d ? tr.points[0][i] : tr.velocities[0][i - d]
                        let f0 = i < d ? base.points[0][i] : base.velocities[0][i - d]
                        jac[(k * 2 * d + i) * unknowns + col] = (fp - f0) / eps
                    }
                }
                if k < K - 1 {
                    for i in 0..<(2 * d) { jac[(k * 2 * d + i) * unknowns + d + k * 2 * d + i] = -1 }
                }
            }
            guard let delta = Shooting.solveDense(jac, rhs: r.map { -$0 }, n: unknowns) else { break }
            var step = 1.0
            var improved = false
            for _ in 0..<12 {
                var zt = z
                for i in 0..<unknowns { zt[i] += step * delta[i] }
                if let (rt, mt) = try? residual(zt), norm(rt) < rn {
                    z = zt; r = rt; meshes = mt; rn = norm(rt); improved = true
                    break
                }
                step *= 0.5
            }
            if !improved { break }
        }
        guard rn <= tolerance else { return Result(path: [], initialVelocity: [], length: 0, residual: rn, converged: false) }
        var out: [[Double]] = []
        var length = 0.0
        for k in 0..<K {
            let (x, v) = state(z, k)
            let tr = try integrator.integrate(x0: x, v0: v, duration: tau, samples: n / K, isCancelled: isCancelled)
            out += k == 0 ? tr.points : Array(tr.points.dropFirst())
            length += tr.length
        }
        out[n] = b
        return Result(path: out, initialVelocity: Array(z[0..<d]), length: length, residual: rn, converged: true)
    }
}
