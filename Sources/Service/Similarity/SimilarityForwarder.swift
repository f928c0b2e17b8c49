import Foundation
import HTTPServer
import HTTPTypes

/// Sends a session request to the replica of this organisation that holds the session's memory
/// (its parties, inputs and channels): the same method, target, body, `Authorization`,
/// `Content-Type` and `X-Request-ID`, marked `X-Incognita-Forwarded` so it is never forwarded twice.
/// The owner's answer comes back unchanged. Peer messages are sealed end to end and user requests
/// carry the user's own token, so forwarding needs no credential between replicas and grants none.
///
/// ```swift
/// if let answer = try forward(ctx, session: id, lost: { throw APIError.conflict("…") }) { return answer }
/// ```
struct SimilarityForwarder: Sendable {
    let registry: SimilaritySessionRegistry
    let timeout: Double
    let maxReplyBytes: Int

    static let marker = HTTPField.Name("X-Incognita-Forwarded")!

    /// nil when the request is for this replica to handle.
    func callAsFunction(_ ctx: RequestContext, session id: String, lost: () throws -> HTTPServerResponse) throws -> HTTPServerResponse? {
        guard registry.shared != nil, ctx.request.headerFields[Self.marker] == nil else { return nil }
        switch try registry.locate(id) {
        case .here: return nil
        case .lost: return try lost()
        case .replica(let base):
            guard let url = URL(string: base.hasSuffix("/") ? String(base.dropLast()) + ctx.request.target : base + ctx.request.target) else {
                throw APIError.internalError("the replica holding this session has an unusable address")
            }
            var headers: [(String, String)] = [("X-Incognita-Forwarded", registry.database?.instanceID ?? "replica"),
                                               ("X-Request-ID", ctx.requestID)]
            for name in [HTTPField.Name.authorization, .contentType, .accept] {
                if let v = ctx.request.headerFields[name] { headers.append((name.rawName, v)) }
            }
            registry.log.event("similarity request forwarded", [("session", String(id.prefix(64))), ("path", ctx.request.path),
                                                                ("to", base), ("requestId", ctx.requestID)])
            let answer: SimilaritySocketClient.Response
            do {
                answer = try SimilaritySocketClient.request(ctx.request.method.rawValue, url, headers: headers, body: ctx.request.body,
                                                            timeout: timeout, maxReplyBytes: maxReplyBytes)
            } catch {
                throw APIError(status: .badGateway, slug: "replica-unavailable",
                               detail: "the replica holding session \(id.prefix(64)) could not be reached: \(error.message)")
            }
            var fields = HTTPFields()
            for (name, value) in answer.headers where ["content-type", "location", "retry-after", "allow"].contains(name) {
                if let n = HTTPField.Name(name) { fields[n] = value }
            }
            var response = HTTPServerResponse(status: HTTPResponse.Status(code: answer.status), headerFields: fields, body: .bytes(answer.body))
            if fields[.contentType] == "application/octet-stream" { response.compressible = false }
            return response
        }
    }
}
