/// End-to-end authenticated encryption of peer messages between two pinned identities, bound to
/// one session: no replay, no reordering, no tampering, no impersonation.
///
/// Construction (libsodium only, no home-made primitives):
/// - `crypto_kx` on the two long-term X25519 keys (the lexicographically smaller public key takes
///   the client role) gives directional keys (rx, tx), known only to the two key holders.
/// - Per session and direction: k = BLAKE2b-256(key = tx, "IncognitaChannel" ‖ version ‖ sid).
/// - Each message: XChaCha20-Poly1305-IETF under k, nonce = seq (64-bit LE) ‖ 0^16 (unique:
///   one key per session and direction, seq strictly increasing), associated data = the
///   cleartext header ‖ recipient public key.
///
/// Wire form: "ISC" ‖ version 1 ‖ sender public key (32) ‖ session id (16) ‖ seq (8, LE) ‖
/// ciphertext ‖ tag (16). The header is readable without keys (`envelope(of:)`) so the Service
/// can route a message to its session and refuse unknown keys with 401 before decrypting.
///
/// Static–static key agreement gives no forward secrecy: a stolen identity key exposes recorded
/// sessions with that peer. Rotate keys by configuration.
///
/// ```swift
/// var channel = try SealedChannel(identity: me, peerPublicKey: bobKey, sessionID: sid)
/// let request = channel.seal(protocolMessage)
/// let reply = try channel.open(responseBody)
/// ```
public struct SealedChannel: Sendable {
    static let magic: [UInt8] = Array("ISC".utf8)
    static let version: UInt8 = 1
    static let kdfLabel: [UInt8] = Array("IncognitaChannel".utf8)
    /// Bytes before the ciphertext.
    public static let headerBytes = 4 + 32 + 16 + 8
    /// Bytes added to every plaintext.
    public static let overheadBytes = headerBytes + 16

    /// The cleartext header of a sealed message.
    public struct Envelope: Sendable, Equatable {
        public let senderPublicKey: [UInt8]
        public let sessionID: SessionID
        public let sequence: UInt64
    }

    public let sessionID: SessionID
    public let peerPublicKey: [UInt8]
    private let localPublicKey: [UInt8]
    private let sendKey: [UInt8]
    private let receiveKey: [UInt8]
    /// Sequence number of the next message we seal.
    public private(set) var sendSequence: UInt64 = 0
    /// Sequence number the next opened message must carry.
    public private(set) var receiveSequence: UInt64 = 0

    public init(identity: IdentityKeyPair, peerPublicKey: [UInt8], sessionID: SessionID) throws(SimilarityError) {
        try Sodium.ensureInitialised()
        guard peerPublicKey.count == Sodium.kxKeyBytes else {
            throw .invalidInput(field: "peer.publicKey", message: "a public key is 32 bytes")
        }
        guard !Sodium.constantTimeEqual(peerPublicKey, identity.publicKey) else {
            throw .invalidInput(field: "peer.publicKey", message: "the peer key equals this instance's own key")
        }
        let asClient = identity.publicKey.lexicographicallyPrecedes(peerPublicKey)
        guard let (rx, tx) = Sodium.kxSessionKeys(asClient: asClient, publicKey: identity.publicKey,
                                                  secretKey: identity.secretKey, peerPublicKey: peerPublicKey) else {
            throw .invalidInput(field: "peer.publicKey", message: "the peer key is not an acceptable X25519 key")
        }
        let info = Self.kdfLabel + [Self.version] + sessionID.bytes
        self.sessionID = sessionID
        self.peerPublicKey = peerPublicKey
        self.localPublicKey = identity.publicKey
        self.sendKey = Sodium.keyedBlake2b(key: tx, info)
        self.receiveKey = Sodium.keyedBlake2b(key: rx, info)
    }

    /// Reads the cleartext header without any key.
    public static func envelope(of message: [UInt8]) throws(SimilarityError) -> Envelope {
        guard message.count >= overheadBytes else {
            throw .malformedMessage(field: "sealed", message: "sealed message truncated: \(message.count) bytes")
        }
        guard Array(message[0..<3]) == magic else {
            throw .malformedMessage(field: "sealed.magic", message: "not a sealed peer message")
        }
        guard message[3] == version else {
            throw .malformedMessage(field: "sealed.version", message: "unsupported sealed-message version \(message[3])")
        }
        var r = WireReader(message, from: 4)
        let pk = try r.raw(32, "sealed.sender")
        let sid = SessionID(unchecked: try r.raw(16, "sealed.sessionId"))
        let seq = try r.u64("sealed.sequence")
        return Envelope(senderPublicKey: pk, sessionID: sid, sequence: seq)
    }

    private static func nonce(_ seq: UInt64) -> [UInt8] {
        var w = WireWriter(capacity: 24)
        w.u64(seq)
        w.raw([UInt8](repeating: 0, count: 16))
        return w.bytes
    }

    /// Encrypts and authenticates the next outgoing message.
    public mutating func seal(_ plaintext: [UInt8]) -> [UInt8] {
        var w = WireWriter(capacity: Self.overheadBytes + plaintext.count)
        w.raw(Self.magic)
        w.u8(Self.version)
        w.raw(localPublicKey)
        w.raw(sessionID.bytes)
        w.u64(sendSequence)
        let header = w.bytes
        let sealed = Sodium.aeadSeal(plaintext, ad: header + peerPublicKey, nonce: Self.nonce(sendSequence), key: sendKey)
        sendSequence += 1
        return header + sealed
    }

    /// Verifies and decrypts the next incoming message: it must come from the pinned peer key,
    /// belong to this session, carry the expected sequence number and authenticate.
    public mutating func open(_ message: [UInt8]) throws(SimilarityError) -> [UInt8] {
        let e = try Self.envelope(of: message)
        guard Sodium.constantTimeEqual(e.senderPublicKey, peerPublicKey) else {
            throw .authenticationFailed(field: "sealed.sender", message: "message from an unknown or wrong key")
        }
        guard e.sessionID == sessionID else {
            throw .authenticationFailed(field: "sealed.sessionId", message: "message belongs to another session")
        }
        guard e.sequence == receiveSequence else {
            throw .authenticationFailed(
                field: "sealed.sequence",
                message: e.sequence < receiveSequence
                    ? "replayed message: sequence \(e.sequence), expected \(receiveSequence)"
                    : "out-of-order message: sequence \(e.sequence), expected \(receiveSequence)")
        }
        let header = Array(message[0..<Self.headerBytes])
        guard let plain = Sodium.aeadOpen(Array(message[Self.headerBytes...]), ad: header + localPublicKey,
                                          nonce: Self.nonce(e.sequence), key: receiveKey) else {
            throw .authenticationFailed(field: "sealed", message: "message failed authentication (tampered or wrong key)")
        }
        receiveSequence += 1
        return plain
    }
}
