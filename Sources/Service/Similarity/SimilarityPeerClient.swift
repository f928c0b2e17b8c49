import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SecureSimilarity

/// The HTTP client for instance-to-instance calls: `POST` of an opaque (sealed) body as
/// `application/octet-stream`, the reply body back. Every call has a deadline (`timeout` seconds
/// for connecting, sending and the whole answer), so a peer that is down, slow or stuck fails
/// the call instead of hanging it. Failures are `SimilarityError.transport` with a readable
/// message (the peer's problem detail when it answered with one).
///
/// ```swift
/// let client = SimilarityPeerClient(timeout: 30)
/// let reply = try client.postBlocking(peer.endpoint("/v1/peer/sessions/\(id)/messages"), body: sealed)
/// ```
final class SimilarityPeerClient: Sendable {
    let timeout: Double
    /// Largest reply accepted.
    let maxReplyBytes: Int
    private let session: URLSession

    init(timeout: Double, maxReplyBytes: Int = 64 << 20) {
        self.timeout = timeout
        self.maxReplyBytes = maxReplyBytes
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.httpMaximumConnectionsPerHost = 8
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    /// A 2xx reply.
    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]
    }

    private func request(_ url: URL, _ body: [UInt8], headers: [(String, String)]) -> URLRequest {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        request.setValue("application/octet-stream", forHTTPHeaderField: "Accept")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return request
    }

    /// `traceparent` (with this instance's span as the parent) and `tracestate` of the trace the call is made
    /// in, so the peer's log lines join the same trace.
    static func traceHeaders(_ trace: TraceContext?) -> [(String, String)] {
        guard let trace else { return [] }
        var headers = [("traceparent", trace.traceparent)]
        if let state = trace.state { headers.append(("tracestate", state)) }
        return headers
    }

    /// Turns what URLSession delivered into a reply or a transport error.
    private func interpret(_ url: URL, _ data: Data?, _ response: URLResponse?, _ error: Error?) -> Result<Reply, SimilarityError> {
        guard let http = response as? HTTPURLResponse else {
            let reason: String
            if let error = error as? URLError {
                reason = error.code == .timedOut ? "no answer within \(Int(timeout)) s" : "\(error.localizedDescription) (\(error.code.rawValue))"
            } else {
                reason = error.map { "\($0.localizedDescription)" } ?? "no response"
            }
            return .failure(.transport(field: "peer", message: "the peer at \(url.host ?? "?"):\(url.port ?? 80) could not be reached: \(reason)"))
        }
        let body = Array(data ?? Data())
        guard body.count <= maxReplyBytes else {
            return .failure(.transport(field: "peer", message: "the peer's reply of \(body.count) bytes exceeds \(maxReplyBytes)"))
        }
        guard (200..<300).contains(http.statusCode) else {
            return .failure(.transport(field: "peer", message: Self.describeRefusal(status: http.statusCode, body: body)))
        }
        return .success(Reply(status: http.statusCode, body: body))
    }

    /// "the peer answered 401: <detail>" (the detail of its problem document when there is one).
    static func describeRefusal(status: Int, body: [UInt8]) -> String {
        var detail = ""
        if let doc = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], let d = doc["detail"] as? String {
            detail = String(d.prefix(300))
        }
        switch status {
        case 401: return "the peer refused this instance's key (401)\(detail.isEmpty ? "" : ": \(detail)"); check that it lists this instance as a peer with the key of GET /v1/similarity/identity"
        case 404: return "the peer does not know this session (404): it may have restarted, expired or erased it"
        default: return "the peer answered \(status)\(detail.isEmpty ? "" : ": \(detail)")"
        }
    }

    /// One call from a handler or driver thread: waits at most `timeout` (plus a second of slack).
    /// Plain `http://` peers go through the socket client, `https://` through URLSession.
    /// The call carries the trace of the thread's work (`TraceContext.current`).
    func postBlocking(_ url: URL, body: [UInt8]) throws(SimilarityError) -> Reply {
        let headers = Self.traceHeaders(TraceContext.current)
        if url.scheme == "http" {
            let response: SimilaritySocketClient.Response
            do {
                response = try SimilaritySocketClient.post(url, body: body, contentType: "application/octet-stream", headers: headers,
                                                           timeout: timeout, maxReplyBytes: maxReplyBytes)
            } catch {
                throw .transport(field: "peer", message: "the peer at \(url.host ?? "?"):\(url.port ?? 80) could not be reached: \(error.message)")
            }
            guard (200..<300).contains(response.status) else {
                throw .transport(field: "peer", message: Self.describeRefusal(status: response.status, body: response.body))
            }
            return Reply(status: response.status, body: response.body)
        }
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request(url, body, headers: headers)) { [self] data, response, error in
            box.set(interpret(url, data, response, error))
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            task.cancel()
            throw .transport(field: "peer", message: "the peer at \(url.host ?? "?") gave no answer within \(Int(timeout)) s")
        }
        return try box.get()
    }

    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<Reply, SimilarityError> = .failure(.transport(field: "peer", message: "no answer"))
        func set(_ r: Result<Reply, SimilarityError>) { lock.lock(); result = r; lock.unlock() }
        func get() throws(SimilarityError) -> Reply { lock.lock(); defer { lock.unlock() }; return try result.get() }
    }
}
