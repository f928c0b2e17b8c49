import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Sends the contract's header parameters as the caller wrote them. The runtime serialises a header
/// parameter like a URI component (RFC 6570 simple style) and percent-encodes every reserved character,
/// so `Range: bytes=0-9` would leave as `bytes%3D0-9`, which no server reads as a range; an
/// `Idempotency-Key` with `:` or `=` would change too. Header fields are not URIs: this middleware undoes
/// the encoding for the header parameters openapi.yaml declares, before the request is sent.
public struct HeaderParameterMiddleware: ClientMiddleware {
    /// The header parameters of openapi.yaml.
    public static let contractHeaders: [HTTPField.Name] = [HTTPField.Name("Range")!, HTTPField.Name("Idempotency-Key")!]

    let names: [HTTPField.Name]

    public init(names: [HTTPField.Name] = HeaderParameterMiddleware.contractHeaders) {
        self.names = names
    }

    public func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                          next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        for name in names {
            let values = request.headerFields[values: name]
            guard !values.isEmpty else { continue }
            request.headerFields[values: name] = values.map { $0.removingPercentEncoding ?? $0 }
        }
        return try await next(request, body, baseURL)
    }
}
