import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Adds header fields to every request the client sends, computed per request: the bearer token of the
/// similarity endpoints, and the caller's W3C trace context (`traceparent`, `tracestate`) or
/// `X-Request-ID`, so one request can be followed across services.
///
/// ```swift
/// let client = Client(serverURL: url, headers: { [.init("traceparent")!: currentTraceparent()] })
/// ```
/// A field the operation itself sets (such as `Idempotency-Key` or `Range`) is left as the operation set it.
public struct IncognitaHeadersMiddleware: ClientMiddleware {
    let fields: @Sendable () -> HTTPFields

    public init(_ fields: @escaping @Sendable () -> HTTPFields) {
        self.fields = fields
    }

    public func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                          next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        for field in fields() where request.headerFields[field.name] == nil {
            request.headerFields.append(field)
        }
        return try await next(request, body, baseURL)
    }
}
