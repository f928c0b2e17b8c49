/// Every failure of the bounds domain, carrying the offending input field (a JSON path such as
/// "distribution.of.lambda") and a human message, so that the Service layer can answer
/// problem+json with `errors: [{field, message}]`.
public enum BoundsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input is semantically invalid (HTTP 422).
    case invalid(field: String, message: String)
    /// The request body is not well-formed JSON or has the wrong shape at the top level (HTTP 400).
    case malformed(message: String)
    /// No calculator with this name (HTTP 404).
    case unknownBound(name: String)

    public var field: String {
        switch self {
        case .invalid(let field, _): return field
        case .malformed: return ""
        case .unknownBound: return "name"
        }
    }

    public var message: String {
        switch self {
        case .invalid(_, let message): return message
        case .malformed(let message): return message
        case .unknownBound(let name): return "unknown bound '\(name)'; known: \(BoundCalculators.names.joined(separator: ", "))"
        }
    }

    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}
