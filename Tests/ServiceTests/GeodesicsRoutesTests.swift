import Foundation
import Testing

/// End-to-end tests of the geodesics endpoints over HTTP (issue 6).
@Suite struct GeodesicsRoutesTests {
    nonisolated(unsafe) static let gaussian: [String: Any] = ["kind": "gaussian", "mean": [0.0, 0.0], "covariance": [[1.0, 0.0], [0.0, 1.0]]]
    nonisolated(unsafe) static let mixture: [String: Any] = ["kind": "mixture", "components": [
        ["weight": 0.6, "mean": [-1.5, 0.0], "covariance": [[0.6, 0.25], [0.25, 0.4]]],
        ["weight": 0.4, "mean": [1.5, 0.5], "covariance": [[0.5, -0.2], [-0.2, 0.8]]],
    ]]

    @Test func radialGeodesicHasTheClosedFormLength() throws {
        let h = try ServiceHarness()
        let r = try h.post("/v1/geodesics", json: ["density": Self.gaussian, "metric": ["kind": "stein", "lambda": 1],
                                                   "from": [0.0, 0.0], "to": [0.6, 0.8], "nodes": 32])
        #expect(r.status == 200)
        let doc = try r.json()
        // ½(√2 + asinh 1) for the radial segment r = 0 → 1 of N(0, I), λ = 1.
        let exact = 0.5 * (2.0.squareRoot() + asinh(1.0))
        #expect(abs((doc["length"] as? Double ?? 0) - exact) < 1e-7)
        #expect((doc["path"] as? [[Double]])?.count == 33)
        #expect(doc["unique"] as? Bool == true)
        #expect(doc["converged"] as? Bool == true)
        #expect((doc["straightLine"] as? [String: Any])?["length"] is Double)
        #expect(doc["alternatives"] is [Any])
        // Each residual named for what it measures (issue: `converged: true` beside `residual: 0.16`).
        #expect(doc["polished"] as? Bool == true)
        #expect((doc["endpointError"] as? Double ?? 1) <= 1e-10)
        #expect((doc["lengthError"] as? Double ?? 1) < 1e-8)
        #expect((doc["energyGradient"] as? Double ?? 1) <= 1e-9)
        #expect(doc["residual"] == nil && doc["shootingResidual"] == nil)
    }

    @Test func svgPicture() throws {
        let h = try ServiceHarness()
        let r = try h.post("/v1/geodesics", json: ["density": Self.mixture, "metric": ["kind": "stein", "lambda": 10],
                                                   "from": [-2.5, -1.0], "to": [2.0, 1.8]],
                           headers: ["Accept": "image/svg+xml"])
        #expect(r.status == 200)
        #expect(r.header("Content-Type")?.hasPrefix("image/svg+xml") == true)
        #expect(r.text.contains("<polyline"))
    }

    @Test func exponentialMapConservesSpeed() throws {
        let h = try ServiceHarness()
        let r = try h.post("/v1/geodesics/exp", json: ["density": Self.mixture, "metric": ["kind": "conformal", "alpha": 1],
                                                       "point": [-2.0, -0.5], "velocity": [2.5, 1.2], "t": 1, "steps": 10])
        #expect(r.status == 200)
        let doc = try r.json()
        #expect((doc["speedDrift"] as? Double ?? 1) < 1e-6)
        #expect((doc["path"] as? [[Double]])?.count == 11)
        #expect((doc["endpoint"] as? [Double])?.count == 2)
    }

    @Test func metricAtPoints() throws {
        let h = try ServiceHarness()
        let r = try h.post("/v1/metric", json: ["density": ["kind": "gaussian", "mean": [0.0, 0.0], "covariance": [[1.0, 0.5], [0.5, 2.0]]],
                                                "metric": ["kind": "stein", "lambda": 1], "points": [[1.0, -0.5]], "vectors": [[1.0, 0.0]]])
        #expect(r.status == 200)
        let p = (try r.json()["points"] as? [[String: Any]])?.first
        #expect(abs((p?["determinant"] as? Double ?? 0) - 2.979592) < 1e-6)
        #expect(abs((p?["norm"] as? Double ?? 0) - 2.653061.squareRoot()) < 1e-6)
    }

    @Test func smallDistanceMatrixIsImmediateLargeIsAJob() throws {
        let h = try ServiceHarness()
        let small = try h.post("/v1/geodesics/distances", json: ["density": Self.mixture, "points": [[-2.0, 0.0], [0.0, 1.0], [2.0, 0.5]]])
        #expect(small.status == 200)
        let m = try small.json()["distances"] as? [[Double]]
        #expect(m?.count == 3 && m?[0][0] == 0 && m?[0][1] == m?[1][0])
        let pts = (0..<9).map { [Double($0) * 0.5 - 2, sin(Double($0))] }
        let big = try h.post("/v1/geodesics/distances", json: ["density": Self.mixture, "points": pts, "nodes": 8])
        #expect(big.status == 202)
        let id = try big.json()["id"] as? String ?? ""
        let done = try h.waitForJob(id, timeout: 120)
        #expect(done["status"] as? String == "succeeded")
    }

    @Test func badInputNamesTheField() throws {
        let h = try ServiceHarness()
        let notSPD: [String: Any] = ["kind": "gaussian", "mean": [0.0, 0.0], "covariance": [[1.0, 2.0], [2.0, 1.0]]]
        var r = try h.post("/v1/geodesics", json: ["density": notSPD, "from": [0.0, 0.0], "to": [1.0, 1.0]])
        #expect(r.status == 422)
        #expect(r.problemFields() == ["density.covariance"])
        r = try h.post("/v1/geodesics", json: ["density": Self.gaussian, "metric": ["kind": "stein", "lambda": -1], "from": [0.0, 0.0], "to": [1.0, 1.0]])
        #expect(r.problemFields() == ["metric.lambda"])
        r = try h.post("/v1/geodesics", json: ["density": Self.gaussian, "from": [0.0, 0.0, 0.0], "to": [1.0, 1.0]])
        #expect(r.problemFields() == ["from"])
        r = try h.post("/v1/geodesics", json: ["density": Self.gaussian, "from": [0.0, 0.0], "to": [1.0, 1.0], "nodes": 100000])
        #expect(r.problemFields() == ["nodes"])
        r = try h.post("/v1/geodesics/exp", json: ["density": Self.gaussian, "point": [0.0, 0.0], "velocity": [1.0], "t": 1])
        #expect(r.problemFields() == ["velocity"])
        r = try h.post("/v1/metric", json: ["density": ["kind": "samples", "points": [[0.0, 0.0]], "bandwidth": 0], "points": [[0.0, 0.0]]])
        #expect(r.problemFields() == ["density.bandwidth"])
        r = try h.post("/v1/geodesics", raw: "{not json")
        #expect(r.status == 400)
    }
}
