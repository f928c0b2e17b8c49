/// The `distribution` object of `POST /v1/bounds/compare`, as decoded (every field optional so that
/// a missing parameter is reported with its name by `Distribution(validating:)`):
/// `{family: binomial, n, p}`, `{family: poisson, lambda}`, `{family: normal, mean, sd}`,
/// `{family: exponential, rate}`, `{family: uniform, lower, upper}`, `{family: sampleMean, of: {…}, n}`.
public struct DistributionSpec: Sendable, Equatable, Codable {
    public var family: String?
    public var n: Double?
    public var p: Double?
    public var lambda: Double?
    public var mean: Double?
    public var sd: Double?
    public var rate: Double?
    public var lower: Double?
    public var upper: Double?
    /// Stored in an array to give the recursive field an indirection.
    private var ofStorage: [DistributionSpec]

    /// The summand distribution of a `sampleMean`.
    public var of: DistributionSpec? {
        get { ofStorage.first }
        set { ofStorage = newValue.map { [$0] } ?? [] }
    }

    public init(family: String?, n: Double? = nil, p: Double? = nil, lambda: Double? = nil,
                mean: Double? = nil, sd: Double? = nil, rate: Double? = nil,
                lower: Double? = nil, upper: Double? = nil, of: DistributionSpec? = nil) {
        self.family = family
        self.n = n
        self.p = p
        self.lambda = lambda
        self.mean = mean
        self.sd = sd
        self.rate = rate
        self.lower = lower
        self.upper = upper
        self.ofStorage = of.map { [$0] } ?? []
    }

    enum CodingKeys: String, CodingKey { case family, n, p, lambda, mean, sd, rate, lower, upper, of }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        family = try c.decodeIfPresent(String.self, forKey: .family)
        n = try c.decodeIfPresent(Double.self, forKey: .n)
        p = try c.decodeIfPresent(Double.self, forKey: .p)
        lambda = try c.decodeIfPresent(Double.self, forKey: .lambda)
        mean = try c.decodeIfPresent(Double.self, forKey: .mean)
        sd = try c.decodeIfPresent(Double.self, forKey: .sd)
        rate = try c.decodeIfPresent(Double.self, forKey: .rate)
        lower = try c.decodeIfPresent(Double.self, forKey: .lower)
        upper = try c.decodeIfPresent(Double.self, forKey: .upper)
        ofStorage = try c.decodeIfPresent(DistributionSpec.self, forKey: .of).map { [$0] } ?? []
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(family, forKey: .family)
        try c.encodeIfPresent(n, forKey: .n)
        try c.encodeIfPresent(p, forKey: .p)
        try c.encodeIfPresent(lambda, forKey: .lambda)
        try c.encodeIfPresent(mean, forKey: .mean)
        try c.encodeIfPresent(sd, forKey: .sd)
        try c.encodeIfPresent(rate, forKey: .rate)
        try c.encodeIfPresent(lower, forKey: .lower)
        try c.encodeIfPresent(upper, forKey: .upper)
        try c.encodeIfPresent(of, forKey: .of)
    }
}
