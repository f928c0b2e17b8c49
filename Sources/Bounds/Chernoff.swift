import Foundation

/// Multiplicative Chernoff bounds for X = X₁ + … + X_n with independent X_i ∈ [0, 1] (Bernoulli or
/// Poisson trials), μ = E[X], or X ~ Poisson(μ) (Mitzenmacher–Upfal Thms 4.4, 4.5, Cor. 4.6):
/// - upper, exact, δ > 0: P(X ≥ (1+δ)μ) ≤ [e^δ/(1+δ)^(1+δ)]^μ;
/// - upper, simplified: exp(−δ²μ/3) for 0 < δ ≤ 1, exp(−δ²μ/(2+δ)) for δ > 1
///   (exp(−δ²μ/3) is *not* a bound for δ > 1 and is never used there);
/// - lower, exact, 0 < δ ≤ 1: P(X ≤ (1−δ)μ) ≤ [e^(−δ)/(1−δ)^(1−δ)]^μ (e^(−μ) at δ = 1);
/// - lower, simplified, 0 < δ ≤ 1: exp(−δ²μ/2);
/// - two-sided (extension), exact: the sum of both exact forms; simplified, 0 < δ < 1: 2·exp(−δ²μ/3).
public struct Chernoff: BoundCalculator {
    public static let name = "chernoff"
    public var mu: Double?
    public var delta: Double?
    /// `upper` (default), `lower`, or `twoSided`.
    public var tail: String?
    /// `exact` (default) or `simplified`.
    public var form: String?

    public init(mu: Double?, delta: Double?, tail: String? = nil, form: String? = nil) {
        self.mu = mu
        self.delta = delta
        self.tail = tail
        self.form = form
    }

    public static let assumptions = [
        "X = X₁ + … + X_n with X₁, …, X_n mutually independent (pairwise independence is not enough)",
        "each X_i takes values in [0, 1] (Bernoulli/Poisson trials), or X ~ Poisson(μ)",
        "μ = E[X] (an upper-tail bound stays valid for any μ ≥ E[X], a lower-tail bound for any μ ≤ E[X])",
    ]

    public enum Form: String, Sendable, CaseIterable { case exact, simplified }

