import Foundation

/// The boundary value pipeline: a global search for the shortest geodesic, then its polish.
///
/// 1. Damped-Newton minimisation of the discrete energy on N segments from every starting curve of
///    `StartingCurves` (straight line, bulges on both sides, in 2-D the locally shortest routes of a grid graph,
///    curves through and around the nearest component means).
/// 2. The converged minimisers are grouped into distinct curves (apart by more than 1% of ‖b − a‖ somewhere).
///    On N segments lengths can be off by several % on sharp metrics, so every distinct curve within 10% of the
///    shortest is refined (2N, 4N, … warm-started, until its length settles) and they are compared by their
///    Richardson lengths; the shortest is the answer, the others are reported as alternatives.
/// 3. The answer is polished by shooting and sampled as the exact geodesic at N + 1 equal times.
///
/// `unique` is true only when every start that converged reached the same curve, and the answer's own minimisation
/// converged (when no start converged, nothing is known about other routes). That is evidence, not proof:
/// another local geodesic can exist where no start leads (see `StartingCurves` for what is tried).
struct GeodesicSolver {
    let metric: RiemannianMetric
    let options: GeodesicOptions

    /// An unpolished answer is `converged` only when its estimated relative length error is at most this.
    static let lengthTolerance = 1e-4
    /// Distinct curves within this relative margin of the shortest (on N segments) are refined and compared.
    static let refineMargin = 0.1
    /// In dimension 3 and up, at most this many candidates are refined.
    static let maxRefinedCandidates = 2

    /// A local minimiser of the discrete energy from one or more starts, with its refinement levels
    /// (lengths in units of e^(logShift/2)).
    private struct Candidate {
        var levels: [Level]
        /// Richardson length of the two finest levels (the discrete length when there is one level).
        var estimate: Double
        var finest: Level { levels[levels.count - 1] }
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
        try search(from: a, to: b, isCancelled: isCancelled).result
    }

    /// The answer and the other local geodesics found (each the finest discrete curve, N + 1 points).
    struct Outcome {
        var result: GeodesicResult
        var alternativePaths: [[[Double]]]
    }

