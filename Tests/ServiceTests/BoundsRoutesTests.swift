import Foundation
import Testing

/// End-to-end tests of the bounds endpoints over HTTP (issue 4).
@Suite struct BoundsRoutesTests {
    @Test func everyCalculator() throws {
        let h = try ServiceHarness()
        let cases: [(String, [String: Any], Double)] = [
            ("markov", ["mean": 40, "threshold": 80], 0.5),
            ("chebyshev", ["variance": 40, "deviation": 40], 0.025),
            ("chebyshev", ["variance": 1, "k": 2], 0.25),
            ("cantelli", ["variance": 40, "deviation": 40, "tail": "lower"], 40.0 / 1640),
            ("wlln", ["variance": 0.25, "n": 100, "epsilon": 0.1], 0.25),
            ("chernoff", ["mu": 40, "delta": 1, "tail": "upper", "form": "simplified"], exp(-40.0 / 3)),
            ("hoeffding", ["n": 100, "lower": 0, "upper": 1, "deviation": 0.1, "tail": "twoSided"], 2 * exp(-2.0)),
            ("bernstein", ["varianceSum": 40, "maxDeviation": 1, "deviation": 40], exp(-15.0)),
            ("bennett", ["varianceSum": 40, "maxDeviation": 1, "deviation": 40], pow(exp(1) / 4, 40)),
        ]
        for (name, body, expected) in cases {
            let r = try h.post("/v1/bounds/\(name)", json: body)
            #expect(r.status == 200, "\(name): \(r.text)")
            let doc = try r.json()
            let bound = doc["bound"] as! Double
            #expect(abs(bound - expected) <= 1e-12 * expected, "\(name)")
            #expect(doc["raw"] is Double)
            let statement = doc["statement"] as! [String: Any]
            #expect(statement["text"] is String && statement["latex"] is String)
            #expect((doc["assumptions"] as! [String]).count >= 2)
            #expect(doc["parameters"] is [String: Any])
            #expect(doc["notes"] is [String])
        }
        let vacuous = try h.post("/v1/bounds/chebyshev", json: ["variance": 4, "deviation": 1]).json()
        #expect(vacuous["bound"] as? Double == 1 && vacuous["raw"] as? Double == 4)
        #expect((vacuous["notes"] as! [String]).contains("vacuous: the bound is ≥ 1"))
        let chernoff = try h.post("/v1/bounds/chernoff", json: ["mu": 2, "delta": 5, "form": "simplified"]).json()
        #expect(((chernoff["statement"] as! [String: Any])["text"] as! String).contains("(2+δ)"))
    }

