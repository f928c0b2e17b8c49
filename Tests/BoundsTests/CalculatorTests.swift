import Foundation
import Testing
@testable import Bounds

@Suite struct CalculatorTests {
    func field(_ c: some BoundCalculator) -> String? {
        do { _ = try c.evaluate(); return nil } catch { return error.field }
    }

    @Test func markov() throws {
        let r = try Markov(mean: 40, threshold: 80).evaluate()
        #expect(r.bound == 0.5 && r.raw == 0.5 && r.name == "markov")
        #expect(r.statement.latex.contains(#"\Pr(X \ge a)"#))
        #expect(r.assumptions.contains { $0.contains("X ≥ 0") })
        #expect(r.parameters == ["mean": .number(40), "threshold": .number(80)])
        let vacuous = try Markov(mean: 40, threshold: 20).evaluate()
        #expect(vacuous.raw == 2 && vacuous.bound == 1)
        #expect(vacuous.notes.contains("vacuous: the bound is ≥ 1"))
        #expect(field(Markov(mean: 40, threshold: 0)) == "threshold")
        #expect(field(Markov(mean: 40, threshold: -3)) == "threshold")
        #expect(field(Markov(mean: -1, threshold: 3)) == "mean")
        #expect(field(Markov(mean: nil, threshold: 3)) == "mean")
        #expect(field(Markov(mean: .infinity, threshold: 3)) == "mean")
    }

    @Test func chebyshevBothForms() throws {
        let k2 = try Chebyshev(variance: 4, k: 2).evaluate()
        #expect(k2.bound == 0.25)
        #expect(k2.statement.text.contains("kσ"))
        let t = try Chebyshev(variance: 40, deviation: 40).evaluate()
        #expect(t.bound == 0.025)
        let vacuous = try Chebyshev(variance: 4, deviation: 1).evaluate()
        #expect(vacuous.raw == 4 && vacuous.bound == 1 && vacuous.notes.contains("vacuous: the bound is ≥ 1"))
        #expect(field(Chebyshev(variance: -1, k: 2)) == "variance")
        #expect(field(Chebyshev(variance: 1, k: 0)) == "k")
        #expect(field(Chebyshev(variance: 1, k: -2)) == "k")
        #expect(field(Chebyshev(variance: 1, k: 2, deviation: 1)) == "k")
        #expect(field(Chebyshev(variance: 1)) == "deviation")
        #expect(field(Chebyshev(variance: .nan, k: 2)) == "variance")
    }

    @Test func cantelliAndWeakLaw() throws {
        let c = try Cantelli(variance: 40, deviation: 40).evaluate()
        #expect(c.bound == 40.0 / 1640)
        #expect(try Cantelli(variance: 1, deviation: 0.8, tail: "lower").evaluate().statement.text.contains("≤ −t"))
        #expect(field(Cantelli(variance: 1, deviation: 1, tail: "twoSided")) == "tail")
        let w = try WeakLaw(variance: 0.25, n: 100, epsilon: 0.1).evaluate()
        #expect(abs(w.bound - 0.25) < 1e-15)
        #expect(field(WeakLaw(variance: 0.25, n: 0, epsilon: 0.1)) == "n")
        #expect(field(WeakLaw(variance: 0.25, n: 1.5, epsilon: 0.1)) == "n")
        #expect(field(WeakLaw(variance: 0.25, n: 10, epsilon: 0)) == "epsilon")
    }

    @Test func chernoffForms() throws {
        let exact = try Chernoff(mu: 40, delta: 1).evaluate()
        #expect(abs(exact.raw - pow(exp(1) / 4, 40)) / exact.raw < 1e-13)
        #expect(exact.statement == Chernoff.upperExact)
        let small = try Chernoff(mu: 40, delta: 0.5, form: "simplified").evaluate()
        #expect(small.statement == Chernoff.upperThird)
        #expect(abs(small.raw - exp(-0.25 * 40 / 3)) < 1e-18)
        // δ > 1: the simplified form switches to exp(−δ²μ/(2+δ)), never exp(−δ²μ/3).
        let wide = try Chernoff(mu: 2, delta: 5, form: "simplified").evaluate()
        #expect(wide.statement == Chernoff.upperWide)
        #expect(abs(wide.raw - exp(-50.0 / 7)) < 1e-16)
        #expect(wide.notes.contains { $0.contains("2^(−R)") })
        let lower = try Chernoff(mu: 40, delta: 0.5, tail: "lower").evaluate()
        #expect(abs(lower.raw - exp(-40 * (0.5 * log(0.5) + 0.5))) / lower.raw < 1e-13)
        let lowerS = try Chernoff(mu: 40, delta: 0.5, tail: "lower", form: "simplified").evaluate()
        #expect(lowerS.raw == exp(-0.25 * 40 / 2))
        #expect(lower.raw <= lowerS.raw)
        #expect(abs(try Chernoff(mu: 3, delta: 1, tail: "lower").evaluate().raw - exp(-3)) < 1e-16)
        #expect(field(Chernoff(mu: 40, delta: 1.5, tail: "lower")) == "delta")
        #expect(field(Chernoff(mu: 0, delta: 0.5)) == "mu")
        #expect(field(Chernoff(mu: 1, delta: 0)) == "delta")
        #expect(field(Chernoff(mu: 1, delta: 0.5, form: "loose")) == "form")
        #expect(field(Chernoff(mu: 1, delta: 1, tail: "twoSided", form: "simplified")) == "delta")
    }