    func search(from a: [Double], to b: [Double], isCancelled: () -> Bool = { false }) throws -> Outcome {
        let d = metric.dimension, n = options.nodes
        var diff = [Double](repeating: 0, count: d)
        for i in 0..<d { diff[i] = b[i] - a[i] }
        let euclid = diff.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if euclid == 0 {
            return Outcome(result: GeodesicResult(path: [[Double]](repeating: a, count: n + 1), length: 0, energy: 0, euclideanDistance: 0,
                                  straightLine: CurveCost(length: 0, energy: 0), converged: true, iterations: 0,
                                  energyGradient: 0, lengthError: 0, endpointError: 0, unique: true, alternatives: [],
                                  initialVelocity: [Double](repeating: 0, count: d), polished: true, starts: 0),
                           alternativePaths: [])
        }
        let shift = logShift(a, b)
        let lengthScale = exp(0.5 * shift)

        // Starting curves. (Minimising them first on fewer segments and refining is not cheaper: on a sharp
        // Stein metric in high dimension coarse discrete energies have spurious minima that cut across
        // ridges, and the refined solve then has to climb out of them.)
        let starts = StartingCurves(metric: metric, segments: n, logShift: shift, global: options.globalSearch)
            .curves(from: a, to: b, multiStart: options.multiStart)

        var problem = DiscreteCurveEnergy(metric: metric, segments: n, logShift: shift)
        let newton = BoundaryValueSolver(maxIterations: options.maxIterations)
        var solutions: [Level] = []
        var iterations = 0
        for s in starts {
            let sol = try newton.solve(&problem, initial: s, tolerance: options.tolerance, isCancelled: isCancelled)
            iterations += sol.iterations
            let level = makeLevel(n, sol, &problem, shift: shift)
            guard level.length.isFinite else { continue }
            solutions.append(level)
        }
        guard !solutions.isEmpty else {
            throw GeodesicsError.invalidInput(field: "to", message: "no finite-length curve found between the end points")
        }
        // Distinct local minimisers among the starts that converged (curves apart by more than 1% of ‖b − a‖
        // somewhere), ordered by their accurate polyline lengths (a spurious minimiser that jumps a ridge
        // between its quadrature points is short only on paper); when none converged, the best unconverged curve
        // stands alone.
        solutions.sort { l, r in
            if l.converged != r.converged { return l.converged }
            return l.accurateLength < r.accurateLength
        }
        var candidates: [Candidate] = []
        for s in solutions where s.converged || candidates.isEmpty {
            if !candidates.contains(where: { sameCurve($0.levels[0], s, n: n, euclid: euclid) }) {
                candidates.append(Candidate(levels: [s], estimate: s.length))
            }
        }

        let cap = Self.internalSegmentCap(dimension: d, nodes: n)
        if options.polish && candidates[0].levels[0].converged {
            iterations += try refineCandidates(&candidates, n: n, euclid: euclid, cap: cap, shift: shift, newton: newton,
                                               isCancelled: isCancelled)
        }
        if candidates[0].levels[0].converged {
            // A candidate counts as a converged start only when every level converged and (where refinement could
            // resolve it, that is when polishing) its finest curve is resolved: its discrete length agrees with its
            // accurate polyline length. Among those the shortest wins, and curves that refinement brought
            // together are one curve. When no candidate qualifies, they stay as they are, by accurate length.
            let valid = candidates.filter { c in c.levels.allSatisfy(\.converged) && (!options.polish || c.finest.resolved) }
                .sorted { $0.estimate < $1.estimate }
            var merged: [Candidate] = []
            for c in valid where !merged.contains(where: { sameCurve($0.finest, c.finest, n: n, euclid: euclid) }) {
                merged.append(c)
            }
            if !merged.isEmpty { candidates = merged }
        }
        var best = candidates[0]
        let alternatives = candidates.dropFirst().map { c in
            AlternativeGeodesic(length: c.estimate * lengthScale,
                                midpoint: halfLengthPoint(c.finest.nodes, segments: c.finest.segments, shift: shift))
        }

        var path = nodesToPath(best.finest.nodes, d)
        var length = best.finest.length * lengthScale
        var energy = best.finest.energy * exp(shift)
        var polished = false
        var endpointError: Double? = nil
        var lengthError: Double? = nil
        var h = 1 / Double(best.finest.segments)
        var v0 = [Double](repeating: 0, count: d)
        for i in 0..<d { v0[i] = (-3 * path[0][i] + 4 * path[1][i] - path[2][i]) / (2 * h) }

        if options.polish {
            // The internal refinement lets shooting start next to the continuum geodesic even where N segments
            // are too coarse (sharp Stein metrics in high dimension); shoot, and sample the exact geodesic at
            // N + 1 points.
            var integrator = DormandPrince(metric: metric, rtol: 1e-11, atol: 1e-13 * max(1, euclid), logShift: shift)
            integrator.maxSteps = 20_000
            var result = try shootFrom(best.finest, a: a, b: b, n: n, euclid: euclid, integrator: integrator, isCancelled: isCancelled)
            if result == nil {
                // Not polished yet: refine further and try once more from the finer curve.
                let before = best.levels.count
                iterations += try refine(&best.levels, until: 1e-5, cap: cap, shift: shift, newton: newton, isCancelled: isCancelled)
                if best.levels.count > before {
                    result = try shootFrom(best.finest, a: a, b: b, n: n, euclid: euclid, integrator: integrator,
                                           isCancelled: isCancelled)
                }
            }
            if let r = result {
                path = r.path
                length = r.length * lengthScale
                energy = 0.5 * length * length
                v0 = r.velocity
                polished = true
                endpointError = r.residual
                lengthError = r.lengthError
            } else {
                let fine = nodesToPath(best.finest.nodes, d)
                h = 1 / Double(best.finest.segments)
                for i in 0..<d { v0[i] = (-3 * fine[0][i] + 4 * fine[1][i] - fine[2][i]) / (2 * h) }
                if best.levels.count >= 2 {
                    // Richardson on the two finest levels (O(h²) error); the path is the finest curve
                    // resampled at N + 1 points equally spaced in metric length.
                    let fineLength = best.finest.length, coarseLength = best.levels[best.levels.count - 2].length
                    length = Self.richardson(best.levels) * lengthScale
                    lengthError = abs(fineLength - coarseLength) / (3 * fineLength)
                    path = nodesToPath(StartingCurves(metric: metric, segments: n, logShift: shift).resample(fine, n), d)
                    path[0] = a
                    path[n] = b
                    energy = 0.5 * length * length
                }
            }
            if isCancelled() { throw GeodesicsError.cancelled }
        }
        if !polished && lengthError == nil && n % 2 == 0 && n >= 8 {
            // Richardson: L ≈ L_N + (L_N − L_{N/2})/3 (piecewise-linear curves: the error is O(h²)).
            var coarse = DiscreteCurveEnergy(metric: metric, segments: n / 2, logShift: shift)
            var initial = [Double]()
            for i in stride(from: 0, through: n, by: 2) { initial += path[i] }
            let sol = try newton.solve(&coarse, initial: initial, tolerance: options.tolerance, isCancelled: isCancelled)
            iterations += sol.iterations
            let lc = coarse.segmentLengths(sol.nodes).reduce(0, +) * lengthScale
            if sol.converged && lc.isFinite {
                lengthError = abs(length - lc) / (3 * length)
                length += (length - lc) / 3
            }
        }
        // The minimisation behind the answer converged at every level, and the answer is the geodesic to the
        // stated tolerance: shot to the end point (endpointError within the shooting tolerance), or a length
        // whose estimated error is within lengthTolerance.
        let minimised = best.levels.allSatisfy(\.converged)
        let converged = minimised && (polished || (lengthError.map { $0 <= Self.lengthTolerance } ?? false))
        let straight = straightLineCost(a, b, shift: shift)
        let result = GeodesicResult(path: path, length: length, energy: energy, euclideanDistance: euclid,
                                    straightLine: straight, converged: converged, iterations: iterations,
                                    energyGradient: best.finest.gradient, lengthError: lengthError, endpointError: endpointError,
                                    unique: candidates.count == 1 && minimised, alternatives: Array(alternatives), initialVelocity: v0,
                                    polished: polished, starts: starts.count)
        let paths = candidates.dropFirst().map { c in
            let all = nodesToPath(c.finest.nodes, d)
            return (0...n).map { all[$0 * (c.finest.segments / n)] }
        }
        return Outcome(result: result, alternativePaths: paths)
    }

