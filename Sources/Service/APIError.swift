import HTTPTypes

/// One invalid input: the field's path (e.g. `region.cap.radiusMeters`, `points[3].lat`) and what is wrong.
public struct FieldError: Codable, Equatable, Sendable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Every failure a handler can report, rendered once as RFC 9457 `application/problem+json`.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    /// A short slug; the problem `type` becomes `https://incognita.dev/problems/<slug>`.
    public var slug: String
    public var detail: String
    public var errors: [FieldError]
    /// Extra header fields (e.g. `Allow` on 405, `Retry-After` on 503).
    public var headers: [(String, String)] = []

    public init(status: HTTPResponse.Status, slug: String, detail: String, errors: [FieldError] = [], headers: [(String, String)] = []) {
        self.status = status
        self.slug = slug
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    /// 422: a semantically invalid field.
    public static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(status: .unprocessableContent, slug: "validation", detail: "\(field): \(message)", errors: [FieldError(field: field, message: message)])
    }

    /// 422 with several fields.
    public static func invalid(_ errors: [FieldError]) -> APIError {
        APIError(status: .unprocessableContent, slug: "validation", detail: errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), errors: errors)
    }

    /// 400: the request cannot be read at all (malformed JSON, missing body).
    public static func badRequest(_ detail: String, field: String? = nil) -> APIError {
        APIError(status: .badRequest, slug: "malformed-request", detail: detail, errors: field.map { [FieldError(field: $0, message: detail)] } ?? [])
    }

    public static func notFound(_ detail: String) -> APIError { APIError(status: .notFound, slug: "not-found", detail: detail) }
    public static func conflict(_ detail: String) -> APIError { APIError(status: .conflict, slug: "conflict", detail: detail) }
    public static func unavailable(_ detail: String, retryAfter: Int = 1) -> APIError {
        APIError(status: .serviceUnavailable, slug: "unavailable", detail: detail, headers: [("Retry-After", String(retryAfter))])
    }
    public static func tooLarge(_ field: String, _ message: String) -> APIError {
        APIError(status: .contentTooLarge, slug: "too-large", detail: "\(field): \(message)", errors: [FieldError(field: field, message: message)])
    }
    public static func unauthorized(_ detail: String) -> APIError {
        APIError(status: .unauthorized, slug: "unauthorized", detail: detail, headers: [("WWW-Authenticate", "Bearer")])
    }
    public static func internalError(_ detail: String) -> APIError {
        APIError(status: .internalServerError, slug: "internal", detail: detail)
    }
}

/// Domain errors that know their HTTP form. Each domain's error type conforms in its routes file.
public protocol APIErrorConvertible: Error {
    var apiError: APIError { get }
}