    public static let upperExact = Statement(
        text: "P(X ≥ (1+δ)μ) ≤ [e^δ/(1+δ)^(1+δ)]^μ for δ > 0",
        latex: #"\Pr(X \ge (1+\delta)\mu) \le \left(\frac{e^{\delta}}{(1+\delta)^{1+\delta}}\right)^{\mu}"#)
    public static let upperThird = Statement(
        text: "P(X ≥ (1+δ)μ) ≤ exp(−δ²μ/3) for 0 < δ ≤ 1",
        latex: #"\Pr(X \ge (1+\delta)\mu) \le e^{-\delta^2\mu/3}, \quad 0 < \delta \le 1"#)
    public static let upperWide = Statement(
        text: "P(X ≥ (1+δ)μ) ≤ exp(−δ²μ/(2+δ)) for δ > 0",
        latex: #"\Pr(X \ge (1+\delta)\mu) \le e^{-\delta^2\mu/(2+\delta)}"#)
    public static let upperPower2 = Statement(
        text: "P(X ≥ R) ≤ 2^(−R) for R ≥ 6μ",
        latex: #"\Pr(X \ge R) \le 2^{-R}, \quad R \ge 6\mu"#)
    public static let lowerExact = Statement(
        text: "P(X ≤ (1−δ)μ) ≤ [e^(−δ)/(1−δ)^(1−δ)]^μ for 0 < δ ≤ 1",
        latex: #"\Pr(X \le (1-\delta)\mu) \le \left(\frac{e^{-\delta}}{(1-\delta)^{1-\delta}}\right)^{\mu}"#)
    public static let lowerHalf = Statement(
        text: "P(X ≤ (1−δ)μ) ≤ exp(−δ²μ/2) for 0 < δ ≤ 1",
        latex: #"\Pr(X \le (1-\delta)\mu) \le e^{-\delta^2\mu/2}, \quad 0 < \delta \le 1"#)
    public static let twoSidedExact = Statement(
        text: "P(|X − μ| ≥ δμ) ≤ [e^δ/(1+δ)^(1+δ)]^μ + [e^(−δ)/(1−δ)^(1−δ)]^μ (second term 0 for δ > 1)",
        latex: #"\Pr(|X-\mu| \ge \delta\mu) \le \left(\frac{e^{\delta}}{(1+\delta)^{1+\delta}}\right)^{\mu} + \left(\frac{e^{-\delta}}{(1-\delta)^{1-\delta}}\right)^{\mu}"#)
    public static let twoSidedThird = Statement(
        text: "P(|X − μ| ≥ δμ) ≤ 2·exp(−δ²μ/3) for 0 < δ < 1",
        latex: #"\Pr(|X - \mu| \ge \delta\mu) \le 2e^{-\delta^2\mu/3}, \quad 0 < \delta < 1"#)

    public func evaluate() throws(BoundsError) -> BoundResult {
        let v = FieldValidator()
        let m = try v.positive(mu, "mu")
        let d = try v.positive(delta, "delta")
        let side = try v.tail(tail, default: .upper, allowed: [.upper, .lower, .twoSided])
        let chosen: Form
        if let form {
            guard let f = Form(rawValue: form) else { throw v.fail("form", "must be one of exact, simplified") }
            chosen = f
        } else {
            chosen = .exact
        }
        var notes: [String] = []
        let raw: Double
        let statement: Statement
        switch (side, chosen) {
        case (.upper, .exact):
            raw = BoundFormula.chernoffUpperExact(mu: m, delta: d)
            statement = Self.upperExact
        case (.upper, .simplified):
            if d <= 1 {
                raw = BoundFormula.chernoffUpperThird(mu: m, delta: d)
                statement = Self.upperThird
            } else {
                raw = BoundFormula.chernoffUpperWide(mu: m, delta: d)
                statement = Self.upperWide
                notes.append("δ > 1: exp(−δ²μ/3) is not a bound here; exp(−δ²μ/(2+δ)) was used")
            }
        case (.lower, _):
            guard d <= 1 else {
                throw v.fail("delta", "must be ≤ 1 for the lower tail (for δ > 1, P(X ≤ (1−δ)μ) = 0 since X ≥ 0)")
            }
            if chosen == .exact {
                raw = BoundFormula.chernoffLowerExact(mu: m, delta: d)
                statement = Self.lowerExact
                if d == 1 { notes.append("δ = 1: the bound is e^(−μ) = P(X = 0) for a Poisson(μ) variable") }
            } else {
                raw = BoundFormula.chernoffLowerHalf(mu: m, delta: d)
                statement = Self.lowerHalf
            }
        case (.twoSided, .exact):
            raw = BoundFormula.chernoffUpperExact(mu: m, delta: d)
                + (d <= 1 ? BoundFormula.chernoffLowerExact(mu: m, delta: d) : 0)
            statement = Self.twoSidedExact
        case (.twoSided, .simplified):
            guard d < 1 else { throw v.fail("delta", "must be < 1 for the simplified two-sided form") }
            raw = 2 * BoundFormula.chernoffUpperThird(mu: m, delta: d)
            statement = Self.twoSidedThird
        }
        if side == .upper {
            let r = (1 + d) * m
            if r >= 6 * m {
                notes.append("R = (1+δ)μ ≥ 6μ, so also P(X ≥ R) ≤ 2^(−R) = \(pow(2, -r))")
            }
        }
        return BoundResult(
            name: Self.name, raw: raw, statement: statement, assumptions: Self.assumptions,
            parameters: ["mu": .number(m), "delta": .number(d), "tail": .text(side.rawValue),
                         "form": .text(chosen.rawValue)],
            notes: notes)
    }
}