    /// Refine the candidates that can be within `refineMargin` of the shortest (in dimension 3 and up the
    /// `maxRefinedCandidates` with the smallest accurate lengths among them), one doubling per round, and set
    /// their Richardson estimates. A polyline's accurate length bounds the geodesic near it from above; its discrete
    /// length is the optimistic estimate (below the truth where the segments under-resolve the curve), so a
    /// candidate stays in play while its discrete length is within the margin of the smallest accurate length.
    /// After each round, candidates that reached the same curve at the same resolution are merged (the later one
    /// is dropped). Returns the Newton iterations spent.
    private func refineCandidates(_ candidates: inout [Candidate], n: Int, euclid: Double, cap: Int, shift: Double,
                                  newton: BoundaryValueSolver, isCancelled: () -> Bool) throws -> Int {
        var iterations = 0
        func bound() -> Double { candidates.map(\.finest.accurateLength).min()! }
        // In higher dimension a refinement level costs O(segments·d³): only the most promising candidates (by
        // accurate length) are refined there.
        let eligible = candidates.indices.filter { candidates[$0].levels[0].length <= (1 + Self.refineMargin) * bound() }
            .sorted { candidates[$0].levels[0].accurateLength < candidates[$1].levels[0].accurateLength }
        var active = Set(eligible.prefix(metric.dimension <= 2 ? eligible.count : Self.maxRefinedCandidates))
        while !active.isEmpty {
            for k in active.sorted() {
                let before = candidates[k].levels.count
                iterations += try refine(&candidates[k].levels, until: 1e-3, cap: cap, shift: shift, newton: newton,
                                         steps: 1, isCancelled: isCancelled)
                candidates[k].estimate = Self.richardson(candidates[k].levels)
                if candidates[k].levels.count == before { active.remove(k) }
            }
            var dropped = Set<Int>()
            for k in active.sorted() where !dropped.contains(k) {
                for j in candidates.indices where j != k && !dropped.contains(j) && (j < k || active.contains(j))
                    && candidates[j].finest.segments == candidates[k].finest.segments
                    && sameCurve(candidates[j].finest, candidates[k].finest, n: n, euclid: euclid) {
                    dropped.insert(max(j, k))
                }
            }
            let limit = (1 + Self.refineMargin) * bound()
            for k in active where candidates[k].finest.resolved && candidates[k].finest.length > limit { active.remove(k) }
            if !dropped.isEmpty {
                let keep = candidates.indices.filter { !dropped.contains($0) }
                let renumber = Dictionary(uniqueKeysWithValues: keep.enumerated().map { ($1, $0) })
                candidates = keep.map { candidates[$0] }
                active = Set(active.compactMap { renumber[$0] })
            }
        }
        return iterations
    }

