import Foundation

/// The formulas themselves, shared by the single-bound calculators, the comparison and the plot.
/// Each returns the raw (unclamped) right-hand side; hypotheses are checked by the callers.
enum BoundFormula {
    /// Markov: P(X ≥ a) ≤ E[X]/a for X ≥ 0, a > 0.
    static func markov(mean: Double, threshold a: Double) -> Double { mean / a }

    /// Chebyshev: P(|X − μ| ≥ t) ≤ σ²/t².
    static func chebyshev(variance: Double, deviation t: Double) -> Double { variance / (t * t) }

    /// Cantelli: P(X − μ ≥ t) ≤ σ²/(σ² + t²) (and the same for P(X − μ ≤ −t)).
    static func cantelli(variance: Double, deviation t: Double) -> Double { variance / (variance + t * t) }

    /// Weak law via Chebyshev: P(|X̄_n − μ| ≥ ε) ≤ σ²/(n·ε²).
    static func weakLaw(variance: Double, n: Double, epsilon: Double) -> Double { variance / (n * epsilon * epsilon) }

    /// h(u) = (1+u)·ln(1+u) − u for u ≥ −1, as the deviance D(1+u, 1) (no cancellation near 0).
    static func bennettH(_ u: Double) -> Double {
        if u <= -1 { return 1 }
        return Loader.deviance(1 + u, 1, deviation: u)
    }

    /// Kullback–Leibler divergence D(q‖p) = q·ln(q/p) + (1−q)·ln((1−q)/(1−p)) of Bernoulli laws,
    /// as a sum of two deviances (each ≥ 0, no cancellation when q ≈ p).
    static func bernoulliKL(_ q: Double, _ p: Double) -> Double {
        if q <= 0 { return -log1p(-p) }
        if q >= 1 { return -log(p) }
        return Loader.deviance(q, p, deviation: q - p) + Loader.deviance(1 - q, 1 - p, deviation: p - q)
    }

    /// μ·h(t/μ) for μ ≥ 0, t > 0, without overflow: for δ = t/μ ≥ 1e15 (or infinite),
    /// μ·h(δ) = t·(ln δ − 1) + μ·ln δ + O(μ/δ), with ln δ = ln t − ln μ.
    static func muTimesH(mu: Double, deviation t: Double) -> Double {
        let delta = t / mu
        if delta.isFinite && delta < 1e15 { return mu * bennettH(delta) }
        let logDelta = log(t) - log(mu)
        return t * (logDelta - 1) + (mu > 0 ? mu * logDelta : 0)
    }

    /// Chernoff upper, exact form: P(X ≥ (1+δ)μ) ≤ [e^δ/(1+δ)^(1+δ)]^μ = exp(−μ·h(δ)).
    static func chernoffUpperExact(mu: Double, delta: Double) -> Double {
        exp(-muTimesH(mu: mu, deviation: mu * delta))
    }

    /// The same with the deviation t = δμ given (δ may overflow when μ is tiny).
    static func chernoffUpperExact(mu: Double, deviation t: Double) -> Double {
        exp(-muTimesH(mu: mu, deviation: t))
    }

    /// exp(−δ²μ/3): a bound only for 0 < δ ≤ 1 (formed as (δμ)·δ/3 to avoid overflow).
    static func chernoffUpperThird(mu: Double, delta: Double) -> Double { exp(-(delta * mu) * delta / 3) }

    /// exp(−δ²μ/(2+δ)): a bound for every δ > 0 (from ln(1+δ) ≥ 2δ/(2+δ)).
    static func chernoffUpperWide(mu: Double, delta: Double) -> Double {
        exp(-(delta * mu) * (delta.isFinite ? delta / (2 + delta) : 1))
    }

    /// Chernoff lower, exact form: P(X ≤ (1−δ)μ) ≤ [e^(−δ)/(1−δ)^(1−δ)]^μ = exp(−μ·h(−δ)), 0 < δ ≤ 1.
    static func chernoffLowerExact(mu: Double, delta: Double) -> Double { exp(-mu * bennettH(-delta)) }

    /// exp(−δ²μ/2): the lower-tail simplification, 0 < δ ≤ 1.
    static func chernoffLowerHalf(mu: Double, delta: Double) -> Double { exp(-(delta * mu) * delta / 2) }

    /// Hoeffding for a sum of `count` independent terms each in an interval of the given width:
    /// P(S − E[S] ≥ t) ≤ exp(−2t²/(count·width²)).
    static func hoeffding(count: Double, width: Double, deviation t: Double) -> Double {
        exp(-2 * t * t / (count * width * width))
    }

    /// Bernstein: P(S − E[S] ≥ t) ≤ exp(−(t²/2)/(V + M·t/3)).
    static func bernstein(varianceSum v: Double, maxDeviation m: Double, deviation t: Double) -> Double {
        exp(-(t * t / 2) / (v + m * t / 3))
    }

    /// Bennett: P(S − E[S] ≥ t) ≤ exp(−(V/M²)·h(M·t/V)); the limit V → 0 is 0.
    static func bennett(varianceSum v: Double, maxDeviation m: Double, deviation t: Double) -> Double {
        if v == 0 { return 0 }
        // (V/M²)·h(Mt/V) = μ'·h(t'/μ') with μ' = V/M², t' = t/M.
        return exp(-muTimesH(mu: v / (m * m), deviation: t / m))
    }

    /// Gaussian MGF bound: P(X − μ ≥ t) ≤ exp(−t²/(2σ²)).
    static func gaussianMGF(variance: Double, deviation t: Double) -> Double { exp(-t * t / (2 * variance)) }

    /// Exponential / Gamma MGF bound for the mean of n i.i.d. exponentials with mean θ:
    /// P(X̄ ≥ a) ≤ [(a/θ)·e^(1−a/θ)]^n for a > θ, and the same expression bounds P(X̄ ≤ a) for a < θ.
    static func exponentialMGF(ratio r: Double, n: Double) -> Double {
        if r <= 0 { return 0 }
        return exp(n * (log(r) + 1 - r))
    }
}
