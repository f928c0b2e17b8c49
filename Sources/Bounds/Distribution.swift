import Foundation

/// A validated distribution with its exact tail probabilities.
///
/// Conventions (mirrored exactly by the fixture generator):
/// - `upper`: P(X ≥ x); `lower`: P(X ≤ x); `twoSided`: P(|X − mean| ≥ d) = P(X ≥ mean + d) + P(X ≤ mean − d),
///   evaluated from d directly (see `twoSidedTail`) for continuous laws.
/// - Discrete laws meet thresholds on their lattice in exact decimal arithmetic (`latticeEvent`): the
///   threshold is the decimal written (a double stands for its shortest round-trip text), and so are
///   p and λ: P(X ≥ x) = P(X ≥ ⌈x⌉); for the mean of n binomial or Poisson variables,
///   P(X̄ ≥ x) = P(S ≥ ⌈n·x⌉), P(X̄ ≤ x) = P(S ≤ ⌊n·x⌋), and P(|X̄ − μ| ≥ d) counts S ≥ ⌈n(μ + d)⌉
///   and S ≤ ⌊n(μ − d)⌋ with μ = m·p or λ exactly.
/// - Sample means: binomial(m, p) → S ~ Binomial(n·m, p); Poisson(λ) → S ~ Poisson(n·λ);
///   normal → Normal(μ, σ/√n); exponential(rate) → Gamma(n, n·rate); uniform → Bates, through the
///   Irwin–Hall law of n·(X̄ − lower)/(upper − lower).
public indirect enum Distribution: Sendable, Equatable {
    case binomial(n: Int, p: Double)
    case poisson(lambda: Double)
    case normal(mean: Double, sd: Double)
    case exponential(rate: Double)
    case uniform(lower: Double, upper: Double)
    case sampleMean(of: Distribution, n: Int)

    /// Limits: trials and Poisson means up to 1e9 (also for the underlying sum of a sample mean),
    /// sample sizes up to 1e6 (1000 for uniform summands, whose exact law costs O(n²)).
    public static let maxTrials = 1_000_000_000
    public static let maxPoissonMean = 1e9
    public static let maxSampleSize = 1_000_000
    public static let maxUniformSampleSize = 1000

    /// Validates a decoded spec; errors name fields under `prefix` (default "distribution.").
    public init(validating spec: DistributionSpec, prefix: String = "distribution.") throws(BoundsError) {
        let v = FieldValidator(prefix: prefix)
        guard let family = spec.family else {
            throw v.fail("family", "is required (binomial, poisson, normal, exponential, uniform, sampleMean)")
        }
        switch family {
        case "binomial":
            let n = try v.integer(spec.n, "n", minimum: 1, maximum: Self.maxTrials)
            let p = try v.probability(spec.p, "p")
            self = .binomial(n: n, p: p)
        case "poisson":
            let lambda = try v.positive(spec.lambda, "lambda")
            guard lambda <= Self.maxPoissonMean else { throw v.fail("lambda", "must be ≤ 1e9") }
            self = .poisson(lambda: lambda)
        case "normal":
            let mean = try v.number(spec.mean, "mean")
            let sd = try v.positive(spec.sd, "sd")
            self = .normal(mean: mean, sd: sd)
        case "exponential":
            self = .exponential(rate: try v.positive(spec.rate, "rate"))
        case "uniform":
            let lower = try v.number(spec.lower, "lower")
            let upper = try v.number(spec.upper, "upper")
            guard lower < upper else { throw v.fail("lower", "must be less than upper") }
            self = .uniform(lower: lower, upper: upper)
        case "sampleMean":
            guard let inner = spec.of else { throw v.fail("of", "is required: the distribution of one observation") }
            let base = try Distribution(validating: inner, prefix: prefix + "of.")
            if case .sampleMean = base { throw v.fail("of.family", "must not be sampleMean") }
            let limit: Int
            if case .uniform = base { limit = Self.maxUniformSampleSize } else { limit = Self.maxSampleSize }
            let n = try v.integer(spec.n, "n", minimum: 1, maximum: limit)
            switch base {
            case .binomial(let m, _) where m.multipliedReportingOverflow(by: n).partialValue > Self.maxTrials
                || m.multipliedReportingOverflow(by: n).overflow:
                throw v.fail("n", "n times the number of trials must be ≤ 1e9")
            case .poisson(let lambda) where Double(n) * lambda > Self.maxPoissonMean:
                throw v.fail("n", "n times lambda must be ≤ 1e9")
            default: break
            }
            self = .sampleMean(of: base, n: n)
        default:
            throw v.fail("family", "must be one of binomial, poisson, normal, exponential, uniform, sampleMean")
        }
    }

    public var mean: Double {
        switch self {
        case .binomial(let n, let p): return Double(n) * p
        case .poisson(let lambda): return lambda
        case .normal(let mean, _): return mean
        case .exponential(let rate): return 1 / rate
        case .uniform(let a, let b): return a / 2 + b / 2
        case .sampleMean(let base, _): return base.mean
        }
    }

    public var variance: Double {
        switch self {
        case .binomial(let n, let p): return Double(n) * p * (1 - p)
        case .poisson(let lambda): return lambda
        case .normal(_, let sd): return sd * sd
        case .exponential(let rate): return 1 / (rate * rate)
        case .uniform(let a, let b): return (b - a) * (b - a) / 12
        case .sampleMean(let base, let n): return base.variance / Double(n)
        }
    }

    /// X ≥ 0 almost surely.
    public var isNonNegative: Bool {
        switch self {
        case .binomial, .poisson, .exponential: return true
        case .normal: return false
        case .uniform(let a, _): return a >= 0
        case .sampleMean(let base, _): return base.isNonNegative
        }
    }

    /// The exact probability of the event; `threshold` is the deviation d for `twoSided`. A double
    /// threshold means the decimal it prints as (its shortest round-trip text, what a caller wrote).
    public func probability(_ tail: Tail, _ threshold: Double) -> Double {
        if let scale = latticeScale {
            guard threshold.isFinite else { return .nan }
            if let event = nearbyLatticeEvent(tail, threshold, scale) { return probability(of: event) }
            return probability(tail, ExactDecimal(threshold))
        }
        switch tail {
        case .upper: return upperTail(threshold)
        case .lower: return lowerTail(threshold)
        case .twoSided: return min(1, twoSidedTail(threshold))
        }
    }

    /// The exact probability of the event at a threshold (deviation for `twoSided`) taken as the exact
    /// decimal it is: on the lattice of a discrete law the cut-offs are exact integers
    /// (`latticeEvent`); continuous laws use the nearest double.
    public func probability(_ tail: Tail, _ threshold: ExactDecimal) -> Double {
        guard latticeScale != nil else { return probability(tail, threshold.doubleValue) }
        guard let event = latticeEvent(tail, threshold) else { return .nan }
        return probability(of: event)
    }

    /// P(S ≥ atLeast) + P(S ≤ atMost).
    func probability(of event: LatticeEvent) -> Double {
        let up = event.atLeast.map { sumAtLeast(Double($0)) } ?? 0
        let low = event.atMost.map { sumAtMost(Double($0)) } ?? 0
        return min(1, up + low)
    }

    /// The lattice event of a double threshold when the double products already decide it: scale·x (and
    /// scale·(mean ± d)) more than 10⁻⁶ relative away from every integer, where the exact decimal and the
    /// double cannot fall on different sides of one. nil near lattice points: those take the exact path.
    func nearbyLatticeEvent(_ tail: Tail, _ x: Double, _ scale: Int) -> LatticeEvent? {
        let n = Double(scale)
        // Rounding moves these products by a few 2^-52 of the magnitudes that formed them.
        func decided(_ y: Double, _ magnitude: Double) -> Bool {
            y.isFinite && magnitude < 0x1p52 && abs(y - y.rounded()) > 1e-6 * max(1, magnitude)
        }
        // Integer thresholds of a law on the integers (and integer means): the double is the decimal.
        func integral(_ v: Double) -> Bool { abs(v) < 0x1p52 && v == v.rounded() }
        if scale == 1 && integral(x) && (tail != .twoSided || integral(mean)) {
            let k = Int64(x), m = Int64(mean)
            switch tail {
            case .upper: return clipped(scale: 1, atLeast: k, atMost: nil)
            case .lower: return clipped(scale: 1, atLeast: nil, atMost: k)
            case .twoSided: return clipped(scale: 1, atLeast: m + k, atMost: m - k)
            }
        }
        var atLeast: Int64?, atMost: Int64?
        switch tail {
        case .upper:
            let y = n * x
            guard decided(y, abs(y)) else { return nil }
            atLeast = Int64(y.rounded(.up))
        case .lower:
            let y = n * x
            guard decided(y, abs(y)) else { return nil }
            atMost = Int64(y.rounded(.down))
        case .twoSided:
            let hi = n * (mean + x), lo = n * (mean - x)
            let magnitude = n * (abs(mean) + abs(x))
            guard decided(hi, magnitude), decided(lo, magnitude) else { return nil }
            atLeast = Int64(hi.rounded(.up))
            atMost = Int64(lo.rounded(.down))
        }
        return clipped(scale: scale, atLeast: atLeast, atMost: atMost)
    }

    /// The event with its sides clipped to the support 0…N (Poisson: unbounded above); an empty side is nil.
    func clipped(scale: Int, atLeast: Int64?, atMost: Int64?) -> LatticeEvent {
        var atLeast = atLeast, atMost = atMost
        let top = sumSupportTop
        if let k = atLeast {
            if let top, k > top { atLeast = nil } else { atLeast = max(0, k) }
        }
        if let k = atMost {
            if k < 0 { atMost = nil } else if let top { atMost = min(k, top) }
        }
        let variable = scale == 1 ? "X" : "S = \(scale)·X̄"
        return LatticeEvent(variable: variable, atLeast: atLeast.map(Int.init), atMost: atMost.map(Int.init))
    }

    /// For a discrete law, X = S / scale with S integer-valued: the law itself (scale 1) or the mean of
    /// `scale` binomial or Poisson draws. nil for continuous laws.
    public var latticeScale: Int? {
        switch self {
        case .binomial, .poisson: return 1
        case .sampleMean(.binomial, let n), .sampleMean(.poisson, let n): return n
        default: return nil
        }
    }

    /// The mean as an exact decimal, from the parameters read as decimals (their shortest round-trip
    /// text: 0.3 is 0.3, not the binary double below it): n·p, λ, μ, (a + b)/2. nil for the
    /// exponential law, whose mean 1/rate need not be a decimal.
    var exactMean: DecimalValue? {
        func dec(_ x: Double) -> DecimalValue? { x.isFinite ? DecimalValue(ExactDecimal(x)) : nil }
        switch self {
        case .binomial(let n, let p): return dec(p)?.times(n)
        case .poisson(let lambda): return dec(lambda)
        case .normal(let mean, _): return dec(mean)
        case .uniform(let a, let b):
            guard let a = dec(a), let b = dec(b) else { return nil }
            return (a + b).half
        case .exponential: return nil
        case .sampleMean(let base, _): return base.exactMean
        }
    }

    /// The deviation t of the event from the mean (threshold − mean for upper, mean − threshold for
    /// lower, the threshold itself for twoSided), computed exactly where the mean is a decimal and
    /// rounded once.
    public func deviation(_ tail: Tail, _ threshold: ExactDecimal) -> Double {
        if tail == .twoSided { return threshold.doubleValue }
        guard let mu = exactMean else {
            return tail == .upper ? threshold.doubleValue - mean : mean - threshold.doubleValue
        }
        let x = DecimalValue(threshold)
        return (tail == .upper ? x - mu : mu - x).doubleValue
    }

    /// The event on the integer lattice of a discrete law: P(S ≥ atLeast) + P(S ≤ atMost) with
    /// S = scale · X. Upper: S ≥ ⌈scale·x⌉; lower: S ≤ ⌊scale·x⌋; twoSided: S ≥ ⌈scale·(μ + d)⌉ or
    /// S ≤ ⌊scale·(μ − d)⌋, all in exact decimal arithmetic. A side that cannot happen is nil.
    public func latticeEvent(_ tail: Tail, _ threshold: ExactDecimal) -> LatticeEvent? {
        guard let scale = latticeScale else { return nil }
        let x = DecimalValue(threshold)
        var atLeast: Int64?, atMost: Int64?
        switch tail {
        case .upper: atLeast = x.times(scale).ceiling
        case .lower: atMost = x.times(scale).floor
        case .twoSided:
            guard let mu = exactMean else { return nil }
            atLeast = (mu + x).times(scale).ceiling
            atMost = (mu - x).times(scale).floor
        }
        return clipped(scale: scale, atLeast: atLeast, atMost: atMost)
    }

    /// The largest value of the sum S (binomial: all trials), nil when unbounded (Poisson).
    private var sumSupportTop: Int64? {
        switch self {
        case .binomial(let n, _): return Int64(n)
        case .sampleMean(.binomial(let m, _), let n): return Int64(m) * Int64(n)
        default: return nil
        }
    }

    /// P(S ≥ k) for the integer-valued S behind a discrete law.
    func sumAtLeast(_ k: Double) -> Double {
        switch self {
        case .binomial(let n, let p): return Self.binomialAtLeast(k, n: Double(n), p: p)
        case .poisson(let lambda): return Self.poissonAtLeast(k, lambda: lambda)
        case .sampleMean(.binomial(let m, let p), let n): return Self.binomialAtLeast(k, n: Double(n) * Double(m), p: p)
        case .sampleMean(.poisson(let lambda), let n): return Self.poissonAtLeast(k, lambda: Double(n) * lambda)
        default: return .nan
        }
    }

    /// P(S ≤ k) for the integer-valued S behind a discrete law.
    func sumAtMost(_ k: Double) -> Double {
        switch self {
        case .binomial(let n, let p): return Self.binomialAtMost(k, n: Double(n), p: p)
        case .poisson(let lambda): return Self.poissonAtMost(k, lambda: lambda)
        case .sampleMean(.binomial(let m, let p), let n): return Self.binomialAtMost(k, n: Double(n) * Double(m), p: p)
        case .sampleMean(.poisson(let lambda), let n): return Self.poissonAtMost(k, lambda: Double(n) * lambda)
        default: return .nan
        }
    }

    /// P(|X − mean| ≥ d), d > 0: closed forms in d for continuous laws, the lattice for discrete ones.
    public func twoSidedTail(_ d: Double) -> Double {
        switch self {
        case .normal(_, let sd):
            return exp(ErrorFunction.logErfc((d / sd) * 0.70710678118654752440))
        case .exponential(let rate):
            let r = rate * d
            return exp(-1 - r) + (r < 1 ? -expm1(-(1 - r)) : 0)
        case .uniform(let a, let b):
            return max(0, 1 - 2 * d / (b - a))
        case .sampleMean(let base, let n):
            let nd = Double(n)
            switch base {
            case .normal(_, let sd):
                return exp(ErrorFunction.logErfc((d / (sd / nd.squareRoot())) * 0.70710678118654752440))
            case .exponential(let rate):
                let r = rate * d
                return IncompleteGamma.upper(a: nd, x: nd * (1 + r)) + (r < 1 ? IncompleteGamma.lower(a: nd, x: nd * (1 - r)) : 0)
            case .uniform(let a, let b):
                let h = nd * d / (b - a)
                return IrwinHall.survival(n: n, x: nd / 2 + h) + IrwinHall.cdf(n: n, x: nd / 2 - h)
            default:
                return probability(.twoSided, d)
            }
        default:
            return probability(.twoSided, d)
        }
    }

    /// P(X ≥ x) (discrete laws on their lattice, x read as the decimal it prints as).
    public func upperTail(_ x: Double) -> Double {
        switch self {
        case .normal(let mu, let sd):
            return exp(ErrorFunction.logNormalUpperTail((x - mu) / sd))
        case .exponential(let rate):
            return x <= 0 ? 1 : exp(-rate * x)
        case .uniform(let a, let b):
            if x <= a { return 1 }
            if x >= b { return 0 }
            return (b - x) / (b - a)
        case .sampleMean(let base, let n):
            let nd = Double(n)
            switch base {
            case .normal(let mu, let sd):
                return exp(ErrorFunction.logNormalUpperTail((x - mu) / (sd / nd.squareRoot())))
            case .exponential(let rate):
                return x <= 0 ? 1 : IncompleteGamma.upper(a: nd, x: nd * rate * x)
            case .uniform(let a, let b):
                return IrwinHall.survival(n: n, x: nd * (x - a) / (b - a))
            default:
                return probability(.upper, x)
            }
        default:
            return probability(.upper, x)
        }
    }

    /// P(X ≤ x) (discrete laws on their lattice, x read as the decimal it prints as).
    public func lowerTail(_ x: Double) -> Double {
        switch self {
        case .normal(let mu, let sd):
            return exp(ErrorFunction.logNormalUpperTail(-(x - mu) / sd))
        case .exponential(let rate):
            return x <= 0 ? 0 : -expm1(-rate * x)
        case .uniform(let a, let b):
            if x <= a { return 0 }
            if x >= b { return 1 }
            return (x - a) / (b - a)
        case .sampleMean(let base, let n):
            let nd = Double(n)
            switch base {
            case .normal(let mu, let sd):
                return exp(ErrorFunction.logNormalUpperTail(-(x - mu) / (sd / nd.squareRoot())))
            case .exponential(let rate):
                return x <= 0 ? 0 : IncompleteGamma.lower(a: nd, x: nd * rate * x)
            case .uniform(let a, let b):
                return IrwinHall.cdf(n: n, x: nd * (x - a) / (b - a))
            default:
                return probability(.lower, x)
            }
        default:
            return probability(.lower, x)
        }
    }

    /// P(Bin(n, p) ≥ k) = I_p(k, n − k + 1).
    static func binomialAtLeast(_ k: Double, n: Double, p: Double) -> Double {
        if k <= 0 { return 1 }
        if k > n { return 0 }
        return IncompleteBeta.regularized(a: k, b: n - k + 1, x: p, y: 1 - p)
    }

    /// P(Bin(n, p) ≤ k) = I_q(n − k, k + 1).
    static func binomialAtMost(_ k: Double, n: Double, p: Double) -> Double {
        if k < 0 { return 0 }
        if k >= n { return 1 }
        return IncompleteBeta.regularized(a: n - k, b: k + 1, x: 1 - p, y: p)
    }

    /// P(Poisson(λ) ≥ k) = P(k, λ).
    static func poissonAtLeast(_ k: Double, lambda: Double) -> Double {
        k <= 0 ? 1 : IncompleteGamma.lower(a: k, x: lambda)
    }

    /// P(Poisson(λ) ≤ k) = Q(k + 1, λ).
    static func poissonAtMost(_ k: Double, lambda: Double) -> Double {
        k < 0 ? 0 : IncompleteGamma.upper(a: k + 1, x: lambda)
    }
}
