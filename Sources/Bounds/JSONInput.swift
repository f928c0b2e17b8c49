import Foundation

/// Decoding of request bodies into the domain's parameter structs, turning `DecodingError`s into
/// `BoundsError`: syntax errors are `.malformed` (400), a value of the wrong type is `.invalid`
/// naming the field (422).
public enum JSONInput {
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(BoundsError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            switch error {
            case .typeMismatch(_, let context), .valueNotFound(_, let context):
                if context.codingPath.isEmpty { throw .malformed(message: "the body must be a JSON object") }
                throw .invalid(field: path(context.codingPath), message: "has the wrong type")
            case .keyNotFound(let key, let context):
                throw .invalid(field: path(context.codingPath + [key]), message: "is required")
            case .dataCorrupted(let context):
                if context.codingPath.isEmpty { throw .malformed(message: "the body is not valid JSON") }
                throw .invalid(field: path(context.codingPath), message: context.debugDescription)
            @unknown default:
                throw .malformed(message: "the body could not be decoded")
            }
        } catch {
            throw .malformed(message: "the body could not be decoded")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }
}
