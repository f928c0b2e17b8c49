import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPServer
import Service
import TestSupport

/// Runs the real `Application` on the real `HTTPServer` in-process on 127.0.0.1 with a free port and
/// a temporary data directory, and calls it with URLSession (libcurl underneath), like any client would.
///
/// ```swift
/// let h = try ServiceHarness()
/// let r = try h.post("/v1/bounds/markov", json: ["mean": 1, "threshold": 2])
/// #expect(r.status == 200); let doc = try r.json()
/// ```
final class ServiceHarness: @unchecked Sendable {
    let app: Application
    let server: HTTPServer
    let dataDirectory: URL
    var port: Int { server.port }
    let session: URLSession

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data

        func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The body as a JSON object.
        func json() throws -> [String: Any] {
            guard let o = try JSONSerialization.jsonObject(with: body) as? [String: Any] else { throw RawHTTPClient.Failure(description: "not a JSON object: \(text)") }
            return o
        }
        /// The `errors[].field` names of a problem document.
        func problemFields() -> [String] {
            ((try? json())?["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
        }
    }

    init(configure: (inout ServiceConfiguration) -> Void = { _ in }, routes: (Application) -> Void = { _ in }) throws {
        var c = ServiceConfiguration()
        c.server.host = "127.0.0.1"
        c.server.port = 0
        c.accessLog = false
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-svc-\(UUID().uuidString)")
        c.dataDirectory = dataDirectory.path
        configure(&c)
        app = try Application(configuration: c)
        routes(app)
        server = HTTPServer(configuration: c.server, responder: app)
        app.attach(server)
        try server.start()
        let cfg = URLSessionConfiguration.ephemeral
        cfg.timeoutIntervalForRequest = 60
        session = URLSession(configuration: cfg)
    }

    deinit {
        app.beginShutdown()
        server.shutdown(gracePeriod: 1)
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    func request(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) throws -> Reply {
        var req = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        req.httpMethod = method
        req.httpBody = body
        for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
        if body != nil && headers["Content-Type"] == nil { req.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let box = ReplyBox()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: req) { data, response, error in
            if let http = response as? HTTPURLResponse {
                var h: [String: String] = [:]
                for (k, v) in http.allHeaderFields { h["\(k)"] = "\(v)" }
                box.set(.success(Reply(status: http.statusCode, headers: h, body: data ?? Data())))
            } else {
                box.set(.failure(error ?? RawHTTPClient.Failure(description: "no response")))
            }
            done.signal()
        }.resume()
        done.wait()
        return try box.get()
    }

    func get(_ path: String, headers: [String: String] = [:]) throws -> Reply { try request("GET", path, headers: headers) }

    func post(_ path: String, json: Any, headers: [String: String] = [:]) throws -> Reply {
        try request("POST", path, body: try JSONSerialization.data(withJSONObject: json), headers: headers)
    }

    func post(_ path: String, raw: String, headers: [String: String] = [:]) throws -> Reply {
        try request("POST", path, body: Data(raw.utf8), headers: headers)
    }

    func delete(_ path: String, headers: [String: String] = [:]) throws -> Reply { try request("DELETE", path, headers: headers) }

    /// Polls `GET /v1/jobs/{id}` until the job finishes (or `timeout`), returning the final document.
    func waitForJob(_ id: String, timeout: Double = 60) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let doc = try get("/v1/jobs/\(id)").json()
            if let s = doc["status"] as? String, ["succeeded", "failed", "cancelled"].contains(s) { return doc }
            usleep(50_000)
        }
        throw RawHTTPClient.Failure(description: "job \(id) did not finish in \(timeout) s")
    }
}

private final class ReplyBox: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<ServiceHarness.Reply, Error>?
    func set(_ r: Result<ServiceHarness.Reply, Error>) { lock.lock(); result = r; lock.unlock() }
    func get() throws -> ServiceHarness.Reply { lock.lock(); defer { lock.unlock() }; return try result!.get() }
}
