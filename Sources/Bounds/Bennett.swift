/// Bennett's inequality (same hypotheses as Bernstein): P(S − E[S] ≥ t) ≤ exp(−(V/M²)·h(M·t/V)),
/// h(u) = (1+u)·ln(1+u) − u; the same for the lower tail, doubled for two sides. Bennett ≤ Bernstein
/// always, since h(u) ≥ u²/(2(1 + u/3)); with M = 1 and V = μ it equals the exact Chernoff form.
public struct Bennett: BoundCalculator {
    public static let name = "bennett"
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
        let hDef = "h(u) = (1+u)·ln(1+u) − u"
        let hTex = #"h(u) = (1+u)\ln(1+u) - u"#
        switch tail {
        case .upper:
            return Statement(text: "P(S − E[S] ≥ t) ≤ exp(−(V/M²)·h(Mt/V)), \(hDef)",
                             latex: #"\Pr(S - \mathbb{E}S \ge t) \le \exp\left(-\frac{V}{M^2}\,h\!\left(\frac{Mt}{V}\right)\right),\ "# + hTex)
        case .lower:
            return Statement(text: "P(S − E[S] ≤ −t) ≤ exp(−(V/M²)·h(Mt/V)), \(hDef)",
                             latex: #"\Pr(S - \mathbb{E}S \le -t) \le \exp\left(-\frac{V}{M^2}\,h\!\left(\frac{Mt}{V}\right)\right),\ "# + hTex)
        case .twoSided:
            return Statement(text: "P(|S − E[S]| ≥ t) ≤ 2·exp(−(V/M²)·h(Mt/V)), \(hDef)",
                             latex: #"\Pr(|S - \mathbb{E}S| \ge t) \le 2\exp\left(-\frac{V}{M^2}\,h\!\left(\frac{Mt}{V}\right)\right),\ "# + hTex)
        }
    }

    public static let assumptions = Bernstein.assumptions

    public func evaluate() throws(BoundsError) -> BoundResult {
        let v = FieldValidator()
        let vs = try v.nonNegative(varianceSum, "varianceSum")
        let m = try v.positive(maxDeviation, "maxDeviation")
        let t = try v.positive(deviation, "deviation")
        let side = try v.tail(tail, default: .upper, allowed: Tail.allCases)
        var raw = BoundFormula.bennett(varianceSum: vs, maxDeviation: m, deviation: t)
        if side == .twoSided { raw *= 2 }
        var notes: [String] = []
        if vs == 0 { notes.append("V = 0: S equals its mean almost surely; the bound is the limit 0") }
        return BoundResult(
            name: Self.name, raw: raw, statement: Self.statement(side), assumptions: Self.assumptions,
            parameters: ["varianceSum": .number(vs), "maxDeviation": .number(m), "deviation": .number(t),
                         "tail": .text(side.rawValue)],
            notes: notes)
    }
}
