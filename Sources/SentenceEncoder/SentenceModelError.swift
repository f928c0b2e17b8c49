/// Why a sentence model could not be loaded or run.
public enum SentenceModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file of the model folder is missing, unreadable or too large.
    case file(path: String, message: String)
    /// A file parses, but not as this model expects (bad safetensors header, missing tensor, wrong shape,
    /// configuration of another architecture).
    case format(path: String, message: String)
    /// A caller's text is out of range (too long, too many).
    case invalidInput(field: String, message: String)
    /// The caller's `isCancelled` said stop (a deadline passed) between two batches.
    case cancelled

    public var description: String {
        switch self {
        case .file(let path, let message), .format(let path, let message): return "\(path): \(message)"
        case .invalidInput(let field, let message): return "\(field): \(message)"
        case .cancelled: return "the computation was cancelled or ran out of time"
        }
    }
}
