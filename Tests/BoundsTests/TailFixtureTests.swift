import Foundation
import Testing
@testable import Bounds

/// Exact tails against scipy/mpmath (Scripts/generate_tails.py), and every valid bound against the
/// exact probability, over thousands of distributions, tails and thresholds including extremes.
@Suite struct TailFixtureTests {
    struct Case {
        let distribution: Distribution
        let tail: Tail
        let threshold: Double
        let exact: Double
        let label: String
        var isBinomial: Bool {
            switch distribution {
            case .binomial, .sampleMean(of: .binomial, _): return true
            default: return false
            }
        }
    }

    static func cases() throws -> [Case] {
        try FixtureLoader.rows("tails.json", "tails").map { r in
            let (family, a, b, n) = (Int(r[0]), r[1], r[2], Int(r[3]))
            let base: Distribution
            switch family {
            case 0: base = .binomial(n: Int(a), p: b)
            case 1: base = .poisson(lambda: a)
            case 2: base = .normal(mean: a, sd: b)
            case 3: base = .exponential(rate: a)
            default: base = .uniform(lower: a, upper: b)
            }
            let tail: Tail = [.upper, .lower, .twoSided][Int(r[4])]
            let d: Distribution = n == 0 ? base : .sampleMean(of: base, n: n)
            return Case(distribution: d, tail: tail, threshold: r[5], exact: r[6], label: "\(d) \(tail) \(r[5])")
        }
    }

    @Test func exactTailsMatchTheReference() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 3000)
        var worst = 0.0, checked = 0
        for c in cases {
            let p = c.distribution.probability(c.tail, c.threshold)
            if c.exact >= 1e-300 {
                let e = FixtureLoader.relativeError(p, c.exact)
                worst = max(worst, e)
                checked += 1
                #expect(e <= 1e-10, "\(c.label): \(p) vs \(c.exact)")
            } else {
                #expect(p < 1e-290, "\(c.label): \(p) vs \(c.exact)")
            }
        }
        print("exact tails: \(checked) cases ≥ 1e-300, worst relative error \(worst)")
    }

    /// Every valid bound ≥ the exact probability (to 1e−10 relative, the accuracy of both sides);
    /// exact Chernoff ≤ its simplifications; Bennett ≤ Bernstein; the tightest entry is the minimum.
    @Test func everyValidBoundIsAboveTheExactProbability() throws {
        var bounds = 0
        for c in try Self.cases() {
            let result = Comparison.compare(c.distribution, c.tail, c.threshold)
            let exact = max(result.exact, c.exact)
            for b in result.bounds where b.valid {
                bounds += 1
                #expect(b.bound >= exact * (1 - 1e-10), "\(c.label): \(b.name) \(b.form ?? "") \(b.bound) < \(exact)")
            }
            let valid = result.bounds.filter(\.valid)
            if let first = valid.first { #expect(first.tightest && first.bound == valid.map(\.bound).min()) }
            func find(_ name: String, _ form: String? = nil) -> Double? {
                valid.first { $0.name == name && $0.form == form }?.raw
            }
            if let bennett = find("bennett"), let bernstein = find("bernstein") {
                #expect(bennett <= bernstein * (1 + 1e-12), "\(c.label)")
            }
            if let exactForm = find("chernoff", "exact"), let simplified = find("chernoff", "simplified") {
                #expect(exactForm <= simplified * (1 + 1e-12), "\(c.label)")
            }
            // Same range [0, 1] per summand only for binomial laws (a uniform on [0, w] has width w < 1).
            if c.isBinomial, let kl = find("chernoff", "kl"), let hoeffding = find("hoeffding") {
                #expect(kl <= hoeffding * (1 + 1e-12), "\(c.label)")
            }
        }
        print("bounds checked: \(bounds)")
    }
}
