import Foundation
import HTTPServer
import HTTPTypes
import StrictJSON

/// JSON in and out, with decoding failures turned into problem details that name the field.
public enum JSON {
    public static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        e.nonConformingFloatEncodingStrategy = .throw
        return e
    }()

    /// Decodes a request body strictly (`StrictJSONDecoder`): malformed JSON is 400 with its line and
    /// column; a missing or mistyped field, a number the field cannot hold and every member the type
    /// does not have are 422, each naming the field by its full path. Every JSON body of the service
    /// comes through here (`RequestContext.decode`), so a new request type is strict without any work.
    public static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8], contentType: String?) throws -> T {
        if let contentType {
            let mediaType = contentType.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
            guard mediaType == "application/json" || mediaType.hasSuffix("+json") || mediaType == "text/json" else {
                throw APIError(status: .unsupportedMediaType, slug: "unsupported-media-type", detail: "the request body must be application/json, not \(mediaType)")
            }
        }
        guard !body.isEmpty else { throw APIError.badRequest("a JSON request body is required") }
        do {
            return try StrictJSONDecoder().decode(T.self, from: body)
        } catch {
            throw apiError(error)
        }
    }

    /// The HTTP form of a decoding failure.
    static func apiError(_ error: any Error) -> APIError {
        switch error {
        case let syntax as JSONSyntaxError:
            return .badRequest("malformed JSON at \(syntax)")
        case let unknown as UnknownFieldsError:
            var errors = unknown.paths.map { FieldError(field: $0, message: "is not a field of this request") }
            if let underlying = unknown.underlying {
                let api = apiError(underlying)
                if api.status == .unprocessableContent { errors += api.errors }
            }
            return .invalid(errors)
        case let decoding as DecodingError:
            return describe(decoding)
        case let api as APIError:
            return api
        case let convertible as APIErrorConvertible:
            return convertible.apiError
        default:
            return .badRequest("the request body could not be read: \(error)")
        }
    }

    static func describe(_ error: DecodingError) -> APIError {
        switch error {
        case .typeMismatch(let type, let context):
            return .invalid(path(context.codingPath), "expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return .invalid(path(context.codingPath), "expected \(typeName(type)), found null")
        case .keyNotFound(let key, let context):
            return .invalid(path(context.codingPath + [key]), "is required")
        case .dataCorrupted(let context):
            if let api = context.underlyingError as? APIError { return api }
            if let convertible = context.underlyingError as? APIErrorConvertible { return convertible.apiError }
            return .invalid(path(context.codingPath), context.debugDescription)
        @unknown default:
            return .badRequest("the request body could not be read")
        }
    }

    /// `points[3].lat` style paths ("body" for the body itself).
    static func path(_ keys: [CodingKey]) -> String { JSONPath.string(keys) }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type, is Decimal.Type: return "a number"
        case is Int.Type, is Int64.Type, is UInt64.Type, is Int32.Type, is UInt32.Type, is UInt8.Type, is UInt.Type: return "an integer"
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a value of type \(name)"
        }
    }

    /// A JSON response.
    public static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> HTTPServerResponse {
        let data: Data
        do { data = try encoder.encode(value) } catch {
            throw APIError.internalError("the result could not be encoded as JSON (a non-finite number?)")
        }
        return HTTPServerResponse(status: status, contentType: "application/json", bytes: Array(data))
    }
}
