import Foundation

/// The discretised curve energy of a polyline x_0 = a, x_1, …, x_N = b on t ∈ [0, 1], h = 1/N:
///
///   E_h = (1/2h) Σ_i Σ_q w_q Δ_iᵀ g(m_iq) Δ_i,   Δ_i = x_{i+1} − x_i,   m_iq = x_i + θ_q Δ_i,
///
/// with two-point Gauss–Legendre nodes θ = ½ ∓ 1/(2√3), w = ½ (the curve error stays O(h²), but the midpoint
/// rule lets long segments "jump" across sharp ridges of a Stein metric where s(m) ⊥ Δ, and its
/// discrete minimisers then undershoot the length badly in high dimension).
///
/// Per segment e(m, Δ), with q = s(m)·Δ:
/// - Stein: e = (‖Δ‖² + λq²)/2h; e_m = (λ/h) q HΔ; e_Δ = (Δ + λ q s)/h;
///   E_mm = (λ/h)(HΔ(HΔ)ᵀ + q D_ΔH); E_mΔ = (λ/h)(HΔ sᵀ + qH); E_ΔΔ = (I + λ s sᵀ)/h.
/// - Conformal (c = p^(−α)·e^(−shift), ∇c = −αc s, ∇²c = c(α² s sᵀ − αH)):
///   e = c‖Δ‖²/2h; e_m = ‖Δ‖²∇c/2h; e_Δ = cΔ/h; E_mm = ‖Δ‖²∇²c/2h; E_mΔ = ∇c Δᵀ/h; E_ΔΔ = cI/h.
/// With ∂m/∂x_i = (1 − θ)I, ∂m/∂x_{i+1} = θI, ∂Δ/∂x_i = −I, ∂Δ/∂x_{i+1} = I the node gradient and
/// the exact block-tridiagonal Hessian follow by the chain rule (see `assemble`). `logShift` rescales
/// the conformal factor so that p^(−α) never overflows; energies are then in units of e^(logShift).
struct DiscreteCurveEnergy {
    let metric: RiemannianMetric
    let segments: Int
    let logShift: Double
    var d: Int { metric.dimension }
    var h: Double { 1 / Double(segments) }

    private var jet: Density.Jet
    private var ws: Density.Workspace
    private var mid: [Double]
    private var delta: [Double]

    init(metric: RiemannianMetric, segments: Int, logShift: Double) {
        self.metric = metric
        self.segments = segments
        self.logShift = logShift
        jet = Density.Jet(dimension: metric.dimension)
        ws = Density.Workspace(density: metric.density)
        mid = [Double](repeating: 0, count: metric.dimension)
        delta = [Double](repeating: 0, count: metric.dimension)
    }

    /// Gauss–Legendre nodes on [0, 1] and weights.
    static let theta = [0.5 - 0.5 / 3.0.squareRoot(), 0.5 + 0.5 / 3.0.squareRoot()]
    static let weight = [0.5, 0.5]

    private mutating func loadSegment(_ x: [Double], _ i: Int, _ theta: Double) {
        let d = self.d
        for k in 0..<d {
            let p = x[i * d + k], q = x[(i + 1) * d + k]
            mid[k] = p + theta * (q - p)
            delta[k] = q - p
        }
    }

