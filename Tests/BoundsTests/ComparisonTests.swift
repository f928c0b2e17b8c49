import Foundation
import Testing
@testable import Bounds

@Suite struct ComparisonTests {
    func entry(_ r: BoundComparison, _ name: String, _ form: String? = nil, valid: Bool = true) -> ComparisonEntry? {
        r.bounds.first { $0.name == name && $0.form == form && $0.valid == valid }
    }

    /// The seed's beer example (notes/bounds.md §2): mean 40/day, P(X ≥ 80), X ~ Poisson(40).
    @Test func beerExample() throws {
        let r = try Comparison(distribution: DistributionSpec(family: "poisson", lambda: 40),
                               event: EventSpec(tail: "upper", threshold: 80)).evaluate()
        #expect(abs(r.exact - 1.695472e-8) / 1.695472e-8 < 1e-6)
        #expect(entry(r, "markov")?.bound == 0.5)
        #expect(entry(r, "chebyshev")?.bound == 0.025)
        #expect(abs(entry(r, "cantelli")!.bound - 40.0 / 1640) < 1e-16)
        let chernoff = entry(r, "chernoff", "exact")!.bound
        #expect(abs(chernoff - pow(exp(1) / 4, 40)) / chernoff < 1e-12)
        #expect(abs(chernoff - 1.947e-7) / 1.947e-7 < 1e-3)
        #expect(abs(entry(r, "chernoff", "simplified")!.bound - exp(-40.0 / 3)) < 1e-18)
        #expect(abs(entry(r, "bernstein")!.bound - exp(-15)) / exp(-15) < 1e-12)
        #expect(abs(entry(r, "bennett")!.bound - chernoff) / chernoff < 1e-12)
        // Sorted tightest first; Chernoff exact and Bennett tie for tightest.
        #expect(r.bounds.first!.tightest)
        #expect(Set(r.bounds.filter(\.tightest).map(\.name)) == ["chernoff", "bennett"])
        let valid = r.bounds.filter(\.valid).map(\.bound)
        #expect(valid == valid.sorted())
        for b in r.bounds where b.valid { #expect(b.bound >= r.exact) }
        #expect(abs(entry(r, "markov")!.ratio! - 0.5 / r.exact) < 1)
    }

    /// The same mean as an exponential: exact tail e^(−2), below Markov's 0.5.
    @Test func beerAsExponential() throws {
        let r = try Comparison(distribution: DistributionSpec(family: "exponential", rate: 1.0 / 40),
                               event: EventSpec(tail: "upper", threshold: 80)).evaluate()
        #expect(abs(r.exact - exp(-2)) < 1e-16)
        #expect(entry(r, "markov")?.bound == 0.5)
        // No Hoeffding/Bernstein for an unbounded upper tail.
        #expect(entry(r, "hoeffding") == nil)
        #expect(entry(r, "bernstein") == nil)
        #expect(entry(r, "chernoff", "mgf")!.bound >= r.exact)
    }

    /// notes §3: Poisson(2), P(X ≥ 12), δ = 5: exp(−δ²μ/3) falls below the exact tail and is invalid.
    @Test func simplificationTrap() throws {
        let r = try Comparison(distribution: DistributionSpec(family: "poisson", lambda: 2),
                               event: EventSpec(tail: "upper", threshold: 12)).evaluate()
        #expect(abs(r.exact - 1.365e-6) / 1.365e-6 < 1e-3)
        let invalid = entry(r, "chernoff", "simplified", valid: false)!
        #expect(invalid.bound < r.exact)
        #expect(abs(invalid.bound - 5.78e-8) / 5.78e-8 < 1e-2)
        #expect(!invalid.tightest)
        #expect(r.bounds.last!.valid == false)
        #expect(abs(entry(r, "chernoff", "exact")!.bound - 1.012e-5) / 1.012e-5 < 1e-3)
        #expect(abs(entry(r, "chernoff", "simplified")!.bound - 7.90e-4) / 7.90e-4 < 1e-2)
        #expect(abs(entry(r, "chernoff", "power2")!.bound - 2.44e-4) / 2.44e-4 < 1e-2)
    }

    /// notes §4: for a standard normal at t = 0.8, Cantelli (0.610) beats the Gaussian MGF bound (0.726).
    @Test func cantelliCanBeatChernoff() throws {
        let r = try Comparison(distribution: DistributionSpec(family: "normal", mean: 0, sd: 1),
                               event: EventSpec(tail: "upper", threshold: 0.8)).evaluate()
        let cantelli = entry(r, "cantelli")!.bound, mgf = entry(r, "chernoff", "mgf")!.bound
        #expect(abs(cantelli - 1 / 1.64) < 1e-15)
        #expect(abs(mgf - exp(-0.32)) < 1e-15)
        #expect(cantelli < mgf)
    }

    /// KL is exact at the extreme: P(all n trials succeed) = p^n.
    @Test func klIsExactAtTheTop() throws {
        let r = try Comparison(distribution: DistributionSpec(family: "binomial", n: 20, p: 0.3),
                               event: EventSpec(tail: "upper", threshold: 20)).evaluate()
        let kl = entry(r, "chernoff", "kl")!.bound
        #expect(abs(kl - pow(0.3, 20)) / kl < 1e-12)
        #expect(abs(r.exact - pow(0.3, 20)) / r.exact < 1e-12)
        #expect(entry(r, "hoeffding")!.bound > 50 * kl)
    }

    @Test func sampleMeanIncludesTheWeakLaw() throws {
        let r = try Comparison(
            distribution: DistributionSpec(family: "sampleMean", n: 100, of: DistributionSpec(family: "uniform", lower: 0, upper: 1)),
            event: EventSpec(tail: "twoSided", threshold: 0.1)).evaluate()
        let w = entry(r, "wlln")!.bound
        #expect(abs(w - (1.0 / 12) / (100 * 0.01)) < 1e-15)
        #expect(entry(r, "hoeffding")!.bound == min(1, 2 * exp(-2 * 100 * 0.01)))
        for b in r.bounds where b.valid { #expect(b.bound >= r.exact) }
    }

    @Test func thresholdOnTheWrongSideLeavesOnlyMarkov() throws {
        let r = try Comparison(distribution: DistributionSpec(family: "poisson", lambda: 40),
                               event: EventSpec(tail: "upper", threshold: 30)).evaluate()
        #expect(r.bounds.map(\.name) == ["markov"])
        #expect(!r.notes.isEmpty)
    }

    @Test func plotIsAnSVGWithEverySeries() throws {
        let svg = try Comparison(distribution: DistributionSpec(family: "poisson", lambda: 40),
                                 event: EventSpec(tail: "upper", threshold: 80)).plot()
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.hasSuffix("</svg>\n"))
        for label in ["exact", "markov", "chebyshev", "cantelli", "chernoff (exact)", "bernstein", "bennett"] {
            #expect(svg.contains(">\(label)</text>"), "legend lacks \(label)")
        }
        #expect(svg.components(separatedBy: "<path").count - 1 >= 7)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        let two = try Comparison(distribution: DistributionSpec(family: "binomial", n: 50, p: 0.5),
                                 event: EventSpec(tail: "twoSided", threshold: 10)).plot()
        #expect(two.contains("hoeffding"))
    }