    @Test func hoeffdingBernsteinBennett() throws {
        let h = try Hoeffding(n: 100, lower: 0, upper: 1, deviation: 0.1, tail: "twoSided").evaluate()
        #expect(h.raw == 2 * exp(-2.0))
        #expect(field(Hoeffding(n: 100, lower: 1, upper: 1, deviation: 0.1)) == "lower")
        #expect(field(Hoeffding(n: 0, lower: 0, upper: 1, deviation: 0.1)) == "n")
        #expect(field(Hoeffding(n: 10, lower: 0, upper: 1, deviation: -0.1)) == "deviation")
        let b = try Bernstein(varianceSum: 40, maxDeviation: 1, deviation: 40).evaluate()
        #expect(abs(b.raw - exp(-15)) / exp(-15) < 1e-14)
        let ben = try Bennett(varianceSum: 40, maxDeviation: 1, deviation: 40).evaluate()
        #expect(abs(ben.raw - pow(exp(1) / 4, 40)) / ben.raw < 1e-13)  // equals exact Chernoff for Poisson
        #expect(ben.raw <= b.raw)
        let two = try Bennett(varianceSum: 40, maxDeviation: 1, deviation: 40, tail: "twoSided").evaluate()
        #expect(two.raw == 2 * ben.raw)
        #expect(try Bennett(varianceSum: 0, maxDeviation: 1, deviation: 1).evaluate().raw == 0)
        #expect(field(Bernstein(varianceSum: -1, maxDeviation: 1, deviation: 1)) == "varianceSum")
        #expect(field(Bennett(varianceSum: 1, maxDeviation: 0, deviation: 1)) == "maxDeviation")
        #expect(field(Bennett(varianceSum: 1, maxDeviation: 1, deviation: 1, tail: "up")) == "tail")
    }

    /// Bennett ≤ Bernstein and exact Chernoff ≤ every simplification over a grid.
    @Test func orderingsOverAGrid() throws {
        for v in [1e-3, 0.1, 1, 40, 1e4] {
            for t in [1e-3, 0.5, 1, 10, 100, 1e4] {
                for m in [0.01, 1, 10] {
                    let ben = BoundFormula.bennett(varianceSum: v, maxDeviation: m, deviation: t)
                    let ber = BoundFormula.bernstein(varianceSum: v, maxDeviation: m, deviation: t)
                    #expect(ben <= ber * (1 + 1e-14), "V=\(v) M=\(m) t=\(t)")
                }
            }
        }
        for mu in [0.1, 1, 40, 1e3] {
            for d in stride(from: 0.05, through: 8, by: 0.05) {
                let e = BoundFormula.chernoffUpperExact(mu: mu, delta: d)
                #expect(e <= BoundFormula.chernoffUpperWide(mu: mu, delta: d) * (1 + 1e-14))
                if d <= 1 {
                    #expect(e <= BoundFormula.chernoffUpperThird(mu: mu, delta: d) * (1 + 1e-14))
                    let l = BoundFormula.chernoffLowerExact(mu: mu, delta: d)
                    #expect(l <= BoundFormula.chernoffLowerHalf(mu: mu, delta: d) * (1 + 1e-14))
                }
            }
        }
    }

    @Test func registryDecodesEveryEndpoint() throws {
        let bodies: [String: String] = [
            "markov": #"{"mean":40,"threshold":80}"#,
            "chebyshev": #"{"variance":40,"deviation":40}"#,
            "cantelli": #"{"variance":40,"deviation":40,"tail":"upper"}"#,
            "wlln": #"{"variance":0.25,"n":100,"epsilon":0.1}"#,
            "chernoff": #"{"mu":40,"delta":1,"tail":"upper","form":"exact"}"#,
            "hoeffding": #"{"n":100,"lower":0,"upper":1,"deviation":0.1,"tail":"twoSided"}"#,
            "bernstein": #"{"varianceSum":40,"maxDeviation":1,"deviation":40,"tail":"upper"}"#,
            "bennett": #"{"varianceSum":40,"maxDeviation":1,"deviation":40,"tail":"upper"}"#,
        ]
        #expect(Set(bodies.keys) == Set(BoundCalculators.names))
        for (name, body) in bodies {
            let r = try BoundCalculators.evaluate(name: name, json: Data(body.utf8))
            #expect(r.name == name)
            #expect(r.bound > 0 && r.bound <= 1)
            let json = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
            for key in ["\"bound\"", "\"raw\"", "\"statement\"", "\"latex\"", "\"assumptions\"", "\"parameters\"", "\"notes\""] {
                #expect(json.contains(key), "\(name) lacks \(key)")
            }
        }
        #expect(throws: BoundsError.unknownBound(name: "median")) {
            try BoundCalculators.evaluate(name: "median", json: Data("{}".utf8))
        }
        do {
            _ = try BoundCalculators.evaluate(name: "markov", json: Data(#"{"mean":"forty","threshold":80}"#.utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error == .invalid(field: "mean", message: "has the wrong type"))
        }
        do {
            _ = try BoundCalculators.evaluate(name: "markov", json: Data("[1,2]".utf8))
            Issue.record("expected an error")
        } catch {
            if case .malformed = error {} else { Issue.record("expected malformed, got \(error)") }
        }
    }
}
