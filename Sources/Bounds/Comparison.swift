import Foundation

/// `POST /v1/bounds/compare`: every bound whose hypotheses hold, beside the exact tail of a named
/// distribution.
///
/// ```swift
/// let beer = Comparison(distribution: DistributionSpec(family: "poisson", lambda: 40),
///                       event: EventSpec(tail: "upper", threshold: ExactDecimal("80")))
/// let result = try beer.evaluate()   // exact 1.6955e−8; markov 0.5, chebyshev 0.025, …
/// let svg = try beer.plot()          // bound vs exact tail over a range of thresholds
/// ```
public struct Comparison: Sendable, Equatable, Codable {
    public var distribution: DistributionSpec?
    public var event: EventSpec?

    public init(distribution: DistributionSpec?, event: EventSpec?) {
        self.distribution = distribution
        self.event = event
    }

    /// The validated request.
    struct Validated: Sendable {
        let distribution: Distribution
        let tail: Tail
        let threshold: ExactDecimal
    }

    func validated() throws(BoundsError) -> Validated {
        guard let spec = distribution else { throw .invalid(field: "distribution", message: "is required") }
        let dist = try Distribution(validating: spec)
        guard let event else { throw .invalid(field: "event", message: "is required") }
        let v = FieldValidator(prefix: "event.")
        let tail = try v.tail(event.tail, default: .upper, allowed: Tail.allCases)
        guard let exact = event.threshold else { throw v.fail("threshold", "is required") }
        let threshold = try v.number(exact.doubleValue, "threshold")
        if tail == .twoSided {
            guard threshold > 0, !exact.isNegative, !exact.isZero else {
                throw v.fail("threshold", "must be > 0 for twoSided (it is the deviation from the mean)")
            }
        }
        return Validated(distribution: dist, tail: tail, threshold: exact)
    }

    public func evaluate() throws(BoundsError) -> BoundComparison {
        let request = try validated()
        return Self.compare(request.distribution, request.tail, request.threshold)
    }

    /// The comparison at a double threshold, read as the decimal it prints as.
    public static func compare(_ distribution: Distribution, _ tail: Tail, _ threshold: Double) -> BoundComparison {
        compare(distribution, tail, ExactDecimal(threshold))
    }

    /// The comparison for an already validated distribution and event. The exact probability is taken
    /// on the lattice of a discrete law with the threshold as the exact decimal it is, and every bound
    /// at the same deviation t, computed exactly and rounded once.
    public static func compare(_ distribution: Distribution, _ tail: Tail, _ threshold: ExactDecimal) -> BoundComparison {
        let exact = distribution.probability(tail, threshold)
        let model = BoundModel(distribution)
        let t = distribution.deviation(tail, threshold)
        let evaluations = model.evaluate(tail, threshold: threshold.doubleValue, deviation: t)
        let best = evaluations.filter(\.valid).map { min(1, $0.raw) }.min()
        var entries = evaluations.map { e -> ComparisonEntry in
            let bound = min(1, e.raw)
            return ComparisonEntry(
                name: e.name, form: e.form, bound: bound, raw: min(e.raw, .greatestFiniteMagnitude),
                ratio: exact > 0 && (bound / exact).isFinite ? bound / exact : nil, valid: e.valid,
                tightest: e.valid && best.map { bound <= $0 * (1 + 1e-12) } == true,
                statement: e.statement, reason: e.reason)
        }
        entries.sort { a, b in
            if a.valid != b.valid { return a.valid }
            if a.bound != b.bound { return a.bound < b.bound }
            return a.name < b.name
        }
        var notes: [String] = []
        if t <= 0 {
            notes.append("the threshold is not in the \(tail.rawValue) tail beyond the mean: deviation bounds do not apply")
        }
        if exact == 0 { notes.append("the exact probability is 0 (or below the double range)") }
        if entries.contains(where: { !$0.valid }) {
            notes.append("entries with valid = false are shown for contrast and are not bounds here")
        }
        return BoundComparison(exact: exact, mean: distribution.mean, variance: distribution.variance,
                               deviation: abs(t), lattice: distribution.latticeEvent(tail, threshold),
                               bounds: entries, notes: notes)
    }

    /// The SVG picture for `Accept: image/svg+xml`.
    public func plot() throws(BoundsError) -> String {
        let request = try validated()
        return ComparisonPlot.svg(request.distribution, request.tail, request.threshold.doubleValue)
    }
}
