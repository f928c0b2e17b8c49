import Foundation

/// Which inequalities a distribution satisfies the hypotheses of, with the parameters each needs,
/// and their evaluation for one event. Bounds on a sample mean X̄ = S/n are applied to the sum S
/// with deviation n·t (`scale` = n), which is how their statements are written.
///
/// Conventions (see notes/bounds.md): Bernoulli summands use the range [0, 1] for Hoeffding and
/// M = max(p, 1 − p) for Bernstein/Bennett; Poisson uses V = λ, M = 1 (valid through the Poisson MGF);
/// Chernoff uses δ = t/μ on the sum; a uniform law on a sub-interval of [0, 1] counts as a [0, 1]
/// summand for Chernoff and the KL form; an exponential is bounded below, so Bernstein/Bennett apply
/// to its lower tail with M = θ (the mean).
struct BoundModel: Sendable {
    struct Trials: Sendable { let mu: Double; let scale: Double }
    struct KL: Sendable { let count: Double; let p: Double; let scale: Double }
    struct Range: Sendable { let count: Double; let width: Double; let scale: Double }
    struct Variance: Sendable { let v: Double; let m: Double; let scale: Double }

    let mean: Double
    let variance: Double
    let nonNegative: Bool
    var weakLaw: (baseVariance: Double, n: Double)?
    var trials: Trials?
    var kl: KL?
    var hoeffding: Range?
    var bernsteinUpper: Variance?
    var bernsteinLower: Variance?
    var gaussianVariance: Double?
    var exponential: (theta: Double, n: Double)?

    init(_ distribution: Distribution) {
        mean = distribution.mean
        variance = distribution.variance
        nonNegative = distribution.isNonNegative
        let base: Distribution
        let n: Double
        if case .sampleMean(let inner, let count) = distribution {
            base = inner
            n = Double(count)
            weakLaw = (inner.variance, n)
        } else {
            base = distribution
            n = 1
        }
        switch base {
        case .binomial(let m, let p):
            let count = n * Double(m)
            if p > 0 { trials = Trials(mu: count * p, scale: n) }
            if p > 0 && p < 1 { kl = KL(count: count, p: p, scale: n) }
            hoeffding = Range(count: count, width: 1, scale: n)
            let b = Variance(v: count * p * (1 - p), m: max(p, 1 - p), scale: n)
            bernsteinUpper = b
            bernsteinLower = b
        case .poisson(let lambda):
            trials = Trials(mu: n * lambda, scale: n)
            let b = Variance(v: n * lambda, m: 1, scale: n)
            bernsteinUpper = b
            bernsteinLower = b
        case .normal(_, let sd):
            gaussianVariance = sd * sd / n
        case .exponential(let rate):
            let theta = 1 / rate
            exponential = (theta, n)
            bernsteinLower = Variance(v: n * theta * theta, m: theta, scale: n)
        case .uniform(let a, let b):
            let width = b - a
            hoeffding = Range(count: n, width: width, scale: n)
            let bv = Variance(v: n * width * width / 12, m: width / 2, scale: n)
            bernsteinUpper = bv
            bernsteinLower = bv
            if a >= 0 && b <= 1 {
                let m = base.mean
                if m > 0 { trials = Trials(mu: n * m, scale: n) }
                if m > 0 && m < 1 { kl = KL(count: n, p: m, scale: n) }
            }
        case .sampleMean:
            break
        }
    }

    /// One bound as applied in a comparison.
    struct Evaluation: Sendable {
        let name: String
        let form: String?
        let raw: Double
        let valid: Bool
        let statement: String
        let reason: String?
    }

    /// Every bound whose formula can be applied to the event (valid ones, plus simplified Chernoff
    /// forms outside their range, marked invalid). `threshold` is the deviation for `twoSided`.
    func evaluate(_ tail: Tail, _ threshold: Double) -> [Evaluation] {
        let t: Double
        switch tail {
        case .upper: t = threshold - mean
        case .lower: t = mean - threshold
        case .twoSided: t = threshold
        }
        return evaluate(tail, threshold: threshold, deviation: t)
    }

    /// The same with the deviation t given (computed exactly by the caller).
    func evaluate(_ tail: Tail, threshold: Double, deviation t: Double) -> [Evaluation] {
        var out: [Evaluation] = []
        func add(_ name: String, _ form: String? = nil, _ raw: Double, _ statement: String,
                 valid: Bool = true, reason: String? = nil) {
            out.append(Evaluation(name: name, form: form, raw: raw, valid: valid, statement: statement, reason: reason))
        }
        if nonNegative && tail == .upper && threshold > 0 {
            add("markov", nil, BoundFormula.markov(mean: mean, threshold: threshold), Markov.statement.text)
        }
        guard t > 0 else { return out }

        add("chebyshev", nil, BoundFormula.chebyshev(variance: variance, deviation: t), Chebyshev.deviationStatement.text)
        if tail != .twoSided {
            add("cantelli", nil, BoundFormula.cantelli(variance: variance, deviation: t), Cantelli.statement(tail).text)
        }
        if let w = weakLaw {
            add("wlln", nil, BoundFormula.weakLaw(variance: w.baseVariance, n: w.n, epsilon: t), WeakLaw.statement.text)
        }
        if let c = trials { chernoff(c, tail, t, add) }
        if let k = kl { klForm(k, tail, t, add) }
        if let g = gaussianVariance {
            let one = BoundFormula.gaussianMGF(variance: g, deviation: t)
            add("chernoff", "mgf", tail == .twoSided ? 2 * one : one,
                (tail == .twoSided ? "P(|X − μ| ≥ t) ≤ 2·" : "P(X − μ ≥ t) ≤ ") + "exp(−t²/(2σ²)) (Gaussian MGF)")
        }
        if let e = exponential { exponentialForm(e.theta, e.n, tail, t, threshold, add) }
        if let h = hoeffding {
            let one = BoundFormula.hoeffding(count: h.count, width: h.width, deviation: h.scale * t)
            add("hoeffding", nil, tail == .twoSided ? 2 * one : one, Hoeffding.statement(tail).text)
        }
        let sides: (Variance?, Variance?)
        switch tail {
        case .upper: sides = (bernsteinUpper, nil)
        case .lower: sides = (nil, bernsteinLower)
        case .twoSided: sides = (bernsteinUpper, bernsteinLower)
        }
        if (tail == .twoSided && sides.0 != nil && sides.1 != nil) || (tail != .twoSided && (sides.0 ?? sides.1) != nil) {
            let parts = [sides.0, sides.1].compactMap { $0 }
            let bern = parts.reduce(0) { $0 + BoundFormula.bernstein(varianceSum: $1.v, maxDeviation: $1.m, deviation: $1.scale * t) }
            let benn = parts.reduce(0) { $0 + BoundFormula.bennett(varianceSum: $1.v, maxDeviation: $1.m, deviation: $1.scale * t) }
            add("bernstein", nil, bern, Bernstein.statement(tail).text)
            add("bennett", nil, benn, Bennett.statement(tail).text)
        }
        return out
    }

