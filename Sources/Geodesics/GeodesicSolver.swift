import Foundation

/// The boundary value pipeline: multi-start damped-Newton minimisation of the discrete energy, keep the
/// shortest, report other local geodesics, refine the shortest internally (2N, 4N, …) until its length
/// settles, polish by shooting and sample the exact geodesic at N + 1 equal times.
struct GeodesicSolver {
    let metric: RiemannianMetric
    let options: GeodesicOptions

    private struct Candidate {
        var solution: CurveSolution
        var length: Double   // in units of e^(logShift/2)
    }

    /// log of the scale used for conformal factors on this problem: max(−α log p(a), −α log p(b)).
    func logShift(_ a: [Double], _ b: [Double]) -> Double {
        guard case .conformal(let alpha) = metric.spec else { return 0 }
        var jet = Density.Jet(dimension: metric.dimension)
        var ws = Density.Workspace(density: metric.density)
        metric.density.evaluateScore(at: a, jet: &jet, workspace: &ws)
        let la = -alpha * jet.logDensity
        metric.density.evaluateScore(at: b, jet: &jet, workspace: &ws)
        return max(la, -alpha * jet.logDensity)
    }

    func solve(from a: [Double], to b: [Double], isCancelled: () -> Bool = { false }) throws -> GeodesicResult {
        let d = metric.dimension, n = options.nodes
        var diff = [Double](repeating: 0, count: d)
        for i in 0..<d { diff[i] = b[i] - a[i] }
        let euclid = diff.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if euclid == 0 {
            return GeodesicResult(path: [[Double]](repeating: a, count: n + 1), length: 0, energy: 0, euclideanDistance: 0,
                                  straightLine: CurveCost(length: 0, energy: 0), converged: true, iterations: 0,
                                  residual: 0, unique: true, alternatives: [], initialVelocity: [Double](repeating: 0, count: d),
                                  polished: true, shootingResidual: 0, starts: 0)
        }
        let shift = logShift(a, b)
        let lengthScale = exp(0.5 * shift)

        // Starting curves. (Minimising them first on fewer segments and refining is not cheaper: on a sharp
        // Stein metric in high dimension coarse discrete energies have spurious minima that cut across
        // ridges, and the refined solve then has to climb out of them.)
        var starts: [[Double]] = [straightLine(a, b, n)]
        if options.multiStart && d >= 2 {
            let perp = perpendicular(diff)
            for sign in [1.0, -1.0] {
                var c = [Double](repeating: 0, count: d)
                for i in 0..<d { c[i] = 0.5 * (a[i] + b[i]) + sign * euclid * perp[i] }
                starts.append(bezier(a, c, b, n))
            }
            if d == 2 && options.gridStart, let grid = GridPath(metric: metric, logShift: shift).path(from: a, to: b) {
                starts.append(resample(grid, n, shift: shift))
            }
        }

        var problem = DiscreteCurveEnergy(metric: metric, segments: n, logShift: shift)
        let newton = BoundaryValueSolver(maxIterations: options.maxIterations)
        var candidates: [Candidate] = []
        var iterations = 0
        for s in starts {
            let sol = try newton.solve(&problem, initial: s, tolerance: options.tolerance, isCancelled: isCancelled)
            iterations += sol.iterations
            let len = problem.segmentLengths(sol.nodes).reduce(0, +)
            guard len.isFinite else { continue }
            candidates.append(Candidate(solution: sol, length: len))
        }
        guard !candidates.isEmpty else {
            throw GeodesicsError.invalidInput(field: "to", message: "no finite-length curve found between the end points")
        }
        candidates.sort { l, r in
            if l.solution.converged != r.solution.converged { return l.solution.converged }
            return l.length < r.length
        }
        // Distinct local minima: curves differing by more than 1e−4·‖b − a‖ somewhere.
        var distinct: [Candidate] = []
        for c in candidates where c.solution.converged || distinct.isEmpty {
            let same = distinct.contains { o in
                var m = 0.0
                for t in 0..<c.solution.nodes.count { m = max(m, abs(c.solution.nodes[t] - o.solution.nodes[t])) }
                return m <= 1e-4 * euclid
            }
            if !same { distinct.append(c) }
        }
        let best = distinct[0]
        let alternatives = distinct.dropFirst().map { AlternativeGeodesic(length: $0.length * lengthScale) }

        var path = nodesToPath(best.solution.nodes, d)
        var length = best.length * lengthScale
        var energy = best.solution.energy * exp(shift)
        var converged = best.solution.converged
        var polished = false
        var richardsonDone = false
        var shootingResidual: Double? = nil
        let h = 1 / Double(n)
        var v0 = [Double](repeating: 0, count: d)
        for i in 0..<d { v0[i] = (-3 * path[0][i] + 4 * path[1][i] - path[2][i]) / (2 * h) }

        if options.polish {
            // Refine internally (N → 2N → …, warm-started) until the discrete length settles, so that
            // shooting starts next to the continuum geodesic even where N segments are too coarse
            // (sharp Stein metrics in high dimension), then shoot and sample the exact geodesic at N + 1 points.
            var levels = [Level(segments: n, nodes: best.solution.nodes, length: best.length, converged: best.solution.converged)]
            let cap = Self.internalSegmentCap(dimension: d, nodes: n)
            iterations += try refine(&levels, until: 1e-3, cap: cap, shift: shift, newton: newton, isCancelled: isCancelled)
            var integrator = DormandPrince(metric: metric, rtol: 1e-11, atol: 1e-13 * max(1, euclid), logShift: shift)
            integrator.maxSteps = 20_000
            var result = try shootFrom(levels[levels.count - 1], a: a, b: b, n: n, euclid: euclid,
                                       integrator: integrator, isCancelled: isCancelled)
            if result == nil {
                // Not polished yet: refine further and try once more from the finer curve.
                let before = levels.count
                iterations += try refine(&levels, until: 1e-5, cap: cap, shift: shift, newton: newton, isCancelled: isCancelled)
                if levels.count > before {
                    result = try shootFrom(levels[levels.count - 1], a: a, b: b, n: n, euclid: euclid,
                                           integrator: integrator, isCancelled: isCancelled)
                }
            }
            let finest = levels[levels.count - 1]
            if let r = result {
                path = r.path
                length = r.length * lengthScale
                energy = 0.5 * length * length
                v0 = r.velocity
                polished = true
                shootingResidual = r.residual
                converged = converged && finest.converged
            } else if levels.count >= 2 {
                // Richardson on the two finest levels (O(h²) error); the path is the finest curve
                // resampled at N + 1 points equally spaced in metric length.
                let coarse = levels[levels.count - 2]
                length = (finest.length + (finest.length - coarse.length) / 3) * lengthScale
                let fine = nodesToPath(finest.nodes, d)
                path = nodesToPath(resample(fine, n, shift: shift), d)
                path[0] = a
                path[n] = b
                energy = 0.5 * length * length
                let hf = 1 / Double(finest.segments)
                for i in 0..<d { v0[i] = (-3 * fine[0][i] + 4 * fine[1][i] - fine[2][i]) / (2 * hf) }
                // Converged only when the refinement settled (the last doubling changed the length by ≤ 1e−3).
                converged = converged && finest.converged && coarse.converged
                    && abs(finest.length - coarse.length) <= 1e-3 * finest.length
                richardsonDone = true
            }
            if isCancelled() { throw GeodesicsError.cancelled }
        }
        if !polished && !richardsonDone && n % 2 == 0 && n >= 8 {
            // Richardson: L ≈ L_N + (L_N − L_{N/2})/3 (piecewise-linear curves: the error is O(h²)).
            var coarse = DiscreteCurveEnergy(metric: metric, segments: n / 2, logShift: shift)
            var initial = [Double]()
            for i in stride(from: 0, through: n, by: 2) { initial += path[i] }
            let sol = try newton.solve(&coarse, initial: initial, tolerance: options.tolerance, isCancelled: isCancelled)
            iterations += sol.iterations
            let lc = coarse.segmentLengths(sol.nodes).reduce(0, +) * lengthScale
            if sol.converged && lc.isFinite { length += (length - lc) / 3 }
            converged = converged && sol.converged
        }
        let straight = straightLineCost(a, b, shift: shift)
        return GeodesicResult(path: path, length: length, energy: energy, euclideanDistance: euclid,
                              straightLine: straight, converged: converged, iterations: iterations,
                              residual: equationResidual(path), unique: alternatives.isEmpty,
                              alternatives: Array(alternatives), initialVelocity: v0, polished: polished,
                              shootingResidual: shootingResidual, starts: starts.count)
    }

