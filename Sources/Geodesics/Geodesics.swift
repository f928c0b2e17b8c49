import Foundation

/// Entry points of the geodesics domain, one per endpoint. Every function validates its input
/// against `GeodesicLimits` and throws `GeodesicsError.invalidInput(field:message:)` naming the
/// offending field (fields are named as in the request body: `density.components[0].covariance`,
/// `metric.lambda`, `from`, `points[3]`, `nodes`…).
///
/// ```swift
/// let density = DensitySpec.gaussian(mean: [0, 0], covariance: [[1, 0.5], [0.5, 2]])
/// let r = try Geodesics.geodesic(density: density, metric: .stein(lambda: 1),
///                                from: [-2, 0], to: [2, 0.5])
/// print(r.length, r.straightLine.length, r.unique)
/// ```
public enum Geodesics {
    /// `POST /v1/geodesics`: the shortest geodesic between two points (boundary value problem).
    public static func geodesic(density: DensitySpec, metric: MetricSpec, from: [Double], to: [Double],
                                options: GeodesicOptions = GeodesicOptions(), limits: GeodesicLimits = .default,
                                isCancelled: () -> Bool = { false }) throws -> GeodesicResult {
        let m = try RiemannianMetric(density: density, metric: metric, limits: limits)
        try options.validate(limits: limits)
        try m.checkEndPoint(from, field: "from", limits: limits)
        try m.checkEndPoint(to, field: "to", limits: limits)
        return try GeodesicSolver(metric: m, options: options).solve(from: from, to: to, isCancelled: isCancelled)
    }

    /// `POST /v1/geodesics` with `Accept: image/svg+xml`: solve, then draw the density (bands and contours of
    /// log p), the straight line, the other local geodesics found and the geodesic in a framed plot with axes
    /// (2-D only; other dimensions throw for field `from`).
    public static func geodesicPicture(density: DensitySpec, metric: MetricSpec, from: [Double], to: [Double],
                                       options: GeodesicOptions = GeodesicOptions(), limits: GeodesicLimits = .default,
                                       isCancelled: () -> Bool = { false }) throws -> String {
        let m = try RiemannianMetric(density: density, metric: metric, limits: limits)
        guard m.dimension == 2 else {
            throw GeodesicsError.invalidInput(field: "from", message: "pictures are available for 2-D problems only (dimension is \(m.dimension))")
        }
        try options.validate(limits: limits)
        try m.checkEndPoint(from, field: "from", limits: limits)
        try m.checkEndPoint(to, field: "to", limits: limits)
        let o = try GeodesicSolver(metric: m, options: options).search(from: from, to: to, isCancelled: isCancelled)
        return GeodesicPlot(metric: m).svg(from: from, to: to, result: o.result, alternatives: o.alternativePaths)
    }

    /// `POST /v1/geodesics/exp`: integrate the geodesic equation from `point` with `velocity` for
    /// time `t` (adaptive Dormand–Prince 5(4), rtol 1e−11), sampling `steps` + 1 uniform times.
    public static func exponentialMap(density: DensitySpec, metric: MetricSpec, point: [Double], velocity: [Double],
                                      t: Double = 1, steps: Int = 64, limits: GeodesicLimits = .default,
                                      isCancelled: () -> Bool = { false }) throws -> ExponentialMapResult {
        let m = try RiemannianMetric(density: density, metric: metric, limits: limits)
        try m.checkEndPoint(point, field: "point", limits: limits)
        try m.checkPoint(velocity, field: "velocity", limits: limits)
        guard t.isFinite, abs(t) <= limits.maxTime else {
            throw GeodesicsError.invalidInput(field: "t", message: "t must be a finite number with |t| ≤ \(limits.maxTime)")
        }
        guard steps >= 1, steps <= limits.maxSteps else {
            throw GeodesicsError.invalidInput(field: "steps", message: "steps must be between 1 and \(limits.maxSteps)")
        }
        // Exp(x, t·v) over [0, 1] equals the curve over [0, t]; negative t runs −v over |t|.
        let v = t < 0 ? velocity.map { -$0 } : velocity
        var shift = 0.0
        var jet = Density.Jet(dimension: m.dimension)
        var ws = Density.Workspace(density: m.density)
        m.density.evaluateScore(at: point, jet: &jet, workspace: &ws)
        shift = m.logConformalFactor(jet)
        let scale = max(1, point.reduce(0) { max($0, abs($1)) })
        let integrator = DormandPrince(metric: m, rtol: 1e-11, atol: 1e-13 * scale, logShift: shift)
        let tr = try integrator.integrate(x0: point, v0: v, duration: abs(t), samples: steps, isCancelled: isCancelled)
        let length = tr.length * exp(0.5 * shift)
        return ExponentialMapResult(endpoint: tr.points[tr.points.count - 1], path: tr.points, length: length,
                                    speedDrift: tr.speedDrift)
    }

