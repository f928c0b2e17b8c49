import Foundation

/// `POST /v1/bounds/sample-size`: the smallest n for which a bound guarantees accuracy ε with
/// failure probability at most δ.
///
/// | method | n ≥ |
/// |---|---|
/// | chebyshev (alias wlln) | σ²/(ε²·δ) — decided exactly on the decimal inputs |
/// | hoeffding | (b−a)²·ln(2/δ)/(2ε²) two-sided (default), ln(1/δ) for one tail |
/// | chernoff | 3·ln(2/δ)/(ε²p) two-sided (default); 3·ln(1/δ)/(ε²p) upper; 2·ln(1/δ)/(ε²p) lower; ε relative |
/// | bernstein | (2σ²/ε² + 2M/(3ε))·ln(2/δ) two-sided (default), ln(1/δ) for one tail |
///
/// Inputs are decimals as written (`ExactDecimal`). For Chebyshev the candidate ⌈σ²/(ε²δ)⌉ is
/// checked in exact integer arithmetic (n·ε²·δ ≥ σ²) and moved to the smallest n that satisfies
/// it: σ² = 0.09, ε = 0.01, δ = 0.03 gives 30000 (floating point gives 30001). The logarithmic
/// formulas are irrational, and n − 1 is still re-checked against the bound in log space. `value`, the
/// formula before the ceiling, is for Chebyshev the exact quotient rounded once to the nearest double
/// (30000 stays 30000); for the logarithmic formulas it is their double-precision evaluation.
///
/// ```swift
/// let r = try SampleSize(method: "chebyshev", variance: ExactDecimal("0.09"),
///                        epsilon: ExactDecimal("0.01"), delta: ExactDecimal("0.03")).evaluate()
/// // r.n == 30000
/// ```
public struct SampleSize: Sendable, Equatable, Codable {
    public var method: String?
    public var variance: ExactDecimal?
    public var epsilon: ExactDecimal?
    public var delta: ExactDecimal?
    public var range: ExactDecimal?
    public var p: ExactDecimal?
    public var maxDeviation: ExactDecimal?
    /// `twoSided` (default), `upper` or `lower`.
    public var tail: String?

    public init(method: String?, variance: ExactDecimal? = nil, epsilon: ExactDecimal? = nil,
                delta: ExactDecimal? = nil, range: ExactDecimal? = nil, p: ExactDecimal? = nil,
                maxDeviation: ExactDecimal? = nil, tail: String? = nil) {
        self.method = method
        self.variance = variance
        self.epsilon = epsilon
        self.delta = delta
        self.range = range
        self.p = p
        self.maxDeviation = maxDeviation
        self.tail = tail
    }

    public static let methods = ["chebyshev", "wlln", "hoeffding", "chernoff", "bernstein"]
    /// Largest sample size returned.
    public static let maxN = 1_000_000_000_000_000

    public func evaluate() throws(BoundsError) -> SampleSizeResult {
        guard let method else { throw .invalid(field: "method", message: "is required (\(Self.methods.joined(separator: ", ")))") }
        switch method {
        case "chebyshev", "wlln": return try chebyshev(method)
        case "hoeffding": return try hoeffding()
        case "chernoff": return try chernoff()
        case "bernstein": return try bernstein()
        case "markov":
            throw .invalid(field: "method", message: "Markov's bound E[X]/a does not depend on n, so it cannot be inverted for a sample size")
        default:
            throw .invalid(field: "method", message: "must be one of \(Self.methods.joined(separator: ", "))")
        }
    }

    // MARK: validation

    static func fail(_ field: String, _ message: String) -> BoundsError { .invalid(field: field, message: message) }

    /// A present decimal within [1e−100, 1e100] in magnitude (or 0 when allowed), sign checked.
    static func decimal(_ value: ExactDecimal?, _ field: String, allowZero: Bool = false) throws(BoundsError) -> ExactDecimal {
        guard let value else { throw fail(field, "is required") }
        if value.isZero {
            guard allowZero else { throw fail(field, "must be > 0") }
            return value
        }
        guard !value.isNegative else { throw fail(field, allowZero ? "must be ≥ 0" : "must be > 0") }
        let magnitude = value.digits.count + value.exponent  // value ∈ [10^(m−1), 10^m)
        guard magnitude <= 100, magnitude >= -99 else { throw fail(field, "must be between 1e-100 and 1e100") }
        return value
    }