    /// Largest number of segments used internally when refining before the shooting polish.
    static let maxInternalSegments = 1024

    /// The refinement doubles N while the result stays ≤ 1024 segments and segments·d³ (the cost of one
    /// block factorisation) ≤ 10⁷: d ≤ 16: 1024; d = 32: 256; d ≥ 64: no refinement beyond N = 64.
    static func internalSegmentCap(dimension d: Int, nodes n: Int) -> Int {
        var cap = n
        let d3 = Double(d) * Double(d) * Double(d)
        while cap * 2 <= maxInternalSegments && Double(cap * 2) * d3 <= 1e7 { cap *= 2 }
        return cap
    }

    /// Multiple shooting (4 segments, (2K − 1)·d unknowns, a dense Jacobian from 2d integrations per
    /// segment and iteration) is tried only up to this dimension.
    static let maxMultipleShootingDimension = 8

    /// One resolution of the discrete geodesic: nodes ((segments + 1)·d), length in units of e^(logShift/2).
    struct Level {
        var segments: Int
        var nodes: [Double]
        var length: Double
        var converged: Bool
    }

    /// Append levels 2N, 4N, … (segment midpoints inserted, damped Newton warm-started) until two
    /// consecutive lengths differ by at most `until` relative or `cap` segments are reached.
    /// Returns the Newton iterations spent.
    func refine(_ levels: inout [Level], until rel: Double, cap: Int, shift: Double,
                newton: BoundaryValueSolver, isCancelled: () -> Bool) throws -> Int {
        let d = metric.dimension
        var iterations = 0
        while true {
            let last = levels[levels.count - 1]
            if levels.count >= 2 {
                let prev = levels[levels.count - 2]
                if abs(last.length - prev.length) <= rel * last.length { break }
            }
            let m = 2 * last.segments
            guard m <= cap else { break }
            var initial = [Double](repeating: 0, count: (m + 1) * d)
            for i in 0...last.segments {
                for k in 0..<d { initial[2 * i * d + k] = last.nodes[i * d + k] }
                if i < last.segments {
                    for k in 0..<d { initial[(2 * i + 1) * d + k] = 0.5 * (last.nodes[i * d + k] + last.nodes[(i + 1) * d + k]) }
                }
            }
            var problem = DiscreteCurveEnergy(metric: metric, segments: m, logShift: shift)
            let sol = try newton.solve(&problem, initial: initial, tolerance: options.tolerance, isCancelled: isCancelled)
            iterations += sol.iterations
            let len = problem.segmentLengths(sol.nodes).reduce(0, +)
            guard len.isFinite else { break }
            levels.append(Level(segments: m, nodes: sol.nodes, length: len, converged: sol.converged))
        }
        return iterations
    }

