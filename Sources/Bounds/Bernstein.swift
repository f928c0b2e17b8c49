/// Bernstein's inequality for a sum S of independent variables with |X_i − E[X_i]| ≤ M almost surely
/// and V = Σ Var X_i: P(S − E[S] ≥ t) ≤ exp(−(t²/2)/(V + M·t/3)); the same for the lower tail,
/// doubled for two sides. (The upper tail needs only X_i − E[X_i] ≤ M.)
public struct Bernstein: BoundCalculator {
    public static let name = "bernstein"
    public var varianceSum: Double?
    public var maxDeviation: Double?
    public var deviation: Double?
    /// `upper` (default), `lower`, or `twoSided`.
    public var tail: String?

    public init(varianceSum: Double?, maxDeviation: Double?, deviation: Double?, tail: String? = nil) {
        self.varianceSum = varianceSum
        self.maxDeviation = maxDeviation
        self.deviation = deviation
        self.tail = tail
    }

    public static func statement(_ tail: Tail) -> Statement {
        switch tail {
        case .upper:
            return Statement(text: "P(S − E[S] ≥ t) ≤ exp(−t²/(2V + 2Mt/3))",
                             latex: #"\Pr(S - \mathbb{E}S \ge t) \le \exp\left(-\frac{t^2}{2V + 2Mt/3}\right)"#)
        case .lower:
            return Statement(text: "P(S − E[S] ≤ −t) ≤ exp(−t²/(2V + 2Mt/3))",
                             latex: #"\Pr(S - \mathbb{E}S \le -t) \le \exp\left(-\frac{t^2}{2V + 2Mt/3}\right)"#)
        case .twoSided:
            return Statement(text: "P(|S − E[S]| ≥ t) ≤ 2·exp(−t²/(2V + 2Mt/3))",
                             latex: #"\Pr(|S - \mathbb{E}S| \ge t) \le 2\exp\left(-\frac{t^2}{2V + 2Mt/3}\right)"#)
        }
    }

    public static let assumptions = [
        "S = X₁ + … + X_n with X₁, …, X_n mutually independent",
        "|X_i − E[X_i]| ≤ M almost surely (upper tail: X_i − E[X_i] ≤ M suffices)",
        "V = Σ Var X_i",
    ]

    public func evaluate() throws(BoundsError) -> BoundResult {
        let v = FieldValidator()
        let vs = try v.nonNegative(varianceSum, "varianceSum")
        let m = try v.positive(maxDeviation, "maxDeviation")
        let t = try v.positive(deviation, "deviation")
        let side = try v.tail(tail, default: .upper, allowed: Tail.allCases)
        var raw = BoundFormula.bernstein(varianceSum: vs, maxDeviation: m, deviation: t)
        if side == .twoSided { raw *= 2 }
        return BoundResult(
            name: Self.name, raw: raw, statement: Self.statement(side), assumptions: Self.assumptions,
            parameters: ["varianceSum": .number(vs), "maxDeviation": .number(m), "deviation": .number(t),
                         "tail": .text(side.rawValue)])
    }
}
