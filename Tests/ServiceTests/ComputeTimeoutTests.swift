import Foundation
import Testing

/// An inline computation that runs past `computeTimeout` is stopped with 503, and the worker is free again.
@Suite struct ComputeTimeoutTests {
    @Test func longGeodesicSolveIsStoppedWith503() throws {
        let h = try ServiceHarness(configure: { $0.computeTimeout = 0.05 })
        let d = 16
        func vector(_ v: Double) -> [Double] { [Double](repeating: v, count: d) }
        let identity = (0..<d).map { i in (0..<d).map { $0 == i ? 1.0 : 0.0 } }
        let body: [String: Any] = [
            "density": ["kind": "mixture", "components": [
                ["weight": 0.5, "mean": vector(-2), "covariance": identity],
                ["weight": 0.5, "mean": vector(2), "covariance": identity],
            ]],
            "metric": ["kind": "stein", "lambda": 10],
            "from": vector(-2), "to": vector(2), "nodes": 512,
        ]
        let start = Date()
        let r = try h.post("/v1/geodesics", json: body)
        #expect(r.status == 503)
        #expect(r.header("Content-Type") == "application/problem+json")
        #expect((try r.json()["detail"] as? String)?.contains("compute-timeout") == true)
        #expect(Date().timeIntervalSince(start) < 10, "stopped near the limit, not after the whole solve")
        #expect(try h.get("/healthz").status == 200)
    }
}
