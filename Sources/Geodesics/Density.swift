import Foundation

/// A compiled density: a Gaussian mixture p(x) = Σ_k w_k N(x; μ_k, Σ_k) evaluated in the log domain.
///
/// A single Gaussian is one component; a KDE with bandwidth σ is n equal-weight components with
/// isotropic precision 1/σ². With u_k = P_k(μ_k − x) (P_k = Σ_k⁻¹), log-terms
/// ℓ_k = log w_k − ½ d log 2π − ½ log det Σ_k − ½ (μ_k − x)·u_k, responsibilities r_k = exp(ℓ_k − log p):
/// - log p = logsumexp_k ℓ_k (never underflows far from the data),
/// - s = ∇log p = Σ r_k u_k,
/// - H = ∇²log p = Σ r_k (u_k u_kᵀ − P_k) − s sᵀ,
/// - D_v H = Σ r_k [a_k (u_k u_kᵀ − P_k) + w_k u_kᵀ + u_k w_kᵀ] − (Hv)sᵀ − s(Hv)ᵀ,
///   with a_k = (u_k − s)·v and w_k = −P_k v (the third derivative contracted with v).
public struct Density: Sendable {
    public let dimension: Int
    let count: Int
    let logCoefficients: [Double]
    let means: [Double]            // count × d
    let precisions: [Double]       // count × d × d, empty when isotropic
    let isotropicPrecision: Double // 1/σ² when isotropic
    var isIsotropic: Bool { precisions.isEmpty }

    /// Compile and validate a density description. Field names in errors are prefixed with `field`.
    public init(_ spec: DensitySpec, limits: GeodesicLimits = .default, field: String = "density") throws {
        let ln2pi = log(2 * Double.pi)
        switch spec {
        case .gaussian(let mean, let covariance):
            let d = try Density.checkDimension(mean.count, field: "\(field).mean", limits: limits)
            try Density.checkVector(mean, field: "\(field).mean", limits: limits)
            let (p, logDet) = try Density.precision(covariance, d: d, field: "\(field).covariance")
            dimension = d; count = 1
            logCoefficients = [-0.5 * Double(d) * ln2pi - 0.5 * logDet]
            means = mean; precisions = p; isotropicPrecision = 0
        case .mixture(let components):
            guard !components.isEmpty else {
                throw GeodesicsError.invalidInput(field: "\(field).components", message: "at least one component is required")
            }
            guard components.count <= limits.maxComponents else {
                throw GeodesicsError.invalidInput(field: "\(field).components",
                                                  message: "at most \(limits.maxComponents) components are allowed, got \(components.count)")
            }
            let d = try Density.checkDimension(components[0].mean.count, field: "\(field).components[0].mean", limits: limits)
            var total = 0.0
            for (k, c) in components.enumerated() {
                guard c.weight.isFinite, c.weight > 0 else {
                    throw GeodesicsError.invalidInput(field: "\(field).components[\(k)].weight", message: "weight must be a finite number > 0")
                }
                total += c.weight
            }
            guard total.isFinite else {
                throw GeodesicsError.invalidInput(field: "\(field).components", message: "the sum of the weights is not finite")
            }
            var lc: [Double] = [], mu: [Double] = [], pr: [Double] = []
            for (k, c) in components.enumerated() {
                let f = "\(field).components[\(k)]"
                guard c.mean.count == d else {
                    throw GeodesicsError.invalidInput(field: "\(f).mean", message: "expected dimension \(d), got \(c.mean.count)")
                }
                try Density.checkVector(c.mean, field: "\(f).mean", limits: limits)
                let (p, logDet) = try Density.precision(c.covariance, d: d, field: "\(f).covariance")
                lc.append(log(c.weight / total) - 0.5 * Double(d) * ln2pi - 0.5 * logDet)
                mu += c.mean; pr += p
            }
            dimension = d; count = components.count
            logCoefficients = lc; means = mu; precisions = pr; isotropicPrecision = 0
        case .samples(let points, let bandwidth):
            guard !points.isEmpty else {
                throw GeodesicsError.invalidInput(field: "\(field).points", message: "at least one sample point is required")
            }
            guard points.count <= limits.maxSamples else {
                throw GeodesicsError.invalidInput(field: "\(field).points",
                                                  message: "at most \(limits.maxSamples) sample points are allowed, got \(points.count)")
            }
            guard bandwidth.isFinite, bandwidth > 0 else {
                throw GeodesicsError.invalidInput(field: "\(field).bandwidth", message: "bandwidth must be a finite number > 0")
            }
            let d = try Density.checkDimension(points[0].count, field: "\(field).points[0]", limits: limits)
            var mu: [Double] = []
            mu.reserveCapacity(points.count * d)
            for (i, x) in points.enumerated() {
                guard x.count == d else {
                    throw GeodesicsError.invalidInput(field: "\(field).points[\(i)]", message: "expected dimension \(d), got \(x.count)")
                }
                try Density.checkVector(x, field: "\(field).points[\(i)]", limits: limits)
                mu += x
            }
            let n = Double(points.count)
            dimension = d; count = points.count
            let c = -log(n) - 0.5 * Double(d) * ln2pi - Double(d) * log(bandwidth)
            logCoefficients = [Double](repeating: c, count: points.count)
            means = mu; precisions = []; isotropicPrecision = 1 / (bandwidth * bandwidth)
        }
    }

