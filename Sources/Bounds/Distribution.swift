import Foundation

/// A validated distribution with its exact tail probabilities.
///
/// Conventions (mirrored exactly by the fixture generator):
/// - `upper`: P(X ≥ x); `lower`: P(X ≤ x); `twoSided`: P(|X − mean| ≥ d) = P(X ≥ mean + d) + P(X ≤ mean − d),
///   evaluated from d directly (see `twoSidedTail`), with mean the double n·p, λ, μ, 1/rate, a/2 + b/2.
/// - Discrete laws round thresholds to the integer grid exactly: P(X ≥ x) = P(X ≥ ⌈x⌉); for the mean
///   of n binomial or Poisson variables, P(X̄ ≥ x) = P(S ≥ ⌈n·x⌉) with n·x taken exactly (fma).
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

    /// The exact probability of the event; `threshold` is the deviation d for `twoSided`.
    public func probability(_ tail: Tail, _ threshold: Double) -> Double {
        switch tail {
        case .upper: return upperTail(threshold)
        case .lower: return lowerTail(threshold)
        case .twoSided:
            return min(1, twoSidedTail(threshold))
        }
    }

    /// P(|X − mean| ≥ d), d > 0, without rounding mean ± d where it matters: closed forms in d for
    /// continuous laws; exact integer cut-offs ⌈mean + d⌉, ⌊mean − d⌋ (TwoSum) for discrete ones.
    public func twoSidedTail(_ d: Double) -> Double {
        let m = mean
        switch self {
        case .binomial(let n, let p):
            let (hi, lo) = Self.integerCutoffs(1, m, d)
            return Self.binomialAtLeast(hi, n: Double(n), p: p) + Self.binomialAtMost(lo, n: Double(n), p: p)
        case .poisson(let lambda):
            let (hi, lo) = Self.integerCutoffs(1, m, d)
            return Self.poissonAtLeast(hi, lambda: lambda) + Self.poissonAtMost(lo, lambda: lambda)
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
            case .binomial(let trials, let p):
                let (hi, lo) = Self.integerCutoffs(nd, m, d)
                let total = nd * Double(trials)
                return Self.binomialAtLeast(hi, n: total, p: p) + Self.binomialAtMost(lo, n: total, p: p)
            case .poisson(let lambda):
                let (hi, lo) = Self.integerCutoffs(nd, m, d)
                return Self.poissonAtLeast(hi, lambda: nd * lambda) + Self.poissonAtMost(lo, lambda: nd * lambda)
            case .normal(_, let sd):
                return exp(ErrorFunction.logErfc((d / (sd / nd.squareRoot())) * 0.70710678118654752440))
            case .exponential(let rate):
                let r = rate * d
                return IncompleteGamma.upper(a: nd, x: nd * (1 + r)) + (r < 1 ? IncompleteGamma.lower(a: nd, x: nd * (1 - r)) : 0)
            case .uniform(let a, let b):
                let h = nd * d / (b - a)
                return IrwinHall.survival(n: n, x: nd / 2 + h) + IrwinHall.cdf(n: n, x: nd / 2 - h)
            case .sampleMean:
                return .nan
            }
        }
    }

    /// (⌈n·(m + d)⌉, ⌊n·(m − d)⌋) for the exact sums m ± d (TwoSum error terms e; a product n·s that
    /// is an exact integer moves by one when e pushes past it).
    static func integerCutoffs(_ n: Double, _ m: Double, _ d: Double) -> (Double, Double) {
        func twoSum(_ a: Double, _ b: Double) -> (Double, Double) {
            let s = a + b
            let bb = s - a
            return (s, (a - (s - bb)) + (b - bb))
        }
        let (sHi, eHi) = twoSum(m, d)
        var hi = ceiling(n, sHi)
        if eHi > 0 && fma(n, sHi, -hi) == 0 { hi += 1 }
        let (sLo, eLo) = twoSum(m, -d)
        var lo = floor(n, sLo)
        if eLo < 0 && fma(n, sLo, -lo) == 0 { lo -= 1 }
        return (hi, lo)
    }

    /// P(X ≥ x).
    public func upperTail(_ x: Double) -> Double {
        switch self {
        case .binomial(let n, let p):
            return Self.binomialAtLeast(Self.ceiling(1, x), n: Double(n), p: p)
        case .poisson(let lambda):
            return Self.poissonAtLeast(Self.ceiling(1, x), lambda: lambda)
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
            case .binomial(let m, let p):
                return Self.binomialAtLeast(Self.ceiling(nd, x), n: nd * Double(m), p: p)
            case .poisson(let lambda):
                return Self.poissonAtLeast(Self.ceiling(nd, x), lambda: nd * lambda)
            case .normal(let mu, let sd):
                return exp(ErrorFunction.logNormalUpperTail((x - mu) / (sd / nd.squareRoot())))
            case .exponential(let rate):
                return x <= 0 ? 1 : IncompleteGamma.upper(a: nd, x: nd * rate * x)
            case .uniform(let a, let b):
                return IrwinHall.survival(n: n, x: nd * (x - a) / (b - a))
            case .sampleMean:
                return .nan
            }
        }
    }

    /// P(X ≤ x).
    public func lowerTail(_ x: Double) -> Double {
        switch self {
        case .binomial(let n, let p):
            return Self.binomialAtMost(Self.floor(1, x), n: Double(n), p: p)
        case .poisson(let lambda):
            return Self.poissonAtMost(Self.floor(1, x), lambda: lambda)
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
            case .binomial(let m, let p):
                return Self.binomialAtMost(Self.floor(nd, x), n: nd * Double(m), p: p)
            case .poisson(let lambda):
                return Self.poissonAtMost(Self.floor(nd, x), lambda: nd * lambda)
            case .normal(let mu, let sd):
                return exp(ErrorFunction.logNormalUpperTail(-(x - mu) / (sd / nd.squareRoot())))
            case .exponential(let rate):
                return x <= 0 ? 0 : IncompleteGamma.lower(a: nd, x: nd * rate * x)
            case .uniform(let a, let b):
                return IrwinHall.cdf(n: n, x: nd * (x - a) / (b - a))
            case .sampleMean:
                return .nan
            }
        }
    }

    /// ⌈n·x⌉ for the exact product (n a positive integer-valued double).
    static func ceiling(_ n: Double, _ x: Double) -> Double {
        let c = (n * x).rounded(.up)
        if fma(n, x, -c) > 0 { return c + 1 }
        if fma(n, x, -(c - 1)) <= 0 { return c - 1 }
        return c
    }

    /// ⌊n·x⌋ for the exact product.
    static func floor(_ n: Double, _ x: Double) -> Double {
        let f = (n * x).rounded(.down)
        if fma(n, x, -f) < 0 { return f - 1 }
        if fma(n, x, -(f + 1)) >= 0 { return f + 1 }
        return f
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
