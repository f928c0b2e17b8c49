/// The kinds of protocol messages.
public enum MessageType: UInt8, Sendable, CaseIterable {
    /// Initiator → responder: version, n, f, ring, count, nonce, a fresh base-OT point, context.
    case hello = 1
    /// Responder → initiator: count, nonce, then S (responder is the OT receiver) or the 128
    /// base-OT points R_i (responder is the OT sender).
    case helloReply = 2
    /// OT sender → OT receiver: the 128 base-OT points R_i.
    case baseOT = 3
    /// OT receiver → OT sender: the IKNP columns u_i.
    case extensionMatrix = 4
    /// OT sender → OT receiver: the sender's output shares zA, the corrections d_m, transcript hash.
    case corrections = 5
    /// OT sender → OT receiver: the corrections d_m of one chunk of OTs that is not the last.
    case correctionsChunk = 8
    /// OT receiver → OT sender: the receiver's output shares zB, transcript hash.
    case shares = 6
    /// OT sender → OT receiver: transcript hash over everything; the session is complete.
    case finish = 7
    /// Either direction: the sender failed; carries an error code, field and message.
    case abort = 15
}

/// The framing of every message, version 1 (all integers little-endian):
///
/// | bytes | field |
/// |---|---|
/// | 2 | magic "IS" |
/// | 1 | version (1) |
/// | 1 | type (`MessageType`) |
/// | 4 | sequence number (0 for hello, +1 per message in either direction) |
/// | 16 | session id |
/// | 4 | body length |
/// | … | body |
///
/// The total length must equal 28 + body length, and the body length must equal the exact
/// length the type implies for the negotiated parameters.
public struct ProtocolMessage: Sendable, Equatable {
    public static let magic: [UInt8] = [0x49, 0x53]
    public static let version: UInt8 = 1
    public static let headerBytes = 28

    public let type: MessageType
    public let sequence: UInt32
    public let sessionID: SessionID
    /// Offset of the body in the bytes the header was parsed from.
    let bodyStart: Int
    public let bodyLength: Int

    /// Frames a body.
    static func encode(type: MessageType, sequence: UInt32, sessionID: SessionID, body: [UInt8]) -> [UInt8] {
        var w = WireWriter(capacity: headerBytes + body.count)
        w.raw(magic)
        w.u8(version)
        w.u8(type.rawValue)
        w.u32(sequence)
        w.raw(sessionID.bytes)
        w.u32(UInt32(body.count))
        w.raw(body)
        return w.bytes
    }

    /// Parses and checks the header of `bytes` (magic, version, type, length consistency).
    public static func parseHeader(_ bytes: [UInt8]) throws(SimilarityError) -> ProtocolMessage {
        guard bytes.count >= headerBytes else {
            throw .malformedMessage(field: "message", message: "truncated message: \(bytes.count) bytes, header needs \(headerBytes)")
        }
        var r = WireReader(bytes)
        let m = try r.raw(2, "message.magic")
        guard m == magic else { throw .malformedMessage(field: "message.magic", message: "not a similarity protocol message") }
        let v = try r.u8("message.version")
        guard v == version else {
            throw .malformedMessage(field: "message.version", message: "unsupported protocol version \(v), this instance speaks \(version)")
        }
        let rawType = try r.u8("message.type")
        guard let type = MessageType(rawValue: rawType) else {
            throw .malformedMessage(field: "message.type", message: "unknown message type \(rawType)")
        }
        let seq = try r.u32("message.sequence")
        let sid = SessionID(unchecked: try r.raw(SessionID.byteCount, "message.sessionId"))
        let len = Int(try r.u32("message.bodyLength"))
        let actual = bytes.count - headerBytes
        guard len == actual else {
            throw .malformedMessage(
                field: "message.bodyLength",
                message: actual < len ? "truncated message: body has \(actual) of \(len) bytes"
                                      : "oversized message: \(actual - len) bytes beyond the declared body")
        }
        return ProtocolMessage(type: type, sequence: seq, sessionID: sid, bodyStart: headerBytes, bodyLength: len)
    }
}
