/// Errors of the S2 domain. Each carries the offending request field (e.g. "region.cap.radiusMeters")
/// and a human-readable message, for problem+json `{field, message}` entries.
public enum S2Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// An input value is out of range, not finite, malformed or inconsistent.
    case invalid(field: String, message: String)
    /// The request would need more work or output than the configured limit.
    case tooExpensive(field: String, message: String)
    /// A running computation exceeded its candidate budget.
    case budgetExceeded(field: String, limit: Int)
    /// The caller cancelled the computation.
    case cancelled
    /// A covering that reached `candidates` candidates (a large one) found all `limit` places for large coverings taken (`S2CoveringAdmission`):
    /// the service is busy, the request may be retried shortly.
    case busy(limit: Int, candidates: Int)

    public var field: String {
        switch self {
        case .invalid(let f, _), .tooExpensive(let f, _), .budgetExceeded(let f, _): return f
        case .cancelled, .busy: return ""
        }
    }
    public var message: String {
        switch self {
        case .invalid(_, let m), .tooExpensive(_, let m): return m
        case .budgetExceeded(_, let limit): return "the covering needs more than \(limit) candidate cells; reduce maxLevel, minLevel or the region"
        case .cancelled: return "cancelled"
        case let .busy(limit, candidates):
            return "this covering needs over \(candidates) candidate cells and the \(limit) places for such large coverings are taken; try again shortly"
        }
    }
    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}