    /// `POST /v1/geodesics/distances`: the symmetric matrix of geodesic distances between points.
    /// Each pair is a boundary value solve with `options` (default: 32 segments, straight line and
    /// two bulges without the global search, no shooting polish, lengths Richardson-extrapolated).
    /// `progress(done, total)` is called after each pair (total = n(n−1)/2); `isCancelled` is
    /// polled between and inside solves and ends the computation with `GeodesicsError.cancelled`.
    public static func distances(density: DensitySpec, metric: MetricSpec, points: [[Double]],
                                 options: GeodesicOptions = GeodesicOptions(nodes: 32, polish: false, globalSearch: false),
                                 limits: GeodesicLimits = .default,
                                 progress: (Int, Int) -> Void = { _, _ in },
                                 isCancelled: () -> Bool = { false }) throws -> [[Double]] {
        let m = try RiemannianMetric(density: density, metric: metric, limits: limits)
        try options.validate(limits: limits)
        guard !points.isEmpty else {
            throw GeodesicsError.invalidInput(field: "points", message: "at least one point is required")
        }
        guard points.count <= limits.maxDistancePoints else {
            throw GeodesicsError.invalidInput(field: "points", message: "at most \(limits.maxDistancePoints) points are allowed, got \(points.count)")
        }
        for (i, p) in points.enumerated() { try m.checkEndPoint(p, field: "points[\(i)]", limits: limits) }
        let solver = GeodesicSolver(metric: m, options: options)
        let n = points.count
        let total = n * (n - 1) / 2
        var out = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var done = 0
        progress(0, total)
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
                if isCancelled() { throw GeodesicsError.cancelled }
                let r = try solver.solve(from: points[i], to: points[j], isCancelled: isCancelled)
                out[i][j] = r.length
                out[j][i] = r.length
                done += 1
                progress(done, total)
            }
        }
        return out
    }

    /// Number of boundary value solves `distances` performs for n points (to decide whether the
    /// Service should run it as a job).
    public static func distancePairCount(points: Int) -> Int { points * (points - 1) / 2 }

    /// `POST /v1/metric`: log p, score, tensor, determinant and (optionally) ‖v‖_g at each point, in input order.
    public static func evaluateMetric(density: DensitySpec, metric: MetricSpec, points: [[Double]],
                                      vectors: [[Double]]? = nil,
                                      limits: GeodesicLimits = .default) throws -> [RiemannianMetric.PointEvaluation] {
        let m = try RiemannianMetric(density: density, metric: metric, limits: limits)
        guard !points.isEmpty else {
            throw GeodesicsError.invalidInput(field: "points", message: "at least one point is required")
        }
        guard points.count <= limits.maxMetricPoints else {
            throw GeodesicsError.invalidInput(field: "points", message: "at most \(limits.maxMetricPoints) points are allowed, got \(points.count)")
        }
        if let vs = vectors, vs.count != points.count {
            throw GeodesicsError.invalidInput(field: "vectors", message: "expected one vector per point (\(points.count)), got \(vs.count)")
        }
        for (i, p) in points.enumerated() { try m.checkPoint(p, field: "points[\(i)]", limits: limits) }
        if let vs = vectors { for (i, v) in vs.enumerated() { try m.checkPoint(v, field: "vectors[\(i)]", limits: limits) } }
        return points.enumerated().map { i, p in m.evaluate(at: p, vector: vectors?[i]) }
    }
}
