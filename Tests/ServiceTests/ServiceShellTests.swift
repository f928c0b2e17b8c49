import Foundation
import HTTPServer
import Testing
import TestSupport
@testable import Service

/// The service shell end to end: system routes, problem+json, request ids, metrics, jobs.
@Suite struct ServiceShellTests {
    struct Echo: Codable { var name: String; var count: Int; var points: [Point]? }
    struct Point: Codable { var lat: Double; var lng: Double }

    static func harness() throws -> ServiceHarness {
        try ServiceHarness(routes: { app in
            app.add(.post, "/test/echo") { ctx in
                let e = try ctx.decode(Echo.self)
                guard e.count >= 0 else { throw APIError.invalid("count", "must not be negative") }
                return try JSON.response(e)
            }
            app.add(.post, "/test/job") { ctx in
                struct Spec: Codable { var steps: Int; var fail: Bool?; var notices: Int? }
                let spec = try ctx.decode(Spec.self)
                return try app.startJob(kind: "count") { job in
                    for i in 0..<spec.steps {
                        if job.isCancelled { throw JobCancelled() }
                        if i < spec.notices ?? 0 { job.event("notice \(i)") }
                        job.progress(i, of: spec.steps)
                        usleep(20_000)
                    }
                    if spec.fail == true { throw APIError.invalid("fail", "asked to fail") }
                    return "{\"counted\":\(spec.steps)}"
                }
            }
        })
    }

