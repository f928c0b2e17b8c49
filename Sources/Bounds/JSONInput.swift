import Foundation
import StrictJSON

/// Decoding of request bodies into the domain's parameter structs with the service's strict decoder,
/// turning its errors into `BoundsError`: syntax errors are `.malformed` (400), a value of the wrong
/// type, a number out of range or an unknown member is `.invalid` naming the field (422).
public enum JSONInput {
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(BoundsError) -> T {
        do {
            return try StrictJSONDecoder().decode(T.self, from: Array(data))
        } catch {
            throw describe(error)
        }
    }

    static func describe(_ error: any Error) -> BoundsError {
        switch error {
        case let syntax as JSONSyntaxError:
            return .malformed(message: "malformed JSON at \(syntax)")
        case let unknown as UnknownFieldsError:
            return .invalid(field: unknown.paths[0], message: "is not a field of this request"
                            + (unknown.paths.count > 1 ? " (nor are \(unknown.paths.dropFirst().joined(separator: ", ")))" : ""))
        case let bounds as BoundsError:
            return bounds
        case let decoding as DecodingError:
            switch decoding {
            case .typeMismatch(_, let context), .valueNotFound(_, let context):
                if context.codingPath.isEmpty { return .malformed(message: "the body must be a JSON object") }
                return .invalid(field: JSONPath.string(context.codingPath), message: "has the wrong type")
            case .keyNotFound(let key, let context):
                return .invalid(field: JSONPath.string(context.codingPath + [key]), message: "is required")
            case .dataCorrupted(let context):
                return .invalid(field: JSONPath.string(context.codingPath), message: context.debugDescription)
            @unknown default:
                return .malformed(message: "the body could not be decoded")
            }
        default:
            return .malformed(message: "the body could not be decoded")
        }
    }
}
