import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import IncognitaClient
import OpenAPIRuntime
import TestSupport

/// Records which operations of the contract the client called and what status each answered, so a test can
/// prove it called every operation `openapi.yaml` has.
final class OperationRecorder: ClientMiddleware, @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [String: Set<Int>] = [:]

    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, responseBody) = try await next(request, body, baseURL)
        record(operationID, response.status.code)
        return (response, responseBody)
    }

    private func record(_ operationID: String, _ status: Int) {
        lock.lock(); statuses[operationID, default: []].insert(status); lock.unlock()
    }

    var called: [String: Set<Int>] {
        lock.lock(); defer { lock.unlock() }
        return statuses
    }
}

enum ClientTestSupport {
    /// The package root (this file is Tests/IncognitaClientTests/ClientTestSupport.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every `operationId` of openapi.yaml, read from the document itself.
    static func contractOperations() throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"^\s+operationId:\s*([A-Za-z0-9_]+)\s*$"#, options: [.anchorsMatchLines])
        let ns = text as NSString
        return Set(regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) })
    }

    /// A client of `server`, recording into `recorder`.
    static func client(_ server: ServerProcess, token: String? = nil, recorder: OperationRecorder? = nil,
                       headers: (@Sendable () -> HTTPFields)? = nil) -> Client {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 120
        return Client(serverURL: URL(string: "http://127.0.0.1:\(server.port)")!, bearerToken: token, headers: headers,
                      session: URLSession(configuration: configuration), middlewares: recorder.map { [$0] } ?? [])
    }

    /// A request body of a generated type, from JSON (for the deeply nested ones).
    static func body<T: Decodable>(_ json: String, as type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    /// Text of a streamed or opaque body.
    static func text(_ body: HTTPBody) async throws -> String {
        try await String(collecting: body, upTo: 64 << 20)
    }

    /// The decoder for JSON inside server-sent events (dates with or without fractional seconds).
    static let jsonDecoder: JSONDecoder = {
        let d = JSONDecoder()
        let transcoder = IncognitaDateTranscoder()
        d.dateDecodingStrategy = .custom { decoder in
            try transcoder.decode(try decoder.singleValueContainer().decode(String.self))
        }
        return d
    }()
}
