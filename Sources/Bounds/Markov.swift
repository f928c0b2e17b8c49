/// Markov's inequality: for X ≥ 0 almost surely with E[X] = μ < ∞ and a > 0, P(X ≥ a) ≤ μ/a.
/// Informative only for a > μ; tight for X ∈ {0, a}.
public struct Markov: BoundCalculator {
    public static let name = "markov"
    public var mean: Double?
    public var threshold: Double?

    public init(mean: Double?, threshold: Double?) {
        self.mean = mean
        self.threshold = threshold
    }

    public static let statement = Statement(
        text: "P(X ≥ a) ≤ E[X]/a for X ≥ 0 and a > 0",
        latex: #"\Pr(X \ge a) \le \frac{\mathbb{E}[X]}{a}"#)

    public static let assumptions = [
        "X ≥ 0 almost surely",
        "E[X] is finite",
        "a > 0",
    ]

    public func evaluate() throws(BoundsError) -> BoundResult {
        let v = FieldValidator()
        let mu = try v.nonNegative(mean, "mean")
        let a = try v.number(threshold, "threshold")
        guard a > 0 else { throw v.fail("threshold", "must be > 0 for Markov's inequality") }
        guard a >= FieldValidator.minPositive else { throw v.fail("threshold", "must be at least 1e-100") }
        var notes: [String] = []
        if a <= mu { notes.append("uninformative: the threshold does not exceed the mean") }
        return BoundResult(
            name: Self.name, raw: BoundFormula.markov(mean: mu, threshold: a),
            statement: Self.statement, assumptions: Self.assumptions,
            parameters: ["mean": .number(mu), "threshold": .number(a)], notes: notes)
    }
}