    static func checkDimension(_ d: Int, field: String, limits: GeodesicLimits) throws -> Int {
        guard d >= 1, d <= limits.maxDimension else {
            throw GeodesicsError.invalidInput(field: field, message: "dimension must be between 1 and \(limits.maxDimension), got \(d)")
        }
        return d
    }

    static func checkVector(_ x: [Double], field: String, limits: GeodesicLimits) throws {
        for (i, v) in x.enumerated() {
            guard v.isFinite, abs(v) <= limits.maxAbsCoordinate else {
                throw GeodesicsError.invalidInput(field: "\(field)[\(i)]", message: "must be a finite number with |value| ≤ \(limits.maxAbsCoordinate)")
            }
        }
    }

    /// Validate a covariance (d×d, finite, symmetric to 1e−10 relative, positive definite with
    /// condition number below ~1e14) and return (Σ⁻¹ row-major, log det Σ).
    static func precision(_ cov: [[Double]], d: Int, field: String) throws -> ([Double], Double) {
        guard cov.count == d else {
            throw GeodesicsError.invalidInput(field: field, message: "expected a \(d)×\(d) matrix, got \(cov.count) rows")
        }
        var a = [Double](repeating: 0, count: d * d)
        var scale = 0.0
        for i in 0..<d {
            guard cov[i].count == d else {
                throw GeodesicsError.invalidInput(field: "\(field)[\(i)]", message: "expected \(d) columns, got \(cov[i].count)")
            }
            for j in 0..<d {
                let v = cov[i][j]
                guard v.isFinite else {
                    throw GeodesicsError.invalidInput(field: "\(field)[\(i)][\(j)]", message: "must be a finite number")
                }
                a[i * d + j] = v
                scale = max(scale, abs(v))
            }
        }
        for i in 0..<d {
            for j in 0..<i where abs(a[i * d + j] - a[j * d + i]) > 1e-10 * scale {
                throw GeodesicsError.invalidInput(field: field, message: "covariance must be symmetric (entries [\(i)][\(j)] and [\(j)][\(i)] differ)")
            }
        }
        for i in 0..<d { for j in 0..<i { let v = 0.5 * (a[i * d + j] + a[j * d + i]); a[i * d + j] = v; a[j * d + i] = v } }
        guard let f = Cholesky(a, n: d), f.pivotRatio > 1e-7 else {
            throw GeodesicsError.invalidInput(field: field, message: "covariance must be symmetric positive definite (and not nearly singular)")
        }
        return (f.inverse(), f.logDeterminant)
    }

    // MARK: - Evaluation