    @Test func healthReadyMetricsHome() throws {
        let h = try Self.harness()
        #expect(try h.get("/healthz").text == "{\"status\":\"ok\"}")
        #expect(try h.get("/readyz").status == 200)
        let metrics = try h.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("incognita_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"))
        #expect(metrics.text.contains("incognita_open_connections"))
        #expect(metrics.text.contains("incognita_jobs{state=\"running\"}"))
        #expect(metrics.text.contains("incognita_http_request_duration_seconds_bucket"))
        let home = try h.get("/")
        #expect(home.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(home.text.contains("curl"))
    }

    @Test func requestIDIsEchoedOrGenerated() throws {
        let h = try Self.harness()
        #expect(try h.get("/healthz", headers: ["X-Request-ID": "abc-123"]).header("X-Request-ID") == "abc-123")
        let generated = try h.get("/healthz", headers: ["X-Request-ID": "bad id with spaces"]).header("X-Request-ID")
        #expect(generated?.count == 16 && generated != "bad id with spaces")
    }

    @Test func unknownRouteAndWrongMethodAreProblems() throws {
        let h = try Self.harness()
        let r404 = try h.get("/v1/nothing")
        #expect(r404.status == 404)
        #expect(r404.header("Content-Type") == "application/problem+json")
        #expect(try r404.json()["status"] as? Int == 404)
        let r405 = try h.request("PUT", "/healthz")
        #expect(r405.status == 405)
        #expect(r405.header("Allow") == "GET, HEAD, OPTIONS")
        let options = try h.request("OPTIONS", "/v1/jobs/x")
        #expect(options.status == 204)
        #expect(options.header("Allow")?.contains("DELETE") == true)
    }

    @Test func malformedJSONIs400() throws {
        let h = try Self.harness()
        let r = try h.post("/test/echo", raw: "{\"name\": ")
        #expect(r.status == 400)
        #expect((try r.json()["detail"] as? String)?.contains("malformed JSON") == true)
        #expect(try h.request("POST", "/test/echo").status == 400, "missing body")
    }

    @Test func wrongTypesAndMissingFieldsNameTheField() throws {
        let h = try Self.harness()
        let wrongType = try h.post("/test/echo", json: ["name": "a", "count": "three"])
        #expect(wrongType.status == 422)
        #expect(wrongType.problemFields() == ["count"])
        let missing = try h.post("/test/echo", json: ["name": "a"])
        #expect(missing.problemFields() == ["count"])
        let nested = try h.post("/test/echo", json: ["name": "a", "count": 1, "points": [["lat": 1, "lng": 2], ["lat": "x", "lng": 2]]])
        #expect(nested.problemFields() == ["points[1].lat"])
        let semantic = try h.post("/test/echo", json: ["name": "a", "count": -1])
        #expect(semantic.status == 422)
        #expect(semantic.problemFields() == ["count"])
        let media = try h.post("/test/echo", raw: "name=a", headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(media.status == 415)
    }

    @Test func jsonRoundTrip() throws {
        let h = try Self.harness()
        let r = try h.post("/test/echo", json: ["name": "α", "count": 2])
        #expect(r.status == 200)
        #expect(try r.json()["name"] as? String == "α")
    }

    @Test func jobLifecycleWithProgressAndResult() throws {
        let h = try Self.harness()
        let accepted = try h.post("/test/job", json: ["steps": 10])
        #expect(accepted.status == 202)
        let id = try #require(try accepted.json()["id"] as? String)
        #expect(id.count == 32, "128-bit random id")
        #expect(accepted.header("Location") == "/v1/jobs/\(id)")
        let done = try h.waitForJob(id)
        #expect(done["status"] as? String == "succeeded")
        #expect((done["result"] as? [String: Any])?["counted"] as? Int == 10)
        #expect((done["progress"] as? [String: Any])?["fraction"] as? Double == 1)
        #expect((done["progress"] as? [String: Any])?["etaSeconds"] == nil, "no time left to estimate once succeeded")
        #expect(try h.get("/v1/jobs/0123456789abcdef0123456789abcdef").status == 404)
        #expect(try h.delete("/v1/jobs/\(id)").status == 409, "a finished job cannot be cancelled")
    }

    @Test func failedJobCarriesTheProblem() throws {
        let h = try Self.harness()
        let id = try #require(try h.post("/test/job", json: ["steps": 1, "fail": true]).json()["id"] as? String)
        let done = try h.waitForJob(id)
        #expect(done["status"] as? String == "failed")
        #expect((done["error"] as? [String: Any])?["status"] as? Int == 422)
        #expect((done["progress"] as? [String: Any])?["etaSeconds"] == nil, "no time left to estimate once failed")
    }

    @Test func jobCancellation() throws {
        let h = try Self.harness()
        let id = try #require(try h.post("/test/job", json: ["steps": 500]).json()["id"] as? String)
        usleep(100_000)
        let r = try h.delete("/v1/jobs/\(id)")
        #expect(r.status == 200)
        #expect(try r.json()["status"] as? String == "cancelled")
        #expect((try r.json()["progress"] as? [String: Any])?["etaSeconds"] == nil)
        // The worker may still report progress before it notices; the job stays without an estimate.
        usleep(300_000)
        let final = try h.waitForJob(id)
        #expect(final["status"] as? String == "cancelled")
        #expect((final["progress"] as? [String: Any])?["etaSeconds"] == nil, "a cancelled job has no time left: \(final)")
    }

    @Test func jobEventsStreamProgressThenResult() throws {
        let h = try Self.harness()
        let id = try #require(try h.post("/test/job", json: ["steps": 60]).json()["id"] as? String)
        let c = try RawHTTPClient(port: h.port, timeout: 10)
        try c.send("GET /v1/jobs/\(id)/events HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let (bytes, _) = c.readAll()
        let response = try #require(RawResponse.parse(bytes))
        #expect(response.header("Content-Type") == "text/event-stream")
        let text = response.text
        #expect(text.contains("event: progress"))
        #expect(text.contains("event: result"))
        #expect(text.components(separatedBy: "event: result").count == 2)
    }

    /// Notices a job reports (a failed error check and its rollback, say) are listed in the job document and
    /// sent once each on the events stream as `event: notice`.
    @Test func jobNoticesAreListedAndStreamed() throws {
        let h = try Self.harness()
        let id = try #require(try h.post("/test/job", json: ["steps": 40, "notices": 2]).json()["id"] as? String)
        let c = try RawHTTPClient(port: h.port, timeout: 10)
        try c.send("GET /v1/jobs/\(id)/events HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let (bytes, _) = c.readAll()
        let text = try #require(RawResponse.parse(bytes)).text
        #expect(text.components(separatedBy: "event: notice\ndata: ").count == 3)
        #expect(text.contains("\"message\":\"notice 0\"") && text.contains("\"message\":\"notice 1\""))
        let done = try h.waitForJob(id)
        let events = try #require(done["events"] as? [[String: Any]])
        #expect(events.map { $0["message"] as? String } == ["notice 0", "notice 1"])
        #expect(events.allSatisfy { ($0["at"] as? String)?.hasSuffix("Z") == true })
    }

    @Test func problemBodiesAreCompressedOnlyWhenLarge() throws {
        let h = try Self.harness()
        let c = try RawHTTPClient(port: h.port)
        try c.send("GET /metrics HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.header("Content-Encoding") == "gzip")
        #expect(String(decoding: try #require(GzipStream.gunzip(r.body)), as: UTF8.self).contains("incognita_http_requests_total"))
    }
}
