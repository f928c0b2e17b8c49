/// Domain separation for every hash and PRG call of one protocol run.
///
/// salt = BLAKE2b-128(version ‖ sid ‖ nonce_initiator ‖ nonce_responder ‖ n ‖ f ‖ ℓ ‖ p ‖ q ‖
/// context; personal "IncognitaSession"); each primitive then uses its own 16-byte
/// personalisation string with that salt, so no two calls of different purpose, session or
/// index share an input.
struct SessionDomain: Sendable {
    static let sessionPersonal = Array("IncognitaSession".utf8)
    static let baseOTPersonal = Array("IncognitaBaseOT_".utf8)
    static let hashPersonal = Array("IncognitaCRHash_".utf8)
    static let prgNonce: [UInt8] = Array("IncognitaPRG".utf8)   // 12 bytes

    let salt: [UInt8]

    init(
        version: UInt8, sessionID: SessionID, initiatorNonce: [UInt8], responderNonce: [UInt8],
        parameters: SimilarityParameters, senderCount: Int, receiverCount: Int
    ) {
        var w = WireWriter()
        w.u8(version)
        w.raw(sessionID.bytes)
        w.raw(initiatorNonce)
        w.raw(responderNonce)
        w.u32(UInt32(parameters.dimension))
        w.u8(UInt8(parameters.fractionBits))
        w.u8(UInt8(parameters.ringBits))
        w.u32(UInt32(senderCount))
        w.u32(UInt32(receiverCount))
        w.u8(UInt8(parameters.context.count))
        w.raw(parameters.context)
        salt = Sodium.blake2b(w.bytes, outputLength: 16, salt: [UInt8](repeating: 0, count: 16),
                              personal: Self.sessionPersonal)
    }

    /// k = BLAKE2b-256(i ‖ S ‖ R_i ‖ K; salt, "IncognitaBaseOT_"): the key of base OT i, where K is
    /// the shared point (x_i·S for the receiver, y·R_i or y·(R_i − S) for the sender).
    func baseOTKey(index i: Int, s: [UInt8], r: [UInt8], shared k: [UInt8]) -> [UInt8] {
        var w = WireWriter(capacity: 100)
        w.u32(UInt32(i))
        w.raw(s)
        w.raw(r)
        w.raw(k)
        return Sodium.blake2b(w.bytes, outputLength: 32, salt: salt, personal: Self.baseOTPersonal)
    }

    /// G(k): `count` words of ChaCha20-IETF keystream under the 32-byte base-OT key k, from
    /// 64-byte block `block` on.
    func prg(key: [UInt8], block: UInt32 = 0, into out: inout [UInt64], offset: Int, count: Int) {
        Sodium.chacha20Keystream(key: key, nonce: Self.prgNonce, block: block, into: &out, offset: offset, count: count)
    }

    /// H(m, row): the tweaked correlation-robust hash of extended OT m, `count` words.
    @inline(__always)
    func hash(index m: Int, lo: UInt64, hi: UInt64, into out: inout [UInt64], offset: Int = 0, count: Int) {
        Sodium.tweakedHash(tweak: UInt64(m), lo: lo, hi: hi, salt: salt, personal: Self.hashPersonal,
                           into: &out, offset: offset, count: count)
    }
}
