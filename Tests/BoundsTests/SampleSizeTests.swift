import Foundation
import Testing
@testable import Bounds

@Suite struct SampleSizeTests {
    struct File: Decodable { let cases: [[String]] }

    func dec(_ s: String) -> ExactDecimal? { s.isEmpty ? nil : ExactDecimal(s)! }

    /// Exact n against Python fractions / mpmath (Scripts/generate_sample_sizes.py), including
    /// hundreds of Chebyshev cases whose quotient is an exact integer.
    @Test func matchesExactReference() throws {
        let file = try JSONDecoder().decode(File.self, from: FixtureLoader.data("sample_sizes.json"))
        #expect(file.cases.count >= 1000)
        for r in file.cases {
            let request = SampleSize(method: r[0], variance: dec(r[2]), epsilon: dec(r[3]), delta: dec(r[4]),
                                     range: dec(r[5]), p: dec(r[6]), maxDeviation: dec(r[7]), tail: r[1])
            let result = try request.evaluate()
            #expect(result.n == Int(r[8])!, "\(r)")
            #expect(result.bound <= request.delta!.doubleValue * (1 + 1e-12), "\(r)")
        }
    }

    @Test func chebyshevIsExactWhereFloatingPointOvershoots() throws {
        // Floating point: 0.09/(0.03·0.01·0.01) = 30000.000000000004 → 30001 (other orders give
        // 29999.999999999996 or 30000: the answer depends on evaluation order).
        let (v, e, d) = (Double("0.09")!, Double("0.01")!, Double("0.03")!)
        #expect((v / (d * e * e)).rounded(.up) == 30001)
        let r = try SampleSize(method: "chebyshev", variance: ExactDecimal("0.09"), epsilon: ExactDecimal("0.01"),
                               delta: ExactDecimal("0.03")).evaluate()
        #expect(r.n == 30000)
        let json = #"{"method":"chebyshev","variance":0.07,"epsilon":0.001,"delta":0.01}"#
        let decoded = try JSONInput.decode(SampleSize.self, from: Data(json.utf8))
        #expect(try decoded.evaluate().n == 7_000_000)
        let strings = #"{"method":"wlln","variance":"0.09","epsilon":"1e-2","delta":"0.03"}"#
        #expect(try JSONInput.decode(SampleSize.self, from: Data(strings.utf8)).evaluate().n == 30000)
    }

    @Test func notesExamples() throws {
        let h = try SampleSize(method: "hoeffding", epsilon: ExactDecimal("0.02"), delta: ExactDecimal("0.01"),
                               range: ExactDecimal("1")).evaluate()
        #expect(h.n == 6623)
        #expect(abs(h.value - 6622.9) < 0.1)
        let one = try SampleSize(method: "hoeffding", epsilon: ExactDecimal("0.02"), delta: ExactDecimal("0.01"),
                                 range: ExactDecimal("1"), tail: "upper").evaluate()
        #expect(one.n == Int((log(100.0) / 0.0008).rounded(.up)))
        let c = try SampleSize(method: "chernoff", epsilon: ExactDecimal("0.1"), delta: ExactDecimal("0.05"),
                               p: ExactDecimal("0.5")).evaluate()
        #expect(c.n == Int((3 * log(40.0) / (0.01 * 0.5)).rounded(.up)))
        let b = try SampleSize(method: "bernstein", variance: ExactDecimal("0.25"), epsilon: ExactDecimal("0.1"),
                               delta: ExactDecimal("0.05"), maxDeviation: ExactDecimal("0.5")).evaluate()
        #expect(b.n == Int(((2 * 0.25 / 0.01 + 1 / 0.3) * log(40.0)).rounded(.up)))
    }

    @Test func invalidInputNamesTheField() {
        func field(_ s: SampleSize) -> String? {
            do { _ = try s.evaluate(); return nil } catch { return error.field }
        }
        #expect(field(SampleSize(method: nil)) == "method")
        #expect(field(SampleSize(method: "markov", epsilon: ExactDecimal("0.1"), delta: ExactDecimal("0.1"))) == "method")
        #expect(field(SampleSize(method: "median")) == "method")
        #expect(field(SampleSize(method: "chebyshev", variance: ExactDecimal("-1"), epsilon: ExactDecimal("0.1"), delta: ExactDecimal("0.1"))) == "variance")
        #expect(field(SampleSize(method: "chebyshev", variance: ExactDecimal("1"), epsilon: ExactDecimal("0"), delta: ExactDecimal("0.1"))) == "epsilon")
        #expect(field(SampleSize(method: "chebyshev", variance: ExactDecimal("1"), epsilon: ExactDecimal("0.1"), delta: ExactDecimal("1"))) == "delta")
        #expect(field(SampleSize(method: "chebyshev", variance: ExactDecimal("1"), epsilon: ExactDecimal("0.1"))) == "delta")
        #expect(field(SampleSize(method: "chernoff", epsilon: ExactDecimal("1.5"), delta: ExactDecimal("0.1"), p: ExactDecimal("0.5"))) == "epsilon")
        #expect(field(SampleSize(method: "chernoff", epsilon: ExactDecimal("0.5"), delta: ExactDecimal("0.1"), p: ExactDecimal("1.5"))) == "p")
        #expect(field(SampleSize(method: "hoeffding", epsilon: ExactDecimal("0.5"), delta: ExactDecimal("0.1"))) == "range")
        #expect(field(SampleSize(method: "hoeffding", epsilon: ExactDecimal("0.5"), delta: ExactDecimal("0.1"), range: ExactDecimal("1"), tail: "diagonal")) == "tail")
        #expect(field(SampleSize(method: "bernstein", variance: ExactDecimal("1"), epsilon: ExactDecimal("0.5"), delta: ExactDecimal("0.1"))) == "maxDeviation")
        #expect(field(SampleSize(method: "chebyshev", variance: ExactDecimal("1"), epsilon: ExactDecimal("1e-90"), delta: ExactDecimal("0.1"))) == "epsilon")
        #expect(ExactDecimal("abc") == nil)
        #expect(ExactDecimal("1e") == nil)
        #expect(ExactDecimal("NaN") == nil)
        #expect(throws: BoundsError.self) {
            try JSONInput.decode(SampleSize.self, from: Data(#"{"method":"chebyshev","variance":"x"}"#.utf8))
        }
    }
}

/// `value` is the exact quotient rounded once: no 29999.999999999996 beside n = 30000.
@Suite struct SampleSizeValueTests {
    func value(_ variance: String, _ epsilon: String, _ delta: String) throws -> SampleSizeResult {
        try SampleSize(method: "chebyshev", variance: ExactDecimal(variance), epsilon: ExactDecimal(epsilon),
                       delta: ExactDecimal(delta)).evaluate()
    }

    @Test func integerValuesAreShownExactly() throws {
        let r = try value("0.09", "0.01", "0.03")
        #expect(r.n == 30000 && r.value == 30000)
        let s = try value("0.07", "0.001", "0.01")
        #expect(s.n == 7_000_000 && s.value == 7_000_000)
    }

    /// Against IEEE division of exactly representable integers (itself correctly rounded):
    /// variance p, ε = 1, δ = q/1000 gives 1000p/q.
    @Test func otherValuesAreCorrectlyRounded() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let p = UInt64.random(in: 1...1_000_000_000, using: &rng), q = UInt64.random(in: 1...999, using: &rng)
            let r = try value(String(p), "1", "0.\(String(repeating: "0", count: 3 - String(q).count))\(q)")
            #expect(r.value == Double(1000 * p) / Double(q), "\(p) / \(q)")
        }
    }
}
