/// The one error type of the Primes domain. Every case that comes from bad input names the offending
/// field (as the caller spelled it, e.g. "exponent", "values[3]") and carries a human message, so the
/// Service layer can turn it into a problem+json `{field, message}` entry without knowing the domain.
public enum PrimesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input is malformed or outside the documented limits (HTTP 422).
    case invalid(field: String, message: String)
    /// The input is valid but the answer cannot be produced within this service's resource limits
    /// (for instance a digit count that could not be certified and is too large to compute exactly).
    case unsupported(field: String, message: String)
    /// A long computation observed `isCancelled() == true` and stopped.
    case cancelled

    /// The offending field, when the error is about one.
    public var field: String? {
        switch self {
        case .invalid(let field, _), .unsupported(let field, _): return field
        case .cancelled: return nil
        }
    }

    /// A sentence for people.
    public var message: String {
        switch self {
        case .invalid(_, let message), .unsupported(_, let message): return message
        case .cancelled: return "the computation was cancelled"
        }
    }

    public var description: String {
        if let field { return "\(field): \(message)" }
        return message
    }
}
