import Foundation

/// Errors of the geodesics domain.
///
/// `invalidInput` names the offending field with a JSON-pointer-like path
/// (`"density.components[1].covariance"`, `"points[3]"`) and a human message, so that the
/// Service layer can turn it into a problem+json `{field, message}` entry (HTTP 422).
public enum GeodesicsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input is well formed but semantically invalid or beyond a limit.
    case invalidInput(field: String, message: String)
    /// The caller's `isCancelled` returned true.
    case cancelled

    /// The field path of an input error, `nil` for cancellation.
    public var field: String? {
        switch self {
        case .invalidInput(let field, _): return field
        case .cancelled: return nil
        }
    }

    /// A human-readable message.
    public var message: String {
        switch self {
        case .invalidInput(_, let message): return message
        case .cancelled: return "the computation was cancelled"
        }
    }

    public var description: String {
        switch self {
        case .invalidInput(let field, let message): return "\(field): \(message)"
        case .cancelled: return message
        }
    }
}
