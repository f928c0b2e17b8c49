/// Cantelli's (one-sided Chebyshev) inequality: for Var X = σ² < ∞ and t > 0,
/// P(X − μ ≥ t) ≤ σ²/(σ² + t²), and the same bound for P(X − μ ≤ −t). Always < 1; tight for a
/// two-point law.
public struct Cantelli: BoundCalculator {
    public static let name = "cantelli"
    public var variance: Double?
    public var deviation: Double?
    /// `upper` (default) or `lower`.
    public var tail: String?

    public init(variance: Double?, deviation: Double?, tail: String? = nil) {
        self.variance = variance
        self.deviation = deviation
        self.tail = tail
    }

    public static func statement(_ tail: Tail) -> Statement {
        tail == .lower
            ? Statement(text: "P(X − μ ≤ −t) ≤ σ²/(σ² + t²) for t > 0",
                        latex: #"\Pr(X - \mu \le -t) \le \frac{\sigma^2}{\sigma^2 + t^2}"#)
            : Statement(text: "P(X − μ ≥ t) ≤ σ²/(σ² + t²) for t > 0",
                        latex: #"\Pr(X - \mu \ge t) \le \frac{\sigma^2}{\sigma^2 + t^2}"#)
    }

    public static let assumptions = ["the variance σ² = Var X is finite", "μ = E[X]", "t > 0"]

    public func evaluate() throws(BoundsError) -> BoundResult {
        let v = FieldValidator()
        let sigma2 = try v.nonNegative(variance, "variance")
        let t = try v.positive(deviation, "deviation")
        let side = try v.tail(tail, default: .upper, allowed: [.upper, .lower])
        return BoundResult(
            name: Self.name, raw: BoundFormula.cantelli(variance: sigma2, deviation: t),
            statement: Self.statement(side), assumptions: Self.assumptions,
            parameters: ["variance": .number(sigma2), "deviation": .number(t), "tail": .text(side.rawValue)])
    }
}
