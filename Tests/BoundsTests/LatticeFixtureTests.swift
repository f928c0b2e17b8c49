import Foundation
import Testing
@testable import Bounds

/// Decimal thresholds meet the lattice of every discrete law exactly (Scripts/generate_lattice.py:
/// binomial and Poisson laws and means of up to 10⁶ of them, decimal p such as 0.1, 0.3, 0.7, every
/// tail, thresholds on lattice points and 10⁻¹ … 10⁻²⁰ beside them).
@Suite struct LatticeFixtureTests {
    struct Row: Decodable {
        let family: String, param: String, p: String?, n: Int, tail: String, threshold: String
        let atLeast: Int?, atMost: Int?, exact: Double
    }
    struct File: Decodable { let rows: [Row] }

    static func distribution(_ r: Row) -> Distribution {
        let base: Distribution = r.family == "binomial"
            ? .binomial(n: Int(r.param)!, p: Double(r.p!)!) : .poisson(lambda: Double(r.param)!)
        return r.n == 0 ? base : .sampleMean(of: base, n: r.n)
    }

    @Test func cutOffsAndProbabilitiesMatchTheReference() throws {
        let rows = try JSONDecoder().decode(File.self, from: FixtureLoader.data("lattice.json")).rows
        #expect(rows.count >= 2000)
        var checked = 0
        for r in rows {
            let d = Self.distribution(r)
            let tail = Tail(rawValue: r.tail)!
            let x = try #require(ExactDecimal(r.threshold))
            let event = d.latticeEvent(tail, x)
            let label = "\(d) \(r.tail) \(r.threshold)"
            #expect(event?.atLeast == r.atLeast && event?.atMost == r.atMost,
                    "\(label): \(String(describing: event)) vs ≥ \(String(describing: r.atLeast)), ≤ \(String(describing: r.atMost))")
            let p = d.probability(tail, x)
            if r.exact >= 1e-300 {
                #expect(FixtureLoader.relativeError(p, r.exact) <= 1e-9, "\(label): \(p) vs \(r.exact)")
                checked += 1
            } else {
                #expect(p < 1e-290, "\(label): \(p) vs \(r.exact)")
            }
            // The comparison reports the same event and value.
            let c = Comparison.compare(d, tail, x)
            #expect(c.exact == p && c.lattice == event, "\(label)")
        }
        print("lattice tails: \(rows.count) rows, \(checked) probabilities ≥ 1e-300")
    }

    /// The issue's cases through the request type, as a caller writes them.
    @Test func theMeanOf200TrialsAt04CountsS80() throws {
        let body = #"{"distribution":{"family":"sampleMean","n":200,"of":{"family":"binomial","n":1,"p":0.3}},"event":{"tail":"upper","threshold":0.4}}"#
        let r = try JSONInput.decode(Comparison.self, from: Data(body.utf8)).evaluate()
        #expect(r.lattice == LatticeEvent(variable: "S = 200·X̄", atLeast: 80, atMost: nil))
        #expect(abs(r.exact - 0.0016368053245546274) <= 1e-12 * r.exact)
        // The bounds are taken at the exact deviation 0.4 − 0.3 = 0.1 (not 0.10000000000000003).
        #expect(r.deviation == 0.1)
        #expect(r.bounds.first { $0.name == "chebyshev" }?.bound == BoundFormula.chebyshev(variance: r.variance, deviation: 0.1))

        let two = #"{"distribution":{"family":"sampleMean","n":1000,"of":{"family":"binomial","n":1,"p":0.5}},"event":{"tail":"twoSided","threshold":0.05}}"#
        let t = try JSONInput.decode(Comparison.self, from: Data(two.utf8)).evaluate()
        #expect(t.lattice == LatticeEvent(variable: "S = 1000·X̄", atLeast: 550, atMost: 450))
        #expect(abs(t.exact - 0.0017305360849763027) <= 1e-12 * t.exact)
    }
}

/// The double-threshold fast path decides exactly as the exact decimal path wherever it answers.
@Suite struct LatticeFastPathTests {
    @Test func fastPathAgreesWithTheExactPath() {
        var rng = SystemRandomNumberGenerator()
        var decidedFast = 0
        for _ in 0..<20_000 {
            let n = [1, 2, 3, 10, 200, 1000, 12345, 1_000_000].randomElement(using: &rng)!
            let base: Distribution = Bool.random(using: &rng)
                ? .binomial(n: Int.random(in: 1...50, using: &rng), p: [0.1, 0.3, 0.7, 0.5, 0.123, 0.6].randomElement(using: &rng)!)
                : .poisson(lambda: [0.3, 2.5, 40, 0.05, 7].randomElement(using: &rng)!)
            let d: Distribution = n == 1 ? base : .sampleMean(of: base, n: n)
            let tail = Tail.allCases.randomElement(using: &rng)!
            let sd = d.variance.squareRoot()
            // Thresholds on lattice points, beside them, and anywhere.
            let k = (d.mean + Double.random(in: -4...4, using: &rng) * sd) * Double(n)
            var x = [k.rounded() / Double(n), (k.rounded() + 1e-9) / Double(n), k / Double(n), k.rounded()].randomElement(using: &rng)!
            if tail == .twoSided { x = abs(x - d.mean) }
            guard x > 0 || tail != .twoSided else { continue }
            let exact = d.latticeEvent(tail, ExactDecimal(x))
            if let fast = d.nearbyLatticeEvent(tail, x, n) {
                decidedFast += 1
                #expect(fast == exact, "\(d) \(tail) \(x)")
            }
        }
        #expect(decidedFast > 5000)
    }
}
