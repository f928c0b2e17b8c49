import Foundation
import SecureSimilarity

/// What travels inside the sealed bodies between two instances (the plaintext of a
/// `SealedChannel` message). Sent to `POST /v1/peer/sessions/{id}/messages`, the plaintext is one
/// kind byte and its payload:
/// - `0x00` ‖ a protocol message (`SimilarityParty` wire format); the sealed reply is the peer
///   party's next message, or empty.
/// - `0x01` ‖ a JSON `Event` (declined, cancelled, failed); the sealed reply is empty.
///
/// `POST /v1/peer/sessions` carries a JSON `Invitation` (no kind byte); the sealed reply is a JSON
/// `InvitationReply`.
///
/// Each session has two channels, so neither side's requests race the other's: the acceptor's
/// requests (protocol messages, its events) go on `SealedChannel` bound to the session id; the
/// creator's requests (the invitation, its events) on the one bound to `sid.derived("control")`.
enum SimilarityPeerEnvelope {
    static let protocolMessage: UInt8 = 0x00
    static let event: UInt8 = 0x01
    static let controlLabel = "control"

    /// The creator's offer: public facts only, never an input.
    struct Invitation: Codable, Sendable {
        var version: Int = 1
        /// 32 hex digits.
        var id: String
        var label: String?
        var encoder: EncoderDescriptor
        var fractionBits: Int
        /// The creator's number of vectors (p); public in the protocol anyway.
        var vectors: Int
        var createdAt: Date
        var expiresAt: Date
    }

    struct InvitationReply: Codable, Sendable {
        var state: String
    }

    struct Event: Codable, Sendable {
        /// "declined", "cancelled" or "failed" (the acceptor refused to run it, e.g. different model files).
        var event: String
        var message: String?
        /// The field a "failed" event blames.
        var field: String?
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .secondsSince1970
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        return d
    }

    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        (try? encoder.encode(value)).map(Array.init) ?? []
    }
}