    /// 0 < value < 1, decided on the digits.
    static func unitInterval(_ value: ExactDecimal?, _ field: String, closedAbove: Bool = false) throws(BoundsError) -> ExactDecimal {
        let v = try decimal(value, field)
        let belowOne = v.digits.count + v.exponent <= 0
        let isOne = v.digits == "1" && v.exponent == 0
        guard belowOne || (closedAbove && isOne) else {
            throw fail(field, closedAbove ? "must be in (0, 1]" : "must be strictly between 0 and 1")
        }
        return v
    }

    func side() throws(BoundsError) -> Tail {
        try FieldValidator().tail(tail, default: .twoSided, allowed: Tail.allCases)
    }

    // MARK: methods

    func chebyshev(_ name: String) throws(BoundsError) -> SampleSizeResult {
        let s2 = try Self.decimal(variance, "variance", allowZero: true)
        let eps = try Self.decimal(epsilon, "epsilon")
        let d = try Self.unitInterval(delta, "delta")
        let (v, e, dd) = (s2.doubleValue, eps.doubleValue, d.doubleValue)
        // holds(n) ⇔ n·ε²·δ ≥ σ², all in integers: n·B²·C·10^(2β+γ) ≥ A·10^α.
        let left = eps.significand * eps.significand * d.significand
        let right = s2.significand
        let e1 = 2 * eps.exponent + d.exponent, e2 = s2.exponent
        let m = min(e1, e2)
        let l = left.timesPowerOfTen(e1 - m), r = right.timesPowerOfTen(e2 - m)
        // σ²/(ε²δ) = r/l exactly, rounded once: an exact integer such as 30000 is shown as 30000.
        let value = ExactInteger.nearestDouble(r, over: l)
        let n = try Self.smallest(candidate: value, field: "epsilon") { n in
            ExactInteger(UInt64(n)) * l >= r
        }
        return SampleSizeResult(
            method: name, n: n, bound: BoundFormula.weakLaw(variance: v, n: Double(n), epsilon: e), value: value,
            statement: Statement(text: "n ≥ σ²/(ε²·δ), from P(|X̄ − μ| ≥ ε) ≤ σ²/(nε²)",
                                 latex: #"n \ge \frac{\sigma^2}{\varepsilon^2\delta}"#),
            assumptions: WeakLaw.assumptions,
            parameters: ["method": .text(name), "variance": .number(v), "epsilon": .number(e), "delta": .number(dd)],
            notes: ["decided in exact decimal arithmetic on the inputs as written"])
    }

    func hoeffding() throws(BoundsError) -> SampleSizeResult {
        let r = try Self.decimal(range, "range").doubleValue
        let e = try Self.decimal(epsilon, "epsilon").doubleValue
        let d = try Self.unitInterval(delta, "delta").doubleValue
        let tail = try side()
        let k = tail == .twoSided ? 2.0 : 1.0
        let rate = 2 * e * e / (r * r)  // bound = k·exp(−n·rate)
        let value = log(k / d) / rate
        let n = try Self.smallest(candidate: value, field: "epsilon") { n in log(k) - Double(n) * rate <= log(d) }
        let statement = tail == .twoSided
            ? Statement(text: "n ≥ (b − a)²·ln(2/δ)/(2ε²)", latex: #"n \ge \frac{(b-a)^2 \ln(2/\delta)}{2\varepsilon^2}"#)
            : Statement(text: "n ≥ (b − a)²·ln(1/δ)/(2ε²)", latex: #"n \ge \frac{(b-a)^2 \ln(1/\delta)}{2\varepsilon^2}"#)
        return SampleSizeResult(
            method: "hoeffding", n: n, bound: k * exp(-Double(n) * rate), value: value, statement: statement,
            assumptions: Hoeffding.assumptions,
            parameters: ["method": .text("hoeffding"), "range": .number(r), "epsilon": .number(e), "delta": .number(d),
                         "tail": .text(tail.rawValue)],
            notes: [])
    }

    func chernoff() throws(BoundsError) -> SampleSizeResult {
        let pp = try Self.unitInterval(p, "p", closedAbove: true).doubleValue
        let e = try Self.unitInterval(epsilon, "epsilon").doubleValue
        let d = try Self.unitInterval(delta, "delta").doubleValue
        let tail = try side()
        let (k, c): (Double, Double) = tail == .twoSided ? (2, 3) : (tail == .upper ? (1, 3) : (1, 2))
        let rate = e * e * pp / c  // bound = k·exp(−n·rate)
        let value = log(k / d) / rate
        let n = try Self.smallest(candidate: value, field: "epsilon") { n in log(k) - Double(n) * rate <= log(d) }
        let statement: Statement
        switch tail {
        case .twoSided:
            statement = Statement(text: "n ≥ 3·ln(2/δ)/(ε²p), from P(|X − np| ≥ εnp) ≤ 2·exp(−ε²np/3)",
                                  latex: #"n \ge \frac{3\ln(2/\delta)}{\varepsilon^2 p}"#)
        case .upper:
            statement = Statement(text: "n ≥ 3·ln(1/δ)/(ε²p), from P(X ≥ (1+ε)np) ≤ exp(−ε²np/3)",
                                  latex: #"n \ge \frac{3\ln(1/\delta)}{\varepsilon^2 p}"#)
        case .lower:
            statement = Statement(text: "n ≥ 2·ln(1/δ)/(ε²p), from P(X ≤ (1−ε)np) ≤ exp(−ε²np/2)",
                                  latex: #"n \ge \frac{2\ln(1/\delta)}{\varepsilon^2 p}"#)
        }
        return SampleSizeResult(
            method: "chernoff", n: n, bound: k * exp(-Double(n) * rate), value: value, statement: statement,
            assumptions: ["n independent Bernoulli(p) trials, X their sum", "ε is a relative error, 0 < ε < 1"],
            parameters: ["method": .text("chernoff"), "p": .number(pp), "epsilon": .number(e), "delta": .number(d),
                         "tail": .text(tail.rawValue)],
            notes: [])
    }

    func bernstein() throws(BoundsError) -> SampleSizeResult {
        let v = try Self.decimal(variance, "variance", allowZero: true).doubleValue
        let m = try Self.decimal(maxDeviation, "maxDeviation").doubleValue
        let e = try Self.decimal(epsilon, "epsilon").doubleValue
        let d = try Self.unitInterval(delta, "delta").doubleValue
        let tail = try side()
        let k = tail == .twoSided ? 2.0 : 1.0
        let rate = e * e / (2 * v + 2 * m * e / 3)  // bound = k·exp(−n·rate)
        let value = (2 * v / (e * e) + 2 * m / (3 * e)) * log(k / d)
        let n = try Self.smallest(candidate: value, field: "epsilon") { n in log(k) - Double(n) * rate <= log(d) }
        let statement = tail == .twoSided
            ? Statement(text: "n ≥ (2σ²/ε² + 2M/(3ε))·ln(2/δ)",
                        latex: #"n \ge \left(\frac{2\sigma^2}{\varepsilon^2} + \frac{2M}{3\varepsilon}\right)\ln\frac{2}{\delta}"#)
            : Statement(text: "n ≥ (2σ²/ε² + 2M/(3ε))·ln(1/δ)",
                        latex: #"n \ge \left(\frac{2\sigma^2}{\varepsilon^2} + \frac{2M}{3\varepsilon}\right)\ln\frac{1}{\delta}"#)
        return SampleSizeResult(
            method: "bernstein", n: n, bound: k * exp(-Double(n) * rate), value: value, statement: statement,
            assumptions: ["X₁, …, X_n i.i.d. with variance σ²", "|X_i − E[X_i]| ≤ M almost surely"],
            parameters: ["method": .text("bernstein"), "variance": .number(v), "maxDeviation": .number(m),
                         "epsilon": .number(e), "delta": .number(d), "tail": .text(tail.rawValue)],
            notes: [])
    }

    /// The smallest n ≥ 1 with holds(n), starting from ⌈candidate⌉ (holds is monotone in n).
    static func smallest(candidate: Double, field: String, _ holds: (Int) -> Bool) throws(BoundsError) -> Int {
        guard candidate.isFinite, candidate <= Double(maxN) else {
            throw fail(field, "the required sample size exceeds 1e15")
        }
        var n = max(1, Int(candidate.rounded(.up)))
        while !holds(n) {
            n += 1
            guard n <= maxN else { throw fail(field, "the required sample size exceeds 1e15") }
        }
        while n > 1 && holds(n - 1) { n -= 1 }
        return n
    }
}
