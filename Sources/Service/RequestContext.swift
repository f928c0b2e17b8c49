import Foundation
import HTTPServer
import HTTPTypes

/// What a route handler receives: the request, its path parameters and request id, and helpers that
/// read and validate input, turning every problem into an `APIError` that names the field.
public struct RequestContext: Sendable {
    public let request: HTTPServerRequest
    public let parameters: [String: String]
    let id: RequestID
    /// The caller's `X-Request-ID`, or the one made for this request.
    public var requestID: String { id.description }
    /// The request's trace (continued from the caller's `traceparent`, or started here).
    public let trace: TraceContext

    /// Decodes the JSON body.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSON.decode(type, from: request.body, contentType: request.headerFields[.contentType])
    }

    /// A path parameter (always present for a matched route).
    public func parameter(_ name: String) -> String { parameters[name] ?? "" }

    /// A query parameter as text.
    public func query(_ name: String) -> String? { request.queryValue(name) }

    /// A query integer within `range`; absent gives `defaultValue` (required when nil).
    public func queryInt(_ name: String, default defaultValue: Int? = nil, in range: ClosedRange<Int>) throws -> Int {
        guard let text = query(name), !text.isEmpty else {
            if let defaultValue { return defaultValue }
            throw APIError.invalid(name, "is required")
        }
        guard let value = Int(text) else { throw APIError.invalid(name, "must be an integer") }
        guard range.contains(value) else { throw APIError.invalid(name, "must be between \(range.lowerBound) and \(range.upperBound)") }
        return value
    }

    /// A query number within `range` (finite only).
    public func queryDouble(_ name: String, default defaultValue: Double? = nil, in range: ClosedRange<Double>) throws -> Double {
        guard let text = query(name), !text.isEmpty else {
            if let defaultValue { return defaultValue }
            throw APIError.invalid(name, "is required")
        }
        guard let value = Double(text), value.isFinite else { throw APIError.invalid(name, "must be a finite number") }
        guard range.contains(value) else { throw APIError.invalid(name, "must be between \(range.lowerBound) and \(range.upperBound)") }
        return value
    }

    /// The media types the client accepts, most preferred first (q-values honoured, q=0 dropped).
    public var acceptedTypes: [String] {
        guard let accept = request.headerFields[.accept] else { return [] }
        return accept.split(separator: ",").compactMap { item -> (String, Double)? in
            let parts = item.split(separator: ";")
            let type = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
            var q = 1.0
            for p in parts.dropFirst() {
                let kv = p.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces) == "q" { q = Double(kv[1].trimmingCharacters(in: .whitespaces)) ?? 0 }
            }
            return q > 0 ? (type, q) : nil
        }.enumerated().sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }.map { $0.element.0 }
    }

    /// Picks the representation: the first of `offered` the client prefers; the first offered when it accepts anything.
    public func negotiate(_ offered: [String]) -> String {
        let accepted = acceptedTypes
        if accepted.isEmpty { return offered[0] }
        for type in accepted {
            if let match = offered.first(where: { $0 == type }) { return match }
            if type == "*/*" { return offered[0] }
            if type.hasSuffix("/*"), let match = offered.first(where: { $0.hasPrefix(type.dropLast()) }) { return match }
        }
        return offered[0]
    }
}

/// A route's handler.
public typealias RouteHandler = @Sendable (RequestContext) throws -> HTTPServerResponse

/// A registered route.
public struct Route: Sendable {
    public let handler: RouteHandler
    public let pattern: String
    let metricsID: Metrics.RouteID
    /// Runs on the I/O thread (trivial, constant-time handlers only).
    let inline: Bool
}
