import Foundation
import Testing
@testable import Bounds

/// Inputs at the edges of the accepted ranges never produce NaN, infinities or encoding failures.
@Suite struct ExtremeInputTests {
    static let specs: [DistributionSpec] = [
        DistributionSpec(family: "binomial", n: 1, p: 0),
        DistributionSpec(family: "binomial", n: 1, p: 1),
        DistributionSpec(family: "binomial", n: 1e9, p: 1e-300),
        DistributionSpec(family: "binomial", n: 1e9, p: 0.5),
        DistributionSpec(family: "poisson", lambda: 1e-100),
        DistributionSpec(family: "poisson", lambda: 1e9),
        DistributionSpec(family: "normal", mean: 1e100, sd: 1e-100),
        DistributionSpec(family: "normal", mean: -1e100, sd: 1e100),
        DistributionSpec(family: "exponential", rate: 1e100),
        DistributionSpec(family: "exponential", rate: 1e-100),
        DistributionSpec(family: "uniform", lower: -1e100, upper: 1e100),
        DistributionSpec(family: "uniform", lower: 0, upper: 1e-90),
        DistributionSpec(family: "sampleMean", n: 1e6, of: DistributionSpec(family: "exponential", rate: 1e100)),
        DistributionSpec(family: "sampleMean", n: 1000, of: DistributionSpec(family: "uniform", lower: 0, upper: 1)),
        DistributionSpec(family: "sampleMean", n: 1e6, of: DistributionSpec(family: "normal", mean: 0, sd: 1e100)),
        DistributionSpec(family: "sampleMean", n: 1000, of: DistributionSpec(family: "binomial", n: 1e6, p: 0.999)),
    ]
    static let thresholds: [Double] = [-1e100, -1, -1e-100, 0, 1e-100, 0.5, 1, 1e9, 1e100]

    @Test func compareStaysFinite() throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .throw
        for spec in Self.specs {
            for tail in Tail.allCases {
                for threshold in Self.thresholds where tail != .twoSided || threshold > 0 {
                    let c = Comparison(distribution: spec, event: EventSpec(tail: tail.rawValue, threshold: ExactDecimal(threshold)))
                    let r = try c.evaluate()
                    #expect(r.exact >= 0 && r.exact <= 1, "\(spec) \(tail) \(threshold): exact \(r.exact)")
                    for b in r.bounds {
                        #expect(b.bound >= 0 && b.bound <= 1 && !b.raw.isNaN, "\(spec) \(tail) \(threshold): \(b)")
                        if b.valid { #expect(b.bound >= r.exact * (1 - 1e-10), "\(spec) \(tail) \(threshold): \(b)") }
                    }
                    _ = try encoder.encode(r)
                }
            }
        }
        // One plot at the extremes.
        let svg = try Comparison(distribution: Self.specs[6], event: EventSpec(tail: "upper", threshold: 1e100)).plot()
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func calculatorsStayFinite() throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .throw
        let results: [BoundResult] = [
            try Markov(mean: 1e100, threshold: 1e-100).evaluate(),
            try Chebyshev(variance: 1e100, deviation: 1e-100).evaluate(),
            try Chebyshev(variance: 0, k: 1e-100).evaluate(),
            try WeakLaw(variance: 1e100, n: 1, epsilon: 1e-100).evaluate(),
            try Chernoff(mu: 1e100, delta: 1e100).evaluate(),
            try Chernoff(mu: 1e-100, delta: 1e-100, tail: "twoSided").evaluate(),
            try Hoeffding(n: 1e15, lower: -1e100, upper: 1e100, deviation: 1e-100).evaluate(),
            try Bernstein(varianceSum: 1e100, maxDeviation: 1e-100, deviation: 1e100).evaluate(),
            try Bennett(varianceSum: 1e-100, maxDeviation: 1e100, deviation: 1e100).evaluate(),
        ]
        for r in results {
            #expect(r.raw.isFinite && r.bound >= 0 && r.bound <= 1, "\(r.name) \(r.raw)")
            _ = try encoder.encode(r)
        }
    }
}
