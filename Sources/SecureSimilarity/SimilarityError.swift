/// Every failure of the secure similarity engine.
///
/// Each case carries the offending field (a dotted path such as `"vectors[3][17]"`,
/// `"message.body.corrections"` or `"hello.fractionBits"`) and a human message, so that the
/// Service layer can answer with problem+json `{field, message}` entries. After any error a
/// `SimilarityParty` is in its failed state and refuses further messages.
public enum SimilarityError: Error, Sendable, Equatable {
    /// A local input (vectors, parameters, limits) is out of range.
    case invalidInput(field: String, message: String)
    /// A received message does not parse: bad magic, unknown version or type, wrong length,
    /// non-canonical encoding, invalid group element.
    case malformedMessage(field: String, message: String)
    /// A well-formed message arrived at the wrong time: replayed, out of order, wrong session,
    /// or after the session ended.
    case unexpectedMessage(field: String, message: String)
    /// The peer's public parameters (dimension, fraction bits, ring, context, counts, limits)
    /// disagree with ours.
    case parameterMismatch(field: String, message: String)
    /// The transcript hashes of the two parties differ.
    case transcriptMismatch(field: String, message: String)
    /// The peer reported a failure (an abort message).
    case peerAborted(field: String, message: String)
    /// A libsodium primitive failed.
    case crypto(field: String, message: String)
    /// The computation was cancelled through `isCancelled`.
    case cancelled(field: String, message: String)
    /// The transport failed (raised by `BlockingPeerTransport` implementations or the session driver).
    case transport(field: String, message: String)
    /// A sealed message did not authenticate: unknown or wrong sender key, tampered bytes,
    /// replayed or reordered sequence number. The Service layer answers 401.
    case authenticationFailed(field: String, message: String)

    /// The offending field.
    public var field: String {
        switch self {
        case .invalidInput(let f, _), .malformedMessage(let f, _), .unexpectedMessage(let f, _),
             .parameterMismatch(let f, _), .transcriptMismatch(let f, _), .peerAborted(let f, _),
             .crypto(let f, _), .cancelled(let f, _), .transport(let f, _), .authenticationFailed(let f, _):
            return f
        }
    }

    /// The human-readable explanation.
    public var message: String {
        switch self {
        case .invalidInput(_, let m), .malformedMessage(_, let m), .unexpectedMessage(_, let m),
             .parameterMismatch(_, let m), .transcriptMismatch(_, let m), .peerAborted(_, let m),
             .crypto(_, let m), .cancelled(_, let m), .transport(_, let m), .authenticationFailed(_, let m):
            return m
        }
    }

    /// A stable machine-readable code, also carried in abort messages.
    public var code: UInt8 {
        switch self {
        case .invalidInput: return 1
        case .malformedMessage: return 2
        case .unexpectedMessage: return 3
        case .parameterMismatch: return 4
        case .transcriptMismatch: return 5
        case .peerAborted: return 6
        case .crypto: return 7
        case .cancelled: return 8
        case .transport: return 9
        case .authenticationFailed: return 10
        }
    }
}

extension SimilarityError: CustomStringConvertible {
    public var description: String { "\(field): \(message)" }
}