    struct Polished {
        var path: [[Double]]
        var length: Double
        var velocity: [Double]
        var residual: Double
    }

    /// Shooting polish from a discrete geodesic: single shooting from its end-point velocity, multiple
    /// shooting (4 segments, d ≤ 8) where that fails; the result is accepted when it stays within 5% of ‖b − a‖
    /// of the discrete curve and is not longer than it by more than 1e−3 relative. Returns the exact
    /// geodesic sampled at n + 1 uniform times (constant speed), its length (units of e^(logShift/2)).
    func shootFrom(_ level: Level, a: [Double], b: [Double], n: Int, euclid: Double, integrator: DormandPrince,
                   isCancelled: () -> Bool) throws -> Polished? {
        let d = metric.dimension, m = level.segments
        let fine = nodesToPath(level.nodes, d)
        let stride = m / n
        let sampled = (0...n).map { fine[$0 * stride] }
        let h = 1 / Double(m)
        var guess = [Double](repeating: 0, count: d)
        for i in 0..<d { guess[i] = (-3 * fine[0][i] + 4 * fine[1][i] - fine[2][i]) / (2 * h) }
        let tol = 1e-10 * max(1, euclid)
        var shooting = Shooting(integrator: integrator)
        // Each fresh Jacobian costs d + 1 integrations: fewer of them in high dimension.
        if d > 16 { shooting.maxJacobians = 2 }
        func accept(_ v: [Double], _ residual: Double) throws -> Polished? {
            guard let tr = try? integrator.integrate(x0: a, v0: v, duration: 1, samples: n, isCancelled: isCancelled) else { return nil }
            guard sameGeodesic(tr.points, sampled, euclid), tr.length <= level.length * (1 + 1e-3) else { return nil }
            var path = tr.points
            path[n] = b
            return Polished(path: path, length: tr.length, velocity: v, residual: residual)
        }
        if let r = try? shooting.solve(from: a, to: b, guess: guess, tolerance: tol, isCancelled: isCancelled), r.converged,
           let p = try accept(r.velocity, r.residual) {
            return p
        }
        if isCancelled() { throw GeodesicsError.cancelled }
        guard d <= Self.maxMultipleShootingDimension else { return nil }
        let ms = MultipleShooting(integrator: integrator)
        guard let r = try? ms.solve(from: a, to: b, discrete: fine, tolerance: tol, isCancelled: isCancelled), r.converged else {
            return nil
        }
        // Refine the log map by single shooting from the (now very close) velocity.
        var v = r.initialVelocity, res = r.residual
        if let s = try? shooting.solve(from: a, to: b, guess: v, tolerance: tol, isCancelled: isCancelled), s.converged {
            v = s.velocity
            res = s.residual
        }
        return try accept(v, res)
    }