    private func chernoff(_ c: Trials, _ tail: Tail, _ t: Double,
                          _ add: (String, String?, Double, String, Bool, String?) -> Void) {
        let ts = c.scale * t
        let delta = ts / c.mu
        let mu = c.mu
        switch tail {
        case .upper:
            add("chernoff", "exact", BoundFormula.chernoffUpperExact(mu: mu, deviation: ts), Chernoff.upperExact.text, true, nil)
            if delta <= 1 {
                add("chernoff", "simplified", BoundFormula.chernoffUpperThird(mu: mu, delta: delta), Chernoff.upperThird.text, true, nil)
            } else {
                add("chernoff", "simplified", BoundFormula.chernoffUpperWide(mu: mu, delta: delta), Chernoff.upperWide.text, true, nil)
                add("chernoff", "simplified", BoundFormula.chernoffUpperThird(mu: mu, delta: delta), Chernoff.upperThird.text,
                    false, "exp(−δ²μ/3) is proved only for δ ≤ 1; here δ = \(delta)")
            }
            let r = mu + ts
            if r >= 6 * mu {
                add("chernoff", "power2", exp2(-r), Chernoff.upperPower2.text, true, nil)
            }
        case .lower:
            guard delta <= 1 else { return }
            add("chernoff", "exact", BoundFormula.chernoffLowerExact(mu: mu, delta: delta), Chernoff.lowerExact.text, true, nil)
            add("chernoff", "simplified", BoundFormula.chernoffLowerHalf(mu: mu, delta: delta), Chernoff.lowerHalf.text, true, nil)
        case .twoSided:
            let lowerPart = delta <= 1 ? BoundFormula.chernoffLowerExact(mu: mu, delta: delta) : 0
            add("chernoff", "exact", BoundFormula.chernoffUpperExact(mu: mu, deviation: ts) + lowerPart,
                Chernoff.twoSidedExact.text, true, nil)
            let third = 2 * BoundFormula.chernoffUpperThird(mu: mu, delta: delta)
            if delta < 1 {
                add("chernoff", "simplified", third, Chernoff.twoSidedThird.text, true, nil)
            } else {
                add("chernoff", "simplified", third, Chernoff.twoSidedThird.text, false,
                    "2·exp(−δ²μ/3) is proved only for 0 < δ < 1; here δ = \(delta)")
            }
        }
    }

    private func klForm(_ k: KL, _ tail: Tail, _ t: Double,
                        _ add: (String, String?, Double, String, Bool, String?) -> Void) {
        // Fraction of the sum's range reached: q = (E[S] ± s)/N with s = scale·t.
        let s = k.scale * t
        func upper() -> Double {
            let q = (k.count * k.p + s) / k.count
            if q > 1 { return 0 }
            return exp(-k.count * BoundFormula.bernoulliKL(q, k.p))
        }
        func lower() -> Double {
            let q = (k.count * k.p - s) / k.count
            if q < 0 { return 0 }
            return exp(-k.count * BoundFormula.bernoulliKL(q, k.p))
        }
        let text = "P(S/N ≥ q) ≤ exp(−N·D(q‖p)) for p < q ≤ 1 (lower tail: q < p), D the Bernoulli KL divergence"
        switch tail {
        case .upper: add("chernoff", "kl", upper(), text, true, nil)
        case .lower: add("chernoff", "kl", lower(), text, true, nil)
        case .twoSided: add("chernoff", "kl", upper() + lower(), text, true, nil)
        }
    }

    private func exponentialForm(_ theta: Double, _ n: Double, _ tail: Tail, _ t: Double, _ threshold: Double,
                                 _ add: (String, String?, Double, String, Bool, String?) -> Void) {
        let text = "P(X̄ ≥ a) ≤ [(a/θ)·e^(1−a/θ)]^n for a > θ (the same expression bounds P(X̄ ≤ a) for a < θ)"
        // One-sided: a/θ from the threshold itself (θ − t would lose a small threshold).
        let up = BoundFormula.exponentialMGF(ratio: tail == .twoSided ? 1 + t / theta : threshold / theta, n: n)
        let low = BoundFormula.exponentialMGF(ratio: tail == .twoSided ? 1 - t / theta : threshold / theta, n: n)
        switch tail {
        case .upper: add("chernoff", "mgf", up, text, true, nil)
        case .lower: add("chernoff", "mgf", low, text, true, nil)
        case .twoSided: add("chernoff", "mgf", up + low, text, true, nil)
        }
    }
}