    /// Local derivatives of log p at a point.
    struct Jet {
        var logDensity = 0.0
        var score: [Double]
        /// Row-major Hessian of log p (filled when requested).
        var hessian: [Double]
        /// D_v H for the requested direction v (filled when requested).
        var third: [Double]
        /// H v for the requested direction v.
        var hessianDirection: [Double]

        init(dimension d: Int) {
            score = [Double](repeating: 0, count: d)
            hessian = [Double](repeating: 0, count: d * d)
            third = [Double](repeating: 0, count: d * d)
            hessianDirection = [Double](repeating: 0, count: d)
        }
    }

    /// Scratch space for evaluations (reused to avoid allocation in solver loops).
    struct Workspace {
        var logTerms: [Double]
        var u: [Double]
        var r: [Double]
        var pv: [Double]
        init(density: Density) {
            logTerms = [Double](repeating: 0, count: density.count)
            u = [Double](repeating: 0, count: density.count * density.dimension)
            r = [Double](repeating: 0, count: density.count)
            pv = [Double](repeating: 0, count: density.dimension)
        }
    }

    /// Responsibilities below this are skipped in Hessian sums (their contribution is below rounding).
    static let responsibilityCutoff = 1e-22

    /// Fill log p and the score at x (and u_k, r_k in the workspace).
    func evaluateScore(at x: [Double], offset: Int = 0, jet: inout Jet, workspace ws: inout Workspace) {
        let d = dimension
        var best = -Double.infinity
        for k in 0..<count {
            let mo = k * d
            var q = 0.0
            if isIsotropic {
                for i in 0..<d {
                    let diff = means[mo + i] - x[offset + i]
                    let ui = isotropicPrecision * diff
                    ws.u[mo + i] = ui
                    q += diff * ui
                }
            } else {
                let po = k * d * d
                for j in 0..<d { ws.pv[j] = means[mo + j] - x[offset + j] }
                for i in 0..<d {
                    var ui = 0.0
                    let ro = po + i * d
                    for j in 0..<d { ui += precisions[ro + j] * ws.pv[j] }
                    ws.u[mo + i] = ui
                    q += ws.pv[i] * ui
                }
            }
            let l = logCoefficients[k] - 0.5 * q
            ws.logTerms[k] = l
            if l > best { best = l }
        }
        // r_k = e^(l_k − best) / Σ_j e^(l_j − best): one exponential per component.
        var sum = 0.0
        for k in 0..<count {
            let e = exp(ws.logTerms[k] - best)
            ws.r[k] = e
            sum += e
        }
        jet.logDensity = best + log(sum)
        let inv = 1 / sum
        for i in 0..<d { jet.score[i] = 0 }
        for k in 0..<count {
            let r = ws.r[k] * inv
            ws.r[k] = r
            if r < Density.responsibilityCutoff { continue }
            let mo = k * d
            for i in 0..<d { jet.score[i] += r * ws.u[mo + i] }
        }
    }

    /// Score plus H v (without forming H): Hv = Σ r_k (u_k (u_k·v) − P_k v) − s (s·v).
    func evaluateScoreAndHVP(at x: [Double], offset: Int = 0, direction v: [Double],
                             jet: inout Jet, workspace ws: inout Workspace) {
        evaluateScore(at: x, offset: offset, jet: &jet, workspace: &ws)
        let d = dimension
        for i in 0..<d { jet.hessianDirection[i] = 0 }
        var sv = 0.0
        for i in 0..<d { sv += jet.score[i] * v[i] }
        for k in 0..<count {
            let r = ws.r[k]
            if r < Density.responsibilityCutoff { continue }
            let mo = k * d
            var uv = 0.0
            for i in 0..<d { uv += ws.u[mo + i] * v[i] }
            if isIsotropic {
                for i in 0..<d { jet.hessianDirection[i] += r * (ws.u[mo + i] * uv - isotropicPrecision * v[i]) }
            } else {
                let po = k * d * d
                for i in 0..<d {
                    var pvi = 0.0
                    for j in 0..<d { pvi += precisions[po + i * d + j] * v[j] }
                    jet.hessianDirection[i] += r * (ws.u[mo + i] * uv - pvi)
                }
            }
        }
        for i in 0..<d { jet.hessianDirection[i] -= jet.score[i] * sv }
    }

