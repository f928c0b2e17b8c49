/// Hoeffding's inequality for the mean X̄ of n independent variables with lower ≤ X_i ≤ upper:
/// P(X̄ − E[X̄] ≥ t) ≤ exp(−2n·t²/(b − a)²), the same for the lower tail, doubled for two sides.
/// (Equivalently for the sum: exp(−2s²/Σ(b_i − a_i)²) with s = n·t.) It ignores the variance, so it
/// is poor for rare events.
public struct Hoeffding: BoundCalculator {
    public static let name = "hoeffding"
    public var n: Double?
    public var lower: Double?
    public var upper: Double?
    public var deviation: Double?
    /// `upper` (default), `lower`, or `twoSided`.
    public var tail: String?

    public init(n: Double?, lower: Double?, upper: Double?, deviation: Double?, tail: String? = nil) {
        self.n = n
        self.lower = lower
        self.upper = upper
        self.deviation = deviation
        self.tail = tail
    }

    public static func statement(_ tail: Tail) -> Statement {
        switch tail {
        case .upper:
            return Statement(text: "P(X̄ − E[X̄] ≥ t) ≤ exp(−2n·t²/(b − a)²)",
                             latex: #"\Pr(\bar X - \mathbb{E}\bar X \ge t) \le \exp\left(-\frac{2nt^2}{(b-a)^2}\right)"#)
        case .lower:
            return Statement(text: "P(X̄ − E[X̄] ≤ −t) ≤ exp(−2n·t²/(b − a)²)",
                             latex: #"\Pr(\bar X - \mathbb{E}\bar X \le -t) \le \exp\left(-\frac{2nt^2}{(b-a)^2}\right)"#)
        case .twoSided:
            return Statement(text: "P(|X̄ − E[X̄]| ≥ t) ≤ 2·exp(−2n·t²/(b − a)²)",
                             latex: #"\Pr(|\bar X - \mathbb{E}\bar X| \ge t) \le 2\exp\left(-\frac{2nt^2}{(b-a)^2}\right)"#)
        }
    }

    public static let assumptions = [
        "X₁, …, X_n mutually independent",
        "a ≤ X_i ≤ b almost surely for every i",
        "X̄ = (X₁ + … + X_n)/n, t > 0",
    ]

    public func evaluate() throws(BoundsError) -> BoundResult {
        let v = FieldValidator()
        let count = try v.integer(n, "n", minimum: 1, maximum: WeakLaw.maxN)
        let a = try v.number(lower, "lower")
        let b = try v.number(upper, "upper")
        guard a < b else { throw v.fail("lower", "must be less than upper") }
        let width = b - a
        guard width.isFinite else { throw v.fail("upper", "upper − lower must be finite") }
        let t = try v.positive(deviation, "deviation")
        let side = try v.tail(tail, default: .upper, allowed: Tail.allCases)
        var raw = BoundFormula.hoeffding(count: Double(count), width: width, deviation: Double(count) * t)
        if side == .twoSided { raw *= 2 }
        var notes: [String] = []
        if t > width { notes.append("the deviation exceeds b − a, so the probability is 0") }
        return BoundResult(
            name: Self.name, raw: raw, statement: Self.statement(side), assumptions: Self.assumptions,
            parameters: ["n": .number(Double(count)), "lower": .number(a), "upper": .number(b),
                         "deviation": .number(t), "tail": .text(side.rawValue)],
            notes: notes)
    }
}
