import Foundation

/// Integrator of the geodesic equations ẋ = v, v̇ = −Γ(x)[v, v], ℓ̇ = ‖v‖_g with the embedded
/// Dormand–Prince 5(4) pair (FSAL, local extrapolation), step control
/// err = RMS(e_i / (atol + rtol·max|y_i|)), h ← h·min(5, max(0.2, 0.9·err^(−1/5))).
/// The arc length ℓ is integrated as an extra component. For conformal metrics ℓ is in units of
/// e^(logShift/2), so that p^(−α/2) never overflows.
struct DormandPrince {
    let metric: RiemannianMetric
    var rtol = 1e-11
    var atol = 1e-13
    var maxSteps = 200_000
    var logShift = 0.0

    struct Trajectory {
        /// Samples x(t_j), t_j = j·T/samples, j = 0…samples.
        var points: [[Double]]
        /// ẋ(t_j).
        var velocities: [[Double]]
        /// ∫_0^T ‖ẋ‖_g dt.
        var length: Double
        /// max_j |ẋᵀgẋ(t_j) − ẋᵀgẋ(0)| / ẋᵀgẋ(0).
        var speedDrift: Double
        /// The steps taken (to replay the same mesh for finite-difference Jacobians).
        var steps: [Double]
        var evaluations: Int
    }