    @Test func compareBeerExample() throws {
        let h = try ServiceHarness()
        let r = try h.post("/v1/bounds/compare", json: ["distribution": ["family": "poisson", "lambda": 40],
                                                        "event": ["tail": "upper", "threshold": 80]])
        #expect(r.status == 200)
        let doc = try r.json()
        let exact = doc["exact"] as! Double
        #expect(abs(exact - 1.6954720e-8) / 1.6954720e-8 < 1e-6)
        #expect(doc["mean"] as? Double == 40 && doc["variance"] as? Double == 40)
        let bounds = doc["bounds"] as! [[String: Any]]
        #expect(bounds.first?["tightest"] as? Bool == true)
        let markov = bounds.first { $0["name"] as? String == "markov" }!
        #expect(markov["bound"] as? Double == 0.5 && markov["valid"] as? Bool == true)
        for b in bounds where b["valid"] as? Bool == true { #expect((b["bound"] as! Double) >= exact) }
        #expect(Set(bounds.map { $0["name"] as! String }).isSuperset(of: ["markov", "chebyshev", "cantelli", "chernoff", "bernstein", "bennett"]))
    }

    @Test func compareAsSVG() throws {
        let h = try ServiceHarness()
        let body = try JSONSerialization.data(withJSONObject: ["distribution": ["family": "binomial", "n": 100, "p": 0.3],
                                                               "event": ["tail": "twoSided", "threshold": 10]])
        let r = try h.request("POST", "/v1/bounds/compare", body: body,
                              headers: ["Content-Type": "application/json", "Accept": "image/svg+xml"])
        #expect(r.status == 200)
        #expect(r.header("Content-Type")?.hasPrefix("image/svg+xml") == true)
        #expect(r.text.hasPrefix("<svg") && r.text.contains("hoeffding"))
    }

    @Test func sampleSizeIsExactOnDecimals() throws {
        let h = try ServiceHarness()
        let r = try h.post("/v1/bounds/sample-size", raw: #"{"method":"chebyshev","variance":0.09,"epsilon":0.01,"delta":0.03}"#,
                           headers: ["Content-Type": "application/json"])
        #expect(r.status == 200, "\(r.text)")
        let doc = try r.json()
        #expect(doc["n"] as? Int == 30000)
        #expect(abs((doc["bound"] as! Double) - 0.03) < 1e-15)
        let hoeffding = try h.post("/v1/bounds/sample-size", raw: #"{"method":"hoeffding","range":1,"epsilon":0.02,"delta":0.01}"#,
                                   headers: ["Content-Type": "application/json"]).json()
        #expect(hoeffding["n"] as? Int == 6623)
        let markov = try h.post("/v1/bounds/sample-size", json: ["method": "markov", "epsilon": 0.1, "delta": 0.1])
        #expect(markov.status == 422 && markov.problemFields() == ["method"])
    }

    @Test func badInputNamesTheField() throws {
        let h = try ServiceHarness()
        func fields(_ path: String, _ body: [String: Any]) throws -> [String] {
            let r = try h.post(path, json: body)
            #expect(r.status == 422, "\(path) \(body): \(r.status) \(r.text)")
            return r.problemFields()
        }
        #expect(try fields("/v1/bounds/markov", ["mean": 1, "threshold": 0]) == ["threshold"])
        #expect(try fields("/v1/bounds/chebyshev", ["variance": -1, "k": 2]) == ["variance"])
        #expect(try fields("/v1/bounds/chebyshev", ["variance": 1, "k": 0]) == ["k"])
        #expect(try fields("/v1/bounds/wlln", ["variance": 1, "n": 0, "epsilon": 0.1]) == ["n"])
        #expect(try fields("/v1/bounds/hoeffding", ["n": 5, "lower": 1, "upper": 1, "deviation": 0.1]) == ["lower"])
        #expect(try fields("/v1/bounds/chernoff", ["mu": 1, "delta": 2, "tail": "lower"]) == ["delta"])
        #expect(try fields("/v1/bounds/markov", ["mean": "x", "threshold": 1]) == ["mean"])
        #expect(try fields("/v1/bounds/compare", ["distribution": ["family": "binomial", "n": 10, "p": 1.5], "event": ["threshold": 1]]) == ["distribution.p"])
        #expect(try fields("/v1/bounds/compare", ["distribution": ["family": "poisson"], "event": ["threshold": 1]]) == ["distribution.lambda"])
        #expect(try fields("/v1/bounds/compare", ["distribution": ["family": "uniform", "lower": 2, "upper": 1], "event": ["threshold": 1]]) == ["distribution.lower"])
        #expect(try fields("/v1/bounds/compare", ["distribution": ["family": "sampleMean", "n": 2, "of": ["family": "normal", "mean": 0]], "event": ["threshold": 1]]) == ["distribution.of.sd"])
        #expect(try fields("/v1/bounds/sample-size", ["method": "chebyshev", "variance": 1, "epsilon": 0.1, "delta": 1.5]) == ["delta"])
        #expect(try fields("/v1/bounds/sample-size", ["method": "chebyshev", "variance": "abc", "epsilon": 0.1, "delta": 0.5]) == ["variance"])
        let nonFinite = try h.post("/v1/bounds/markov", raw: #"{"mean":1e999,"threshold":1}"#, headers: ["Content-Type": "application/json"])
        #expect(nonFinite.status == 400 || nonFinite.status == 422)
        let malformed = try h.post("/v1/bounds/markov", raw: "{", headers: ["Content-Type": "application/json"])
        #expect(malformed.status == 400)
        #expect(try h.post("/v1/bounds/median", json: ["x": 1]).status == 404)
        #expect(try h.get("/v1/bounds/markov").status == 405)
    }
}
