import Foundation

/// A minimiser of the discrete curve energy.
struct CurveSolution {
    /// All nodes, (N+1)·d, end points included.
    var nodes: [Double]
    /// E_h in units of e^(logShift).
    var energy: Double
    var converged: Bool
    var iterations: Int
    var gradientNorm: Double
}

/// Damped Newton (Levenberg–Marquardt shift) on the discrete curve energy.
///
/// Each iteration solves (∇²E + μI) δ = −∇E with the block-tridiagonal Cholesky solver (O(N·d³)),
/// accepts x + δ only when E decreases (so it never diverges; the trial point is assembled in full, so an
/// accepted step costs one assembly), and adapts μ: ×10 on a rejected
/// step or an indefinite matrix, ÷10 after an accepted one (μ = 0 is pure Newton, quadratic
/// convergence near a non-degenerate minimum). Stops when max|∇E| ≤ tol·max(1, E) or the step
/// is below 1e−14 relative.
struct BoundaryValueSolver {
    var maxIterations = 200

    func solve(_ problem: inout DiscreteCurveEnergy, initial: [Double], tolerance: Double,
               isCancelled: () -> Bool) throws -> CurveSolution {
        let d = problem.d, n = problem.segments, m = n - 1, dd = d * d
        var x = initial
        var g = [Double](repeating: 0, count: m * d)
        var diag = [Double](repeating: 0, count: m * dd)
        var upper = [Double](repeating: 0, count: max(0, m - 1) * dd)
        let solver = BlockTridiagonalSolver(blocks: m, d: d)
        var e = problem.assemble(x, gradient: &g, diagonal: &diag, upper: &upper)
        var mu = 0.0
        var iterations = 0
        var converged = false
        var gnorm = g.reduce(0) { max($0, abs($1)) }
        var trial = x
        // Trial gradient and Hessian: a trial point is assembled in full (the energy comes with it), and
        // on acceptance the buffers are swapped, so an accepted step costs one assembly.
        var gTrial = g, diagTrial = diag, upperTrial = upper
        while iterations < maxIterations {
            if gnorm <= tolerance * max(1, e) { converged = true; break }
            if isCancelled() { throw GeodesicsError.cancelled }
            iterations += 1
            var scale = 0.0
            for b in 0..<m { for r in 0..<d { scale += abs(diag[b * dd + r * d + r]) } }
            scale = max(scale / Double(max(1, m * d)), 1e-300)
            var negG = g
            for t in negG.indices { negG[t] = -negG[t] }
            var accepted = false
            var tiny = false
            var eTrial = e
            while mu <= 1e12 * scale {
                guard let step = solver.solve(diagonal: diag, upper: upper, shift: mu, rhs: negG) else {
                    mu = max(mu * 10, 1e-8 * scale)
                    continue
                }
                var smax = 0.0, xmax = 0.0
                for b in 0..<m {
                    for r in 0..<d {
                        let idx = (b + 1) * d + r
                        trial[idx] = x[idx] + step[b * d + r]
                        smax = max(smax, abs(step[b * d + r]))
                        xmax = max(xmax, abs(x[idx]))
                    }
                }
                let et = problem.assemble(trial, gradient: &gTrial, diagonal: &diagTrial, upper: &upperTrial)
                if et.isFinite && et < e {
                    accepted = true
                    eTrial = et
                    if smax <= 1e-14 * (1 + xmax) { tiny = true }
                    mu = mu < 1e-9 * scale ? 0 : mu / 10
                    break
                }
                if smax <= 1e-15 * (1 + xmax) { tiny = true; break }
                mu = max(mu * 10, 1e-8 * scale)
            }
            if !accepted {
                // No decrease possible at working precision: a (numerical) minimum.
                converged = tiny || gnorm <= 1e-6 * max(1, e)
                break
            }
            x = trial
            e = eTrial
            swap(&g, &gTrial)
            swap(&diag, &diagTrial)
            swap(&upper, &upperTrial)
            gnorm = g.reduce(0) { max($0, abs($1)) }
            if tiny { converged = true; break }
        }
        if !converged && gnorm <= tolerance * max(1, e) { converged = true }
        return CurveSolution(nodes: x, energy: e, converged: converged, iterations: iterations, gradientNorm: gnorm)
    }
}
