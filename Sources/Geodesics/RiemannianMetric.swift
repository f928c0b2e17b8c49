import Foundation

/// A score-derived Riemannian metric on data space: a compiled density plus a metric family.
///
/// Stein: g = I + λ s sᵀ, ‖v‖² = ‖v‖² + λ(s·v)², det g = 1 + λ‖s‖²,
///        geodesic ODE ẍ = −λ (ẋᵀHẋ)/(1 + λ‖s‖²) · s.
/// Conformal: g = p^(−α) I = e^{2φ} I with φ = −(α/2) log p,
///        geodesic ODE ẍ = α(s·ẋ)ẋ − (α/2)‖ẋ‖² s.
public struct RiemannianMetric: Sendable {
    public let density: Density
    public let spec: MetricSpec
    public var dimension: Int { density.dimension }

    /// Compile and validate a density and metric.
    public init(density: DensitySpec, metric: MetricSpec, limits: GeodesicLimits = .default) throws {
        self.density = try Density(density, limits: limits)
        switch metric {
        case .stein(let lambda):
            guard lambda.isFinite, lambda > 0, lambda <= limits.maxLambda else {
                throw GeodesicsError.invalidInput(field: "metric.lambda", message: "lambda must be a finite number in (0, \(limits.maxLambda)]")
            }
        case .conformal(let alpha):
            guard alpha.isFinite, alpha > 0, alpha <= limits.maxAlpha else {
                throw GeodesicsError.invalidInput(field: "metric.alpha", message: "alpha must be a finite number in (0, \(limits.maxAlpha)]")
            }
        }
        self.spec = metric
    }

    /// Validate a point (dimension, finite, within the coordinate limit).
    func checkPoint(_ x: [Double], field: String, limits: GeodesicLimits) throws {
        guard x.count == dimension else {
            throw GeodesicsError.invalidInput(field: field, message: "expected dimension \(dimension), got \(x.count)")
        }
        try Density.checkVector(x, field: field, limits: limits)
    }

    /// Validate an end point and the numerical range of the metric there (λ‖s‖² bounded).
    func checkEndPoint(_ x: [Double], field: String, limits: GeodesicLimits) throws {
        try checkPoint(x, field: field, limits: limits)
        var jet = Density.Jet(dimension: dimension)
        var ws = Density.Workspace(density: density)
        density.evaluateScore(at: x, jet: &jet, workspace: &ws)
        guard jet.logDensity.isFinite else {
            throw GeodesicsError.invalidInput(field: field, message: "the density underflows the log domain at this point")
        }
        if case .stein(let lambda) = spec {
            var s2 = 0.0
            for v in jet.score { s2 += v * v }
            guard lambda * s2 <= limits.maxAnisotropy else {
                throw GeodesicsError.invalidInput(field: field, message: "λ‖s‖² = \(lambda * s2) exceeds \(limits.maxAnisotropy): the point is too far from the data for this λ")
            }
        }
    }

    /// ‖v‖²_x given the score jet at x. Conformal norms carry the factor exp(−α log p − logShift).
    @inline(__always)
    func squaredNorm(_ v: [Double], voff: Int = 0, jet: Density.Jet, logShift: Double = 0) -> Double {
        let d = dimension
        var vv = 0.0
        for i in 0..<d { vv += v[voff + i] * v[voff + i] }
        switch spec {
        case .stein(let lambda):
            var sv = 0.0
            for i in 0..<d { sv += jet.score[i] * v[voff + i] }
            return vv + lambda * sv * sv
        case .conformal(let alpha):
            return exp(-alpha * jet.logDensity - logShift) * vv
        }
    }

    /// log of the conformal factor c = p^(−α) at a point (0 for Stein).
    func logConformalFactor(_ jet: Density.Jet) -> Double {
        if case .conformal(let alpha) = spec { return -alpha * jet.logDensity }
        return 0
    }

    /// The geodesic acceleration −Γ(x)[v, v] written into `acc`.
    func acceleration(x: [Double], xoff: Int = 0, v: [Double], acc: inout [Double],
                      jet: inout Density.Jet, workspace: inout Density.Workspace) {
        let d = dimension
        switch spec {
        case .stein(let lambda):
            density.evaluateScoreAndHVP(at: x, offset: xoff, direction: v, jet: &jet, workspace: &workspace)
            var vhv = 0.0, s2 = 0.0
            for i in 0..<d { vhv += v[i] * jet.hessianDirection[i]; s2 += jet.score[i] * jet.score[i] }
            let f = -lambda * vhv / (1 + lambda * s2)
            for i in 0..<d { acc[i] = f * jet.score[i] }
        case .conformal(let alpha):
            density.evaluateScore(at: x, offset: xoff, jet: &jet, workspace: &workspace)
            var sv = 0.0, vv = 0.0
            for i in 0..<d { sv += jet.score[i] * v[i]; vv += v[i] * v[i] }
            for i in 0..<d { acc[i] = alpha * sv * v[i] - 0.5 * alpha * vv * jet.score[i] }
        }
    }

    /// Pointwise quantities of the metric at x (for the metric endpoint).
    public struct PointEvaluation: Sendable, Equatable, Codable {
        /// log p(x).
        public var logDensity: Double
        /// s(x) = ∇log p(x).
        public var score: [Double]
        /// g(x), rows. Conformal entries are p^(−α) and may be +∞ far from the data; see `logDeterminant`.
        public var tensor: [[Double]]
        /// det g(x) (may overflow to +∞ for the conformal metric in high dimension).
        public var determinant: Double
        /// log det g(x), always finite.
        public var logDeterminant: Double
        /// √(vᵀ g(x) v) for the given vector, when one was given.
        public var norm: Double?
    }

    /// Evaluate log p, s, g, det g and optionally ‖v‖_g at x.
    /// det: Stein 1 + λ‖s‖² (matrix determinant lemma); conformal p^(−αd).
    func evaluate(at x: [Double], vector: [Double]?) -> PointEvaluation {
        let d = dimension
        var jet = Density.Jet(dimension: d)
        var ws = Density.Workspace(density: density)
        density.evaluateScore(at: x, jet: &jet, workspace: &ws)
        let s = jet.score
        var tensor = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        let logDet: Double
        switch spec {
        case .stein(let lambda):
            var s2 = 0.0
            for i in 0..<d {
                s2 += s[i] * s[i]
                for j in 0..<d { tensor[i][j] = (i == j ? 1 : 0) + lambda * s[i] * s[j] }
            }
            logDet = log1p(lambda * s2)
        case .conformal(let alpha):
            let c = exp(-alpha * jet.logDensity)
            for i in 0..<d { tensor[i][i] = c }
            logDet = -alpha * Double(d) * jet.logDensity
        }
        var norm: Double? = nil
        if let v = vector {
            switch spec {
            case .stein:
                norm = squaredNorm(v, jet: jet).squareRoot()
            case .conformal(let alpha):
                var vv = 0.0
                for t in v { vv += t * t }
                norm = exp(-0.5 * alpha * jet.logDensity) * vv.squareRoot()
            }
        }
        return PointEvaluation(logDensity: jet.logDensity, score: s, tensor: tensor,
                               determinant: exp(logDet), logDeterminant: logDet, norm: norm)
    }
}