    private static let c: [Double] = [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1]
    private static let a: [[Double]] = [
        [],
        [1.0 / 5],
        [3.0 / 40, 9.0 / 40],
        [44.0 / 45, -56.0 / 15, 32.0 / 9],
        [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
        [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
        [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
    ]
    /// b − b̂ (fifth minus fourth order weights).
    private static let e: [Double] = [35.0 / 384 - 5179.0 / 57600, 0, 500.0 / 1113 - 7571.0 / 16695,
                                      125.0 / 192 - 393.0 / 640, -2187.0 / 6784 + 92097.0 / 339200,
                                      11.0 / 84 - 187.0 / 2100, -1.0 / 40]

    /// Right-hand side f(y) for y = (x, v, ℓ).
    private func rhs(_ y: [Double], _ out: inout [Double], acc: inout [Double], vbuf: inout [Double],
                     jet: inout Density.Jet, ws: inout Density.Workspace) {
        let d = metric.dimension
        for i in 0..<d { vbuf[i] = y[d + i]; out[i] = y[d + i] }
        metric.acceleration(x: y, xoff: 0, v: vbuf, acc: &acc, jet: &jet, workspace: &ws)
        for i in 0..<d { out[d + i] = acc[i] }
        // jet holds the score (and log p) at x after `acceleration`.
        out[2 * d] = metric.squaredNorm(vbuf, jet: jet, logShift: logShift).squareRoot()
    }

    /// ẋᵀ g(x) ẋ at state y (shift-free ratio use only).
    private func speed2(_ y: [Double], jet: inout Density.Jet, ws: inout Density.Workspace, vbuf: inout [Double]) -> Double {
        let d = metric.dimension
        metric.density.evaluateScore(at: y, jet: &jet, workspace: &ws)
        for i in 0..<d { vbuf[i] = y[d + i] }
        return metric.squaredNorm(vbuf, jet: jet, logShift: logShift)
    }

    /// Integrate from (x0, v0) over t ∈ [0, T] (T ≥ 0), sampling `samples` + 1 uniform times.
    /// With `replay`, the given step sequence is used without error control (no sampling).
    func integrate(x0: [Double], v0: [Double], duration T: Double, samples: Int,
                   replay: [Double]? = nil, isCancelled: () -> Bool = { false }) throws -> Trajectory {
        let d = metric.dimension, n = 2 * d + 1
        var y = [Double](repeating: 0, count: n)
        for i in 0..<d { y[i] = x0[i]; y[d + i] = v0[i] }
        var jet = Density.Jet(dimension: d)
        var ws = Density.Workspace(density: metric.density)
        var acc = [Double](repeating: 0, count: d)
        var vbuf = [Double](repeating: 0, count: d)
        var k = [[Double]](repeating: [Double](repeating: 0, count: n), count: 7)
        var tmp = [Double](repeating: 0, count: n)
        var evaluations = 0
        let s0 = speed2(y, jet: &jet, ws: &ws, vbuf: &vbuf)
        var drift = 0.0
        var points = [Array(y[0..<d])]
        var velocities = [Array(y[d..<(2 * d)])]
        var steps: [Double] = []
        if T == 0 || s0 == 0 {
            for _ in 0..<max(samples, 1) { points.append(points[0]); velocities.append(velocities[0]) }
            return Trajectory(points: points, velocities: velocities, length: 0, speedDrift: 0, steps: [], evaluations: 0)
        }
        rhs(y, &k[0], acc: &acc, vbuf: &vbuf, jet: &jet, ws: &ws); evaluations += 1

        // One DP step of size h from y (k[0] = f(y) on entry); fills `tmp` with the new state,
        // k[6] with f(new) and returns the error norm.
        func step(_ h: Double) -> Double {
            for s in 1..<7 {
                for i in 0..<n {
                    var v = y[i]
                    for j in 0..<s { v += h * DormandPrince.a[s][j] * k[j][i] }
                    tmp[i] = v
                }
                rhs(tmp, &k[s], acc: &acc, vbuf: &vbuf, jet: &jet, ws: &ws)
                evaluations += 1
            }
            // tmp now equals the 5th-order solution (row 6 of a is b).
            var err = 0.0
            for i in 0..<n {
                var ei = 0.0
                for j in 0..<7 { ei += DormandPrince.e[j] * k[j][i] }
                let sc = atol + rtol * max(abs(y[i]), abs(tmp[i]))
                let r = h * ei / sc
                err += r * r
            }
            return (err / Double(n)).squareRoot()
        }

        if let replay = replay {
            for h in replay {
                _ = step(h)
                y = tmp; k[0] = k[6]
            }
            points = [Array(y[0..<d])]
            velocities = [Array(y[d..<(2 * d)])]
            return Trajectory(points: points, velocities: velocities, length: y[2 * d], speedDrift: 0,
                              steps: replay, evaluations: evaluations)
        }

        // Initial step: h = 0.01·‖y‖/‖f‖ style guess, capped by the interval.
        var ynorm = 0.0, fnorm = 0.0
        for i in 0..<n { let sc = atol + rtol * abs(y[i]); ynorm += (y[i] / sc) * (y[i] / sc); fnorm += (k[0][i] / sc) * (k[0][i] / sc) }
        var h = (ynorm < 1e-10 || fnorm < 1e-10) ? 1e-6 * T : 0.01 * (ynorm / fnorm).squareRoot()
        h = min(h, T / Double(max(samples, 1)))
        var t = 0.0
        let samplesN = max(samples, 1)
        for j in 1...samplesN {
            let target = T * Double(j) / Double(samplesN)
            while t < target {
                if steps.count >= maxSteps {
                    throw GeodesicsError.invalidInput(field: "t", message: "the exponential map needed more than \(maxSteps) steps (the metric is too sharp along this path)")
                }
                if steps.count % 64 == 0 && isCancelled() { throw GeodesicsError.cancelled }
                var hh = min(h, target - t)
                let last = target - t <= hh * (1 + 1e-12)
                if last { hh = target - t }
                let err = step(hh)
                if err <= 1 && err.isFinite {
                    t = last ? target : t + hh
                    y = tmp; k[0] = k[6]
                    steps.append(hh)
                    let fac = err == 0 ? 5 : min(5, max(0.2, 0.9 * pow(err, -0.2)))
                    if !last || fac < 1 { h = hh * fac } else { h = max(h, hh * fac) }
                } else {
                    let fac = err.isFinite ? max(0.2, 0.9 * pow(err, -0.2)) : 0.1
                    h = hh * fac
                    if h < 1e-14 * T {
                        throw GeodesicsError.invalidInput(field: "t", message: "the exponential map step size underflowed (the metric is too sharp along this path)")
                    }
                }
            }
            points.append(Array(y[0..<d]))
            velocities.append(Array(y[d..<(2 * d)]))
            let sp = speed2(y, jet: &jet, ws: &ws, vbuf: &vbuf)
            drift = max(drift, abs(sp - s0) / s0)
        }
        return Trajectory(points: points, velocities: velocities, length: y[2 * d], speedDrift: drift,
                          steps: steps, evaluations: evaluations)
    }
}