    /// Score, full Hessian, and (when `direction` is given) H v and D_v H.
    func evaluateFull(at x: [Double], offset: Int = 0, direction v: [Double]?,
                      jet: inout Jet, workspace ws: inout Workspace) {
        evaluateScore(at: x, offset: offset, jet: &jet, workspace: &ws)
        let d = dimension, dd = d * d
        let s = jet.score
        for t in 0..<dd { jet.hessian[t] = 0 }
        for k in 0..<count {
            let r = ws.r[k]
            if r < Density.responsibilityCutoff { continue }
            let mo = k * d
            for i in 0..<d {
                let rui = r * ws.u[mo + i]
                for j in 0...i { jet.hessian[i * d + j] += rui * ws.u[mo + j] }
            }
            if isIsotropic {
                for i in 0..<d { jet.hessian[i * d + i] -= r * isotropicPrecision }
            } else {
                let po = k * dd
                for i in 0..<d { for j in 0...i { jet.hessian[i * d + j] -= r * precisions[po + i * d + j] } }
            }
        }
        for i in 0..<d {
            for j in 0...i {
                let v = jet.hessian[i * d + j] - s[i] * s[j]
                jet.hessian[i * d + j] = v
                jet.hessian[j * d + i] = v
            }
        }
        guard let v = v else { return }
        for i in 0..<d {
            var hv = 0.0
            for j in 0..<d { hv += jet.hessian[i * d + j] * v[j] }
            jet.hessianDirection[i] = hv
        }
        var sv = 0.0
        for i in 0..<d { sv += s[i] * v[i] }
        for t in 0..<dd { jet.third[t] = 0 }
        for k in 0..<count {
            let r = ws.r[k]
            if r < Density.responsibilityCutoff { continue }
            let mo = k * d
            var uv = 0.0
            for i in 0..<d { uv += ws.u[mo + i] * v[i] }
            let a = r * (uv - sv)
            // w_k = −P_k v
            if isIsotropic {
                for i in 0..<d { ws.pv[i] = -isotropicPrecision * v[i] }
            } else {
                let po = k * dd
                for i in 0..<d {
                    var t = 0.0
                    for j in 0..<d { t += precisions[po + i * d + j] * v[j] }
                    ws.pv[i] = -t
                }
            }
            for i in 0..<d {
                let ui = ws.u[mo + i], wi = ws.pv[i]
                for j in 0...i {
                    let uj = ws.u[mo + j], wj = ws.pv[j]
                    jet.third[i * d + j] += a * ui * uj + r * (wi * uj + ui * wj)
                }
            }
            if isIsotropic {
                for i in 0..<d { jet.third[i * d + i] -= a * isotropicPrecision }
            } else {
                let po = k * dd
                for i in 0..<d { for j in 0...i { jet.third[i * d + j] -= a * precisions[po + i * d + j] } }
            }
        }
        let hv = jet.hessianDirection
        for i in 0..<d {
            for j in 0...i {
                let t = jet.third[i * d + j] - hv[i] * s[j] - s[i] * hv[j]
                jet.third[i * d + j] = t
                jet.third[j * d + i] = t
            }
        }
    }

    /// Standard deviation of component k along each axis, √(Σ_ii) (the bandwidth for a sample density).
    func standardDeviations(component k: Int) -> [Double] {
        let d = dimension
        if isIsotropic { return [Double](repeating: 1 / isotropicPrecision.squareRoot(), count: d) }
        let p = Array(precisions[(k * d * d)..<((k + 1) * d * d)])
        guard let f = Cholesky(p, n: d) else { return [Double](repeating: 0, count: d) }
        let cov = f.inverse()
        return (0..<d).map { cov[$0 * d + $0].squareRoot() }
    }

    /// A point that summarises where the mass is (component means, for plotting and grids).
    func meanPoints() -> [[Double]] {
        (0..<count).map { k in Array(means[(k * dimension)..<((k + 1) * dimension)]) }
    }
}