    @Test func invalidInputNamesTheField() {
        func field(_ c: Comparison) -> String? {
            do { _ = try c.evaluate(); return nil } catch { return error.field }
        }
        let ev = EventSpec(tail: "upper", threshold: 1)
        #expect(field(Comparison(distribution: nil, event: ev)) == "distribution")
        #expect(field(Comparison(distribution: DistributionSpec(family: "binomial", n: 10), event: ev)) == "distribution.p")
        #expect(field(Comparison(distribution: DistributionSpec(family: "binomial", n: 10, p: 1.5), event: ev)) == "distribution.p")
        #expect(field(Comparison(distribution: DistributionSpec(family: "binomial", n: 0, p: 0.5), event: ev)) == "distribution.n")
        #expect(field(Comparison(distribution: DistributionSpec(family: "binomial", n: 2.5, p: 0.5), event: ev)) == "distribution.n")
        #expect(field(Comparison(distribution: DistributionSpec(family: "poisson"), event: ev)) == "distribution.lambda")
        #expect(field(Comparison(distribution: DistributionSpec(family: "normal", mean: 0), event: ev)) == "distribution.sd")
        #expect(field(Comparison(distribution: DistributionSpec(family: "normal", mean: .nan, sd: 1), event: ev)) == "distribution.mean")
        #expect(field(Comparison(distribution: DistributionSpec(family: "exponential", rate: -1), event: ev)) == "distribution.rate")
        #expect(field(Comparison(distribution: DistributionSpec(family: "uniform", lower: 2, upper: 1), event: ev)) == "distribution.lower")
        #expect(field(Comparison(distribution: DistributionSpec(family: "cauchy"), event: ev)) == "distribution.family")
        #expect(field(Comparison(distribution: DistributionSpec(family: "sampleMean", n: 3), event: ev)) == "distribution.of")
        #expect(field(Comparison(distribution: DistributionSpec(family: "sampleMean", n: 3, of: DistributionSpec(family: "poisson")), event: ev)) == "distribution.of.lambda")
        #expect(field(Comparison(distribution: DistributionSpec(family: "sampleMean", n: 0, of: DistributionSpec(family: "poisson", lambda: 1)), event: ev)) == "distribution.n")
        #expect(field(Comparison(distribution: DistributionSpec(family: "poisson", lambda: 1), event: nil)) == "event")
        #expect(field(Comparison(distribution: DistributionSpec(family: "poisson", lambda: 1), event: EventSpec(tail: "upper", threshold: ExactDecimal("1e101")))) == "event.threshold")
        #expect(field(Comparison(distribution: DistributionSpec(family: "poisson", lambda: 1), event: EventSpec(tail: "sideways", threshold: 1))) == "event.tail")
        #expect(field(Comparison(distribution: DistributionSpec(family: "poisson", lambda: 1), event: EventSpec(tail: "twoSided", threshold: -1))) == "event.threshold")
    }