    /// Two discrete curves (any refinement levels of N segments) are the same curve when their nodes at
    /// t = i/N stay within 1% of ‖b − a‖ of each other.
    func sameCurve(_ p: Level, _ q: Level, n: Int, euclid: Double) -> Bool {
        let d = metric.dimension, sp = p.segments / n, sq = q.segments / n
        var m = 0.0
        for i in 0...n {
            for k in 0..<d { m = max(m, abs(p.nodes[i * sp * d + k] - q.nodes[i * sq * d + k])) }
        }
        return m <= 1e-2 * euclid
    }

    /// L_f + (L_f − L_c)/3 from the two finest levels (the finest length alone when there is one).
    static func richardson(_ levels: [Level]) -> Double {
        guard levels.count >= 2 else { return levels[0].length }
        let f = levels[levels.count - 1].length, c = levels[levels.count - 2].length
        return f + (f - c) / 3
    }

    /// The point at half the (two-point Gauss) metric length of a discrete curve, linearly interpolated.
    func halfLengthPoint(_ nodes: [Double], segments m: Int, shift: Double) -> [Double] {
        let d = metric.dimension
        var problem = DiscreteCurveEnergy(metric: metric, segments: m, logShift: shift)
        let seg = problem.segmentLengths(nodes)
        let half = 0.5 * seg.reduce(0, +)
        var acc = 0.0
        for i in 0..<m {
            if acc + seg[i] >= half || i == m - 1 {
                let t = seg[i] > 0 ? min(1, max(0, (half - acc) / seg[i])) : 0
                return (0..<d).map { nodes[i * d + $0] + t * (nodes[(i + 1) * d + $0] - nodes[i * d + $0]) }
            }
            acc += seg[i]
        }
        return Array(nodes[(m / 2 * d)..<(m / 2 * d + d)])
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
        /// max|∇E_h| / max(1, E_h) at the minimiser.
        var gradient: Double
        /// E_h in units of e^(logShift).
        var energy: Double
        /// The metric length of the polyline by adaptive quadrature on each segment (see `polylineLength`).
        var accurateLength: Double
        /// The two-point discrete length agrees with the accurate one to `resolution` (relative).
        var resolved: Bool { abs(accurateLength - length) <= GeodesicSolver.resolution * accurateLength }
    }

    /// Largest relative difference between the discrete (two-point Gauss) and the accurate length of a curve for
    /// the curve to count as resolved.
    static let resolution = 1e-3

