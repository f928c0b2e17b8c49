/// Chebyshev's inequality: for Var X = σ² < ∞ and t > 0, P(|X − μ| ≥ t) ≤ σ²/t²;
/// in k-form, P(|X − μ| ≥ kσ) ≤ 1/k² (informative only for k > 1). Give either `k` or `deviation`.
public struct Chebyshev: BoundCalculator {
    public static let name = "chebyshev"
    public var variance: Double?
    public var k: Double?
    public var deviation: Double?

    public init(variance: Double?, k: Double? = nil, deviation: Double? = nil) {
        self.variance = variance
        self.k = k
        self.deviation = deviation
    }

    public static let deviationStatement = Statement(
        text: "P(|X − μ| ≥ t) ≤ σ²/t² for t > 0",
        latex: #"\Pr(|X - \mu| \ge t) \le \frac{\sigma^2}{t^2}"#)

    public static let kStatement = Statement(
        text: "P(|X − μ| ≥ kσ) ≤ 1/k² for k > 0",
        latex: #"\Pr(|X - \mu| \ge k\sigma) \le \frac{1}{k^2}"#)

    public static let assumptions = [
        "the variance σ² = Var X is finite",
        "μ = E[X]",
        "two-sided: it also bounds either one-sided tail (halving it is valid only for symmetric distributions)",
    ]

    public func evaluate() throws(BoundsError) -> BoundResult {
        let v = FieldValidator()
        let sigma2 = try v.nonNegative(variance, "variance")
        switch (k, deviation) {
        case (.some, .some):
            throw v.fail("k", "give either k or deviation, not both")
        case (.none, .none):
            throw v.fail("deviation", "is required (or give k)")
        case (.some(let kValue), .none):
            let kk = try v.number(kValue, "k")
            guard kk > 0 else { throw v.fail("k", "must be > 0") }
            guard kk >= FieldValidator.minPositive else { throw v.fail("k", "must be at least 1e-100") }
            var notes: [String] = []
            if kk <= 1 { notes.append("uninformative: k ≤ 1") }
            if sigma2 == 0 { notes.append("σ² = 0: X equals its mean almost surely, so the probability is 0") }
            return BoundResult(
                name: Self.name, raw: 1 / (kk * kk), statement: Self.kStatement,
                assumptions: Self.assumptions,
                parameters: ["variance": .number(sigma2), "k": .number(kk)], notes: notes)
        case (.none, .some(let tValue)):
            let t = try v.positive(tValue, "deviation")
            var notes: [String] = []
            if t * t <= sigma2 { notes.append("uninformative: the deviation does not exceed σ") }
            return BoundResult(
                name: Self.name, raw: BoundFormula.chebyshev(variance: sigma2, deviation: t),
                statement: Self.deviationStatement, assumptions: Self.assumptions,
                parameters: ["variance": .number(sigma2), "deviation": .number(t)], notes: notes)
        }
    }
}