    @Test func decodesTheContractJSON() throws {
        let body = #"{"distribution":{"family":"sampleMean","n":10,"of":{"family":"binomial","n":5,"p":0.2}},"event":{"tail":"lower","threshold":0.4}}"#
        let c = try JSONInput.decode(Comparison.self, from: Data(body.utf8))
        let r = try c.evaluate()
        // X̄ ≤ 0.4 ⇔ S ≤ 4 with S ~ Binomial(50, 0.2).
        var cdf = 0.0
        for k in 0...4 { cdf += Double(binomial(50, k)) * pow(0.2, Double(k)) * pow(0.8, Double(50 - k)) }
        #expect(abs(r.exact - cdf) / cdf < 1e-12)
        #expect(abs(r.mean - 1) < 1e-15)
        #expect(abs(r.variance - 0.08) < 1e-15)
        let encoded = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
        #expect(encoded.contains("\"tightest\":true"))
        do {
            _ = try JSONInput.decode(Comparison.self, from: Data(#"{"distribution":{"family":"poisson","lambda":"x"}}"#.utf8))
            Issue.record("expected a type error")
        } catch {
            #expect(error.field == "distribution.lambda")
        }
        #expect(throws: BoundsError.self) { try JSONInput.decode(Comparison.self, from: Data("{".utf8)) }
    }

    func binomial(_ n: Int, _ k: Int) -> Double {
        var r = 1.0
        for i in 0..<k { r = r * Double(n - i) / Double(i + 1) }
        return r
    }
}

/// The bounds picture as a reader sees it: every curve visible, coincidences named, discrete tails as
/// steps, ticks at round numbers.
@Suite struct ComparisonPlotTests {
    static func plot(_ spec: DistributionSpec, _ tail: String, _ threshold: ExactDecimal) throws -> String {
        try Comparison(distribution: spec, event: EventSpec(tail: tail, threshold: threshold)).plot()
    }

    /// The `d` attributes of the curves (paths with a stroke-width), in drawing order.
    static func curves(_ svg: String) -> [(d: String, attributes: String)] {
        svg.components(separatedBy: "<path d=\"").dropFirst().compactMap { chunk in
            guard let end = chunk.firstIndex(of: "\"") else { return nil }
            let attributes = String(chunk[end...].prefix { $0 != ">" })
            return attributes.contains("stroke-width=\"1.8\" ") || attributes.contains("stroke-width=\"2.5\"")
                ? (String(chunk[..<end]), attributes) : nil
        }
    }

    @Test func coincidingCurvesAreAllVisibleAndNamed() throws {
        let svg = try Self.plot(DistributionSpec(family: "poisson", lambda: 40), "upper", 80)
        // Bennett equals the exact Chernoff form for a Poisson law: the legend says so, both ways.
        #expect(svg.contains(">same curve as chernoff (exact)</text>"))
        #expect(svg.contains(">same curve as bennett</text>"))
        #expect(svg.contains(">overlaps in part cantelli</text>") || svg.contains(">overlaps cantelli</text>"))
        // Every bound curve has its own dash pattern; the exact tail is solid.
        let dashes = Self.curves(svg).map { c in c.attributes.components(separatedBy: "stroke-dasharray=\"").dropFirst().first?.prefix { $0 != "\"" } }
        let patterns = dashes.compactMap { $0.map(String.init) }
        #expect(patterns.count == Set(patterns).count && patterns.count >= 6, "\(patterns)")
        // …and markers of its own (circles, squares, triangles, diamonds, crosses, pluses).
        #expect(svg.components(separatedBy: "<circle").count > 10 && svg.components(separatedBy: "<rect x=").count > 10)
    }

    @Test func discreteExactTailsAreSteps() throws {
        for (spec, tail, x) in [(DistributionSpec(family: "poisson", lambda: 40), "upper", ExactDecimal(80)),
                                (DistributionSpec(family: "binomial", n: 30, p: 0.3), "lower", ExactDecimal(5)),
                                (DistributionSpec(family: "sampleMean", n: 40, of: DistributionSpec(family: "binomial", n: 1, p: 0.3)), "twoSided", 0.15)] {
            let svg = try Self.plot(spec, tail, x)
            let exact = try #require(Self.curves(svg).last { $0.attributes.contains("2.5") })
            let points = exact.d.split(whereSeparator: { $0 == "M" || $0 == "L" }).map { $0.split(separator: " ").compactMap { Double($0) } }
            #expect(points.count > 10)
            // Only horizontal and vertical moves, and both kinds.
            var horizontal = 0, vertical = 0
            for (a, b) in zip(points, points.dropFirst()) where a.count == 2 && b.count == 2 {
                if a[1] == b[1] { horizontal += 1 } else if a[0] == b[0] { vertical += 1 } else { Issue.record("diagonal \(a) → \(b) in \(tail)") }
            }
            #expect(horizontal > 5 && vertical > 5, "\(tail)")
            #expect(svg.contains("steps: the law lives on a lattice"))
        }
        // A continuous law is a smooth line.
        let normal = try Self.plot(DistributionSpec(family: "normal", mean: 0, sd: 1), "upper", 2)
        #expect(!normal.contains("steps: the law lives on a lattice"))
    }

    @Test func ticksAreRoundNumbers() throws {
        let svg = try Self.plot(DistributionSpec(family: "poisson", lambda: 40), "upper", 80)
        for label in ["40", "60", "80", "100", "120"] {
            #expect(svg.contains("text-anchor=\"middle\">\(label)</text>"), "no tick at \(label)")
        }
        #expect(ComparisonPlot.ticks(0, 0.3) == [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3])
        #expect(ComparisonPlot.ticks(40, 120) == [40, 60, 80, 100, 120])
        #expect(ComparisonPlot.ticks(-7.3, 12.9).allSatisfy { ($0 / 5).rounded() * 5 == $0 })
    }
}