    /// Per-segment metric lengths √(Δᵀg(m)Δ) (midpoint rule), in units of e^(logShift/2) for conformal.
    mutating func segmentLengths(_ x: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: segments)
        for i in 0..<segments {
            for q in 0..<2 {
                loadSegment(x, i, DiscreteCurveEnergy.theta[q])
                metric.density.evaluateScore(at: mid, jet: &jet, workspace: &ws)
                out[i] += DiscreteCurveEnergy.weight[q] * metric.squaredNorm(delta, jet: jet, logShift: logShift).squareRoot()
            }
        }
        return out
    }

    /// E_h of the full node array x ((N+1)·d).
    mutating func energy(_ x: [Double]) -> Double {
        var e = 0.0
        for i in 0..<segments {
            for q in 0..<2 {
                loadSegment(x, i, DiscreteCurveEnergy.theta[q])
                metric.density.evaluateScore(at: mid, jet: &jet, workspace: &ws)
                e += DiscreteCurveEnergy.weight[q] * metric.squaredNorm(delta, jet: jet, logShift: logShift)
            }
        }
        return e * 0.5 * Double(segments)
    }

    /// Energy, gradient w.r.t. interior nodes ((N−1)·d), and the exact Hessian as block-tridiagonal
    /// diagonal ((N−1)·d²) and super-diagonal ((N−2)·d²) blocks.
    mutating func assemble(_ x: [Double], gradient g: inout [Double], diagonal: inout [Double], upper: inout [Double]) -> Double {
        let d = self.d, dd = d * d, n = segments
        let invh = Double(n)
        for t in g.indices { g[t] = 0 }
        for t in diagonal.indices { diagonal[t] = 0 }
        for t in upper.indices { upper[t] = 0 }
        var emm = [Double](repeating: 0, count: dd)
        var emd = [Double](repeating: 0, count: dd)
        var edd = [Double](repeating: 0, count: dd)
        var em = [Double](repeating: 0, count: d)
        var ed = [Double](repeating: 0, count: d)
        var energy = 0.0
        for i in 0..<n {
          for qp in 0..<2 {
            let th = DiscreteCurveEnergy.theta[qp], w = DiscreteCurveEnergy.weight[qp]
            let ta = 1 - th, tb = th
            loadSegment(x, i, th)
            switch metric.spec {
            case .stein(let lambda):
                metric.density.evaluateFull(at: mid, direction: delta, jet: &jet, workspace: &ws)
                let s = jet.score, hd = jet.hessianDirection
                var q = 0.0, dd2 = 0.0
                for k in 0..<d { q += s[k] * delta[k]; dd2 += delta[k] * delta[k] }
                energy += w * (dd2 + lambda * q * q)
                let c = w * lambda * invh
                let wh = w * invh
                for r in 0..<d {
                    em[r] = c * q * hd[r]
                    ed[r] = wh * delta[r] + c * q * s[r]
                    for col in 0..<d {
                        emm[r * d + col] = c * (hd[r] * hd[col] + q * jet.third[r * d + col])
                        emd[r * d + col] = c * (hd[r] * s[col] + q * jet.hessian[r * d + col])
                        edd[r * d + col] = c * s[r] * s[col] + (r == col ? wh : 0)
                    }
                }
            case .conformal(let alpha):
                metric.density.evaluateFull(at: mid, direction: nil, jet: &jet, workspace: &ws)
                let s = jet.score
                let cf = w * exp(-alpha * jet.logDensity - logShift)
                var dd2 = 0.0
                for k in 0..<d { dd2 += delta[k] * delta[k] }
                energy += cf * dd2
                let half = 0.5 * dd2 * invh
                for r in 0..<d {
                    let gr = -alpha * cf * s[r]
                    em[r] = half * gr
                    ed[r] = cf * invh * delta[r]
                    for col in 0..<d {
                        emm[r * d + col] = half * cf * (alpha * alpha * s[r] * s[col] - alpha * jet.hessian[r * d + col])
                        emd[r * d + col] = invh * gr * delta[col]
                        edd[r * d + col] = r == col ? cf * invh : 0
                    }
                }
            }
            // Node i (if interior): block index i−1; node i+1 (if interior): block index i.
            if i >= 1 {
                let b = i - 1
                for r in 0..<d {
                    g[b * d + r] += ta * em[r] - ed[r]
                    for col in 0..<d {
                        diagonal[b * dd + r * d + col] += ta * ta * emm[r * d + col]
                            - ta * (emd[r * d + col] + emd[col * d + r]) + edd[r * d + col]
                    }
                }
            }
            if i + 1 <= n - 1 {
                let b = i
                for r in 0..<d {
                    g[b * d + r] += tb * em[r] + ed[r]
                    for col in 0..<d {
                        diagonal[b * dd + r * d + col] += tb * tb * emm[r * d + col]
                            + tb * (emd[r * d + col] + emd[col * d + r]) + edd[r * d + col]
                    }
                }
            }
            if i >= 1 && i + 1 <= n - 1 {
                let b = i - 1
                for r in 0..<d {
                    for col in 0..<d {
                        upper[b * dd + r * d + col] += ta * tb * emm[r * d + col] + ta * emd[r * d + col]
                            - tb * emd[col * d + r] - edd[r * d + col]
                    }
                }
            }
          }
        }
        return energy * 0.5 * invh
    }
}