    /// Two sampled curves are the same local geodesic when they stay within 5% of ‖b − a‖.
    func sameGeodesic(_ p: [[Double]], _ q: [[Double]], _ euclid: Double) -> Bool {
        guard p.count == q.count else { return false }
        var dev = 0.0
        for i in 0..<p.count { for k in 0..<p[i].count { dev = max(dev, abs(p[i][k] - q[i][k])) } }
        return dev <= 0.05 * euclid + 1e-12
    }

    // MARK: - Starting curves

    func straightLine(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var x = [Double](repeating: 0, count: (n + 1) * a.count)
        for i in 0...n {
            let t = Double(i) / Double(n)
            for k in 0..<a.count { x[i * a.count + k] = a[k] + t * (b[k] - a[k]) }
        }
        return x
    }

    /// Quadratic Bézier (1−t)²a + 2t(1−t)c + t²b.
    func bezier(_ a: [Double], _ c: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var x = [Double](repeating: 0, count: (n + 1) * a.count)
        for i in 0...n {
            let t = Double(i) / Double(n)
            for k in 0..<a.count { x[i * a.count + k] = (1 - t) * (1 - t) * a[k] + 2 * t * (1 - t) * c[k] + t * t * b[k] }
        }
        return x
    }

    /// A unit vector perpendicular to u: the rotation by 90° in 2-D; in higher dimension a fixed
    /// pseudo-random vector (deterministic LCG) with its u-component removed.
    func perpendicular(_ u: [Double]) -> [Double] {
        let d = u.count
        var p: [Double]
        if d == 2 {
            p = [-u[1], u[0]]
        } else {
            var state: UInt64 = 0x9E3779B97F4A7C15
            p = (0..<d).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Double(state >> 11) / Double(1 << 53) - 0.5
            }
            let uu = u.reduce(0) { $0 + $1 * $1 }
            let pu = zip(p, u).reduce(0) { $0 + $1.0 * $1.1 }
            for i in 0..<d { p[i] -= pu / uu * u[i] }
        }
        let norm = p.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return p.map { $0 / norm }
    }

    /// Resample a polyline to n + 1 points equally spaced in (midpoint-rule) metric arc length.
    func resample(_ pts: [[Double]], _ n: Int, shift: Double) -> [Double] {
        let d = metric.dimension
        var jet = Density.Jet(dimension: d)
        var ws = Density.Workspace(density: metric.density)
        var cum = [0.0]
        for i in 1..<pts.count {
            var m = [Double](repeating: 0, count: d), v = m
            for k in 0..<d { m[k] = 0.5 * (pts[i][k] + pts[i - 1][k]); v[k] = pts[i][k] - pts[i - 1][k] }
            metric.density.evaluateScore(at: m, jet: &jet, workspace: &ws)
            let l = metric.squaredNorm(v, jet: jet, logShift: shift).squareRoot()
            cum.append(cum[cum.count - 1] + (l.isFinite ? l : 0))
        }
        let total = cum[cum.count - 1]
        var out = [Double]()
        var seg = 1
        for i in 0...n {
            let target = total * Double(i) / Double(n)
            while seg < pts.count - 1 && cum[seg] < target { seg += 1 }
            let l0 = cum[seg - 1], l1 = cum[seg]
            let t = l1 > l0 ? min(1, max(0, (target - l0) / (l1 - l0))) : 0
            for k in 0..<d { out.append(pts[seg - 1][k] + t * (pts[seg][k] - pts[seg - 1][k])) }
        }
        return out
    }

    func nodesToPath(_ x: [Double], _ d: Int) -> [[Double]] {
        (0..<(x.count / d)).map { Array(x[($0 * d)..<(($0 + 1) * d)]) }
    }

    // MARK: - Diagnostics

    /// max_i ‖(x_{i+1} − 2x_i + x_{i−1})/h² + Γ(x_i)[v_i, v_i]‖/‖v_i‖², v_i = (x_{i+1} − x_{i−1})/2h.
    func equationResidual(_ path: [[Double]]) -> Double {
        let d = metric.dimension, n = path.count - 1
        guard n >= 2 else { return 0 }
        let h = 1 / Double(n)
        var jet = Density.Jet(dimension: d)
        var ws = Density.Workspace(density: metric.density)
        var acc = [Double](repeating: 0, count: d), v = acc
        var worst = 0.0
        for i in 1..<n {
            var vv = 0.0
            for k in 0..<d { v[k] = (path[i + 1][k] - path[i - 1][k]) / (2 * h); vv += v[k] * v[k] }
            guard vv > 0 else { continue }
            metric.acceleration(x: path[i], v: v, acc: &acc, jet: &jet, workspace: &ws)
            var r = 0.0
            for k in 0..<d {
                let fd = (path[i + 1][k] - 2 * path[i][k] + path[i - 1][k]) / (h * h)
                r += (fd - acc[k]) * (fd - acc[k])
            }
            worst = max(worst, r.squareRoot() / vv)
        }
        return worst
    }

    /// Length ∫√(DᵀgD) dt and energy ½∫DᵀgD dt of the segment a → b, D = b − a, by adaptive Gauss–Kronrod.
    func straightLineCost(_ a: [Double], _ b: [Double], shift: Double) -> CurveCost {
        let d = metric.dimension
        var jet = Density.Jet(dimension: d)
        var ws = Density.Workspace(density: metric.density)
        var x = a
        var dv = [Double](repeating: 0, count: d)
        for k in 0..<d { dv[k] = b[k] - a[k] }
        func q(_ t: Double) -> Double {
            for k in 0..<d { x[k] = a[k] + t * dv[k] }
            metric.density.evaluateScore(at: x, jet: &jet, workspace: &ws)
            return metric.squaredNorm(dv, jet: jet, logShift: shift)
        }
        let (length, twiceEnergy) = GaussKronrod.integrate({ t in
            let v = q(t)
            return (v.squareRoot(), v)
        }, 0, 1, relativeTolerance: 1e-11)
        let energy = 0.5 * twiceEnergy
        return CurveCost(length: length * exp(0.5 * shift), energy: energy * exp(shift))
    }
}