    /// A level from a damped-Newton solution on m segments. Its accurate length is computed when polishing (where
    /// it ranks candidates and decides whether a level is resolved); otherwise it is the discrete length.
    func makeLevel(_ m: Int, _ sol: CurveSolution, _ problem: inout DiscreteCurveEnergy, shift: Double) -> Level {
        let len = problem.segmentLengths(sol.nodes).reduce(0, +)
        let accurate = options.polish && len.isFinite ? polylineLength(sol.nodes, segments: m, shift: shift) : len
        return Level(segments: m, nodes: sol.nodes, length: len, converged: sol.converged,
                     gradient: sol.gradientNorm / max(1, sol.energy), energy: sol.energy, accurateLength: accurate)
    }

    /// The metric length of the polyline through the nodes, each segment ∫√(Δᵀg(x_i + tΔ)Δ) dt by adaptive
    /// Gauss–Kronrod (rtol 1e−6): an honest upper bound on the geodesic length near the curve, against which the
    /// two-point discrete length is checked (on a sharp Stein metric a minimiser of the discrete energy can place
    /// a steep wall between the two quadrature points of a long segment and be short only on paper).
    func polylineLength(_ x: [Double], segments m: Int, shift: Double) -> Double {
        let d = metric.dimension
        var jet = Density.Jet(dimension: d)
        var ws = Density.Workspace(density: metric.density)
        var p = [Double](repeating: 0, count: d), dv = p
        var total = 0.0
        for i in 0..<m {
            for k in 0..<d { dv[k] = x[(i + 1) * d + k] - x[i * d + k] }
            let (len, _) = GaussKronrod.integrate({ t in
                for k in 0..<d { p[k] = x[i * d + k] + t * dv[k] }
                metric.density.evaluateScore(at: p, jet: &jet, workspace: &ws)
                let q = metric.squaredNorm(dv, jet: jet, logShift: shift)
                return (q.squareRoot(), 0)
            }, 0, 1, relativeTolerance: 1e-6)
            total += len
        }
        return total
    }

    /// Append levels 2N, 4N, … (segment midpoints inserted, damped Newton warm-started) until two consecutive
    /// lengths differ by at most `until` relative and the last is resolved, `cap` segments are reached, a refined
    /// level did not converge (no base for a finer one; the first level may be unconverged, refining can mend
    /// it), or after `steps` doublings. Returns the Newton iterations spent.
    func refine(_ levels: inout [Level], until rel: Double, cap: Int, shift: Double,
                newton: BoundaryValueSolver, steps: Int = .max, isCancelled: () -> Bool) throws -> Int {
        let d = metric.dimension
        var iterations = 0
        var done = 0
        while done < steps {
            done += 1
            let last = levels[levels.count - 1]
            if !last.converged && levels.count >= 2 { break }
            if levels.count >= 2 {
                let prev = levels[levels.count - 2]
                if abs(last.length - prev.length) <= rel * last.length && last.resolved { break }
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
            let level = makeLevel(m, sol, &problem, shift: shift)
            guard level.length.isFinite else { break }
            levels.append(level)
        }
        return iterations
    }

    struct Polished {
        var path: [[Double]]
        var length: Double
        var velocity: [Double]
        /// ‖Exp_a(velocity) − b‖∞.
        var residual: Double
        /// Relative length error estimate of the integration: the larger of the drift of the conserved speed
        /// ẋᵀgẋ and the relative difference between ∫‖ẋ‖_g dt and ‖ẋ(0)‖_g (equal for an exact geodesic).
        var lengthError: Double
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
            var jet = Density.Jet(dimension: d)
            var ws = Density.Workspace(density: metric.density)
            metric.density.evaluateScore(at: a, jet: &jet, workspace: &ws)
            let speed = metric.squaredNorm(v, jet: jet, logShift: integrator.logShift).squareRoot()
            let lengthError = max(tr.speedDrift, abs(tr.length - speed) / tr.length)
            return Polished(path: path, length: tr.length, velocity: v, residual: residual, lengthError: lengthError)
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

    func nodesToPath(_ x: [Double], _ d: Int) -> [[Double]] {
        (0..<(x.count / d)).map { Array(x[($0 * d)..<(($0 + 1) * d)]) }
    }

    // MARK: - Diagnostics

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
