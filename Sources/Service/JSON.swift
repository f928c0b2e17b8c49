import Foundation
import HTTPServer
import HTTPTypes

/// JSON in and out, with decoding failures turned into problem details that name the field.
public enum JSON {
    public static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        e.nonConformingFloatEncodingStrategy = .throw
        return e
    }()

    /// Decodes a request body. Malformed JSON is 400; a missing or mistyped field is 422 naming the field.
    public static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8], contentType: String?) throws -> T {
        if let contentType {
            let mediaType = contentType.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
            guard mediaType == "application/json" || mediaType.hasSuffix("+json") || mediaType == "text/json" else {
                throw APIError(status: .unsupportedMediaType, slug: "unsupported-media-type", detail: "the request body must be application/json, not \(mediaType)")
            }
        }
        guard !body.isEmpty else { throw APIError.badRequest("a JSON request body is required") }
        let decoder = JSONDecoder()
        do {
            return try decoder.decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw describe(error)
        } catch let error as APIError {
            throw error
        } catch let error as APIErrorConvertible {
            throw error.apiError
        } catch {
            throw APIError.badRequest("the request body could not be read: \(error)")
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
            if context.codingPath.isEmpty {
                let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                return .badRequest("malformed JSON: \(underlying ?? context.debugDescription)")
            }
            if let api = context.underlyingError as? APIError { return api }
            if let convertible = context.underlyingError as? APIErrorConvertible { return convertible.apiError }
            return .invalid(path(context.codingPath), context.debugDescription)
        @unknown default:
            return .badRequest("the request body could not be read")
        }
    }

    /// `points[3].lat` style paths.
    static func path(_ keys: [CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let i = key.intValue { out += "[\(i)]" } else {
                if !out.isEmpty { out += "." }
                out += key.stringValue
            }
        }
        return out.isEmpty ? "body" : out
    }

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
