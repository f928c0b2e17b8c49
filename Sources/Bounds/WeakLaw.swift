/// Weak law of large numbers through Chebyshev: for X₁ … X_n pairwise uncorrelated with common mean
/// μ and Var X_i ≤ σ², the mean M_n satisfies P(|M_n − μ| ≥ ε) ≤ σ²/(n·ε²) → 0.
public struct WeakLaw: BoundCalculator {
    public static let name = "wlln"
    public var variance: Double?
    public var n: Double?
    public var epsilon: Double?

    public init(variance: Double?, n: Double?, epsilon: Double?) {
        self.variance = variance
        self.n = n
        self.epsilon = epsilon
    }

    public static let statement = Statement(
        text: "P(|M_n − μ| ≥ ε) ≤ σ²/(n·ε²), M_n = (X₁ + … + X_n)/n",
        latex: #"\Pr\left(\left|\frac{1}{n}\sum_{i=1}^n X_i - \mu\right| \ge \varepsilon\right) \le \frac{\sigma^2}{n\varepsilon^2}"#)

    public static let assumptions = [
        "X₁, …, X_n pairwise uncorrelated (e.g. i.i.d.)",
        "common mean μ",
        "Var X_i ≤ σ² < ∞",
    ]

    /// Largest accepted n.
    public static let maxN = 1_000_000_000_000_000

    public func evaluate() throws(BoundsError) -> BoundResult {
        let v = FieldValidator()
        let sigma2 = try v.nonNegative(variance, "variance")
        let count = try v.integer(n, "n", minimum: 1, maximum: Self.maxN)
        let eps = try v.positive(epsilon, "epsilon")
        return BoundResult(
            name: Self.name, raw: BoundFormula.weakLaw(variance: sigma2, n: Double(count), epsilon: eps),
            statement: Self.statement, assumptions: Self.assumptions,
            parameters: ["variance": .number(sigma2), "n": .number(Double(count)), "epsilon": .number(eps)])
    }
}
