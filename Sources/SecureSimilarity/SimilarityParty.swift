/// Which side of the conversation a party is: the initiator sends the first message.
public enum ProtocolRole: String, Sendable, Hashable {
    case initiator
    case responder
}

/// One party of the secure similarity protocol: a state machine that consumes and emits binary
/// messages, independent of any transport.
///
/// The party with fewer vectors (the responder on a tie) becomes the OT receiver ("Bob"), the
/// other the OT sender ("Alice"). The messages, with sequence numbers counting both directions:
///
/// | seq | initiator is OT sender | initiator is OT receiver |
/// |---|---|---|
/// | 0 | I→R hello | I→R hello (its point S is used) |
/// | 1 | R→I helloReply + S | R→I helloReply + R_1…R_128 |
/// | 2 | I→R baseOT R_1…R_128 | I→R extensionMatrix U (chunk 0) |
/// | 3 | R→I extensionMatrix U (chunk 0) | R→I corrections (zA, D, hash) |
/// | 4 | I→R corrections (zA, D, hash) | I→R shares (zB, hash) |
/// | 5 | R→I shares (zB, hash) | R→I finish (hash) |
/// | 6 | I→R finish (hash) | — |
///
/// (shown for a session that fits one chunk). Large sessions stream the OT extension in chunks
/// of OTs sized by `SimilarityLimits.chunkBytes` (the smaller of the two parties' values):
/// extensionMatrix(chunk c) from the receiver is answered by correctionsChunk(c) from the sender,
/// until the last chunk, whose corrections message also carries zA and the transcript hash. Every
/// message then stays near `chunkBytes` instead of growing with n·p·q.
///
/// The conversation strictly alternates, so it maps onto request/response: the initiator sends
/// each of its messages as a request and gets the responder's next message (or nothing) back.
///
/// ```swift
/// var alice = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params, vectors: a)
/// var bob = try SimilarityParty(role: .responder, sessionID: sid, parameters: params, vectors: b)
/// var message: [UInt8]? = try alice.start()
/// var turnOfBob = true
/// while let m = message {
///     message = turnOfBob ? try bob.receive(m) : try alice.receive(m)
///     turnOfBob.toggle()
/// }
/// let z = alice.result!.similarities   // rows: Alice's vectors, columns: Bob's
/// ```
///
/// Any malformed, truncated, oversized, replayed or out-of-order message throws a
/// `SimilarityError` and leaves the party in `.failed`; `abortMessage()` then gives a message
/// telling the peer why.
public struct SimilarityParty: Sendable {
    /// Where the party is in the conversation.
    public enum Phase: String, Sendable, Hashable {
        case idle, awaitingHello, awaitingHelloReply, awaitingBaseOT, awaitingExtension
        case awaitingCorrections, awaitingShares, awaitingFinish, done, failed
    }

    public let role: ProtocolRole
    public let sessionID: SessionID
    public let parameters: SimilarityParameters
    public let limits: SimilarityLimits
    /// Number of this party's vectors.
    public let count: Int
    public private(set) var phase: Phase
    /// Set when `phase == .failed`.
    public private(set) var error: SimilarityError?
    /// Set when `phase == .done`.
    public private(set) var result: SimilarityResult?
    public private(set) var bytesSent = 0
    public private(set) var bytesReceived = 0
    /// Protocol messages emitted (for the initiator: the request/response round trips).
    public private(set) var messagesSent = 0
    /// Protocol messages accepted.
    public private(set) var messagesReceived = 0
    /// True once the roles are known and this party is the OT sender.
    public private(set) var isOTSender = false

    private var values: [[Int64]]
    private var nonce: [UInt8]
    private var initiatorNonce: [UInt8] = []
    private var responderNonce: [UInt8] = []
    private var peerCount = 0
    private var sequence: UInt32 = 0
    private var transcript = Sodium.SHA256Stream()
    private var domain: SessionDomain?
    private var baseSender: ChouOrlandiOT.Sender?
    private var senderKeys: [[UInt8]] = []
    private var senderChoices: [Bool] = []
    private var baseKeys0: [[UInt8]] = []
    private var baseKeys1: [[UInt8]] = []
    private var rows: [UInt64] = []
    private var choices: [UInt64] = []
    private var accumulated: [UInt64] = []
    private var pending: [[Int64]] = []
    private var pendingShares: [UInt64] = []
    private var chunkOTs = 0
    private var chunkCount = 0
    private var chunkIndex = 0

    /// A party holding `vectors` (unit length, `parameters.dimension` coordinates each).
    public init(
        role: ProtocolRole, sessionID: SessionID, parameters: SimilarityParameters,
        vectors: [[Double]], limits: SimilarityLimits = .standard
    ) throws(SimilarityError) {
        try Sodium.ensureInitialised()
        guard parameters.dimension <= limits.maxDimension else {
            throw .invalidInput(field: "dimension", message: "dimension \(parameters.dimension) exceeds the limit \(limits.maxDimension)")
        }
        guard !vectors.isEmpty else { throw .invalidInput(field: "vectors", message: "at least one vector is required") }
        guard vectors.count <= limits.maxVectorsPerSide else {
            throw .invalidInput(field: "vectors", message: "\(vectors.count) vectors exceed the limit \(limits.maxVectorsPerSide)")
        }
        var encoded = [[Int64]]()
        encoded.reserveCapacity(vectors.count)
        for (i, v) in vectors.enumerated() {
            encoded.append(try FixedPoint.encode(vector: v, fractionBits: parameters.fractionBits,
                                                 dimension: parameters.dimension, field: "vectors[\(i)]"))
        }
        self.role = role
        self.sessionID = sessionID
        self.parameters = parameters
        self.limits = limits
        self.values = encoded
        self.count = encoded.count
        self.nonce = Sodium.randomBytes(16)
        self.phase = role == .initiator ? .idle : .awaitingHello
    }


    /// The sequence number of the next message, sent or received.
    public var nextSequence: UInt32 { sequence }

    // MARK: - driving

    /// The first message (initiator only).
    public mutating func start() throws(SimilarityError) -> [UInt8] {
        guard role == .initiator, phase == .idle else {
            throw .unexpectedMessage(field: "session", message: "only an idle initiator can start a session")
        }
        do throws(SimilarityError) {
            let sender = try ChouOrlandiOT.Sender()
            baseSender = sender
            initiatorNonce = nonce
            var w = WireWriter(capacity: 64 + parameters.context.count)
            w.u32(UInt32(parameters.dimension))
            w.u8(UInt8(parameters.fractionBits))
            w.u8(parameters.ring.rawValue)
            w.u32(UInt32(values.count))
            w.u32(UInt32(limits.chunkBytes))
            w.raw(nonce)
            w.raw(sender.point)
            w.u8(UInt8(parameters.context.count))
            w.raw(parameters.context)
            phase = .awaitingHelloReply
            return emit(.hello, w.bytes)
        } catch {
            fail(error)
            throw error
        }
    }

    /// Consumes one message from the peer and returns the reply, or nil when there is nothing to
    /// send (the session is then done). `progress(done, total)` reports extended OTs processed;
    /// `isCancelled` is polled during the long steps.
    public mutating func receive(
        _ bytes: [UInt8], progress: (Int, Int) -> Void = { _, _ in }, isCancelled: () -> Bool = { false }
    ) throws(SimilarityError) -> [UInt8]? {
        switch phase {
        case .done:
            throw .unexpectedMessage(field: "session", message: "the session is already complete")
        case .failed:
            throw .unexpectedMessage(field: "session", message: "the session has failed: \(error?.message ?? "unknown error")")
        case .idle:
            throw .unexpectedMessage(field: "session", message: "the initiator must start the session first")
        default:
            break
        }
        do throws(SimilarityError) {
            guard bytes.count <= limits.maxMessageBytes else {
                throw .malformedMessage(field: "message", message: "oversized message: \(bytes.count) bytes exceed the limit \(limits.maxMessageBytes)")
            }
            let header = try ProtocolMessage.parseHeader(bytes)
            guard header.sessionID == sessionID else {
                throw .unexpectedMessage(field: "message.sessionId", message: "message belongs to another session")
            }
            if header.type == .abort {
                try handleAbort(bytes, header)
            }
            guard header.sequence == sequence else {
                throw .unexpectedMessage(
                    field: "message.sequence",
                    message: header.sequence < sequence
                        ? "replayed message: sequence \(header.sequence), expected \(sequence)"
                        : "out-of-order message: sequence \(header.sequence), expected \(sequence)")
            }
            let expected = expectedType
            guard header.type == expected else {
                throw .unexpectedMessage(field: "message.type", message: "expected a \(expected) message, got \(header.type)")
            }
            var end = bytes.count
            if header.type != .hello && header.type != .helloReply {
                try checkBody(header, header.type)
            }
            if Self.carriesTranscriptHash(header.type) {
                // The last 32 bytes are SHA-256 of the whole transcript up to them.
                end -= 32
                var fork = transcript
                fork.update(Array(bytes[0..<end]))
                guard Sodium.constantTimeEqual(fork.digest(), Array(bytes[end...])) else {
                    throw .transcriptMismatch(field: "\(header.type).transcriptHash",
                                              message: "the peer's transcript hash differs from ours")
                }
            }
            sequence &+= 1
            bytesReceived += bytes.count
            messagesReceived += 1
            transcript.update(bytes)
            var r = WireReader(bytes, from: header.bodyStart, end: end)
            let reply: [UInt8]?
            switch header.type {
            case .hello: reply = try onHello(&r, header)
            case .helloReply: reply = try onHelloReply(&r, header)
            case .baseOT: reply = try onBaseOT(&r, header)
            case .extensionMatrix: reply = try onExtension(&r, header, progress, isCancelled)
            case .corrections: reply = try onCorrections(&r, final: true, progress, isCancelled)
            case .correctionsChunk: reply = try onCorrections(&r, final: false, progress, isCancelled)
            case .shares: reply = try onShares(&r, header)
            case .finish: reply = try onFinish(&r, header)
            case .abort: reply = nil
            }
            return reply
        } catch {
            fail(error)
            throw error
        }
    }

    /// After a failure: a message telling the peer why (nil unless `phase == .failed`).
    public func abortMessage() -> [UInt8]? {
        guard phase == .failed, let e = error else { return nil }
        var w = WireWriter()
        let f = Array(e.field.utf8.prefix(200))
        let m = Array(e.message.utf8.prefix(1000))
        w.u8(e.code)
        w.u8(UInt8(f.count))
        w.raw(f)
        w.u32(UInt32(m.count))
        w.raw(m)
        return ProtocolMessage.encode(type: .abort, sequence: sequence, sessionID: sessionID, body: w.bytes)
    }

    /// Ends the session locally (cancellation, timeout, transport failure).
    public mutating func abandon(_ reason: SimilarityError) {
        if phase != .done && phase != .failed { fail(reason) }
    }

    // MARK: - internals

    private var expectedType: MessageType {
        switch phase {
        case .awaitingHello: return .hello
        case .awaitingHelloReply: return .helloReply
        case .awaitingBaseOT: return .baseOT
        case .awaitingExtension: return .extensionMatrix
        case .awaitingCorrections: return chunkIndex == chunkCount - 1 ? .corrections : .correctionsChunk
        case .awaitingShares: return .shares
        case .awaitingFinish: return .finish
        case .idle, .done, .failed: return .abort
        }
    }

    private mutating func fail(_ e: SimilarityError) {
        phase = .failed
        error = e
        wipeSecrets()
    }

    private mutating func wipeSecrets() {
        baseSender?.wipe()
        baseSender = nil
        for i in senderKeys.indices { Sodium.wipe(&senderKeys[i]) }
        senderKeys = []
        senderChoices = []
        for i in baseKeys0.indices { Sodium.wipe(&baseKeys0[i]); Sodium.wipe(&baseKeys1[i]) }
        baseKeys0 = []; baseKeys1 = []
        Sodium.wipe(&accumulated); accumulated = []
        Sodium.wipe(&rows); rows = []
        Sodium.wipe(&choices); choices = []
        for i in values.indices { Sodium.wipe(&values[i]) }
        values = []
    }

    private static func carriesTranscriptHash(_ type: MessageType) -> Bool {
        type == .corrections || type == .shares || type == .finish
    }

    /// Frames `body`; for corrections, shares and finish the body gets a trailing 32-byte
    /// SHA-256 of the transcript (all earlier messages, then this message up to the hash).
    private mutating func emit(_ type: MessageType, _ body: [UInt8]) -> [UInt8] {
        var out: [UInt8]
        if Self.carriesTranscriptHash(type) {
            out = ProtocolMessage.encode(type: type, sequence: sequence, sessionID: sessionID,
                                         body: body + [UInt8](repeating: 0, count: 32))
            let end = out.count - 32
            var fork = transcript
            fork.update(Array(out[0..<end]))
            out.replaceSubrange(end..., with: fork.digest())
        } else {
            out = ProtocolMessage.encode(type: type, sequence: sequence, sessionID: sessionID, body: body)
        }
        sequence &+= 1
        bytesSent += out.count
        messagesSent += 1
        transcript.update(out)
        return out
    }

    private var senderCount: Int { isOTSender ? count : peerCount }
    private var receiverCount: Int { isOTSender ? peerCount : count }
    private var otCount: Int {
        GilboaProduct.otCount(dimension: parameters.dimension, receiverCount: receiverCount, valueBits: parameters.valueBits)
    }

    /// OTs per chunk: a multiple of 512 with about `chunkBytes` of U (128 bits per OT) or D (at
    /// most p·ℓ bits per OT), whichever is larger.
    static func chunkSize(chunkBytes: Int, senderCount p: Int, ringBits l: Int) -> Int {
        let bitsPerOT = max(IKNPExtension.kappa, p * l)
        let per = IKNPExtension.otsPerBlock
        return max(per, (8 * chunkBytes / bitsPerOT) / per * per)
    }

    private func chunkRange(_ c: Int) -> Range<Int> {
        (c * chunkOTs)..<min(otCount, (c + 1) * chunkOTs)
    }

    private func correctionBytes(_ range: Range<Int>) -> Int {
        (GilboaProduct.correctionBits(range: range, senderCount: senderCount, valueBits: parameters.valueBits,
                                      ringBits: parameters.ringBits) + 7) / 8
    }

    /// Exact body lengths of the messages after the hello exchange (for the chunk in flight).
    private func bodyLength(_ type: MessageType) -> Int {
        switch type {
        case .baseOT: return ChouOrlandiOT.count * Sodium.pointBytes
        case .extensionMatrix: return IKNPExtension.kappa * IKNPExtension.bytesPerColumn(chunkRange(chunkIndex).count)
        case .correctionsChunk: return correctionBytes(chunkRange(chunkIndex))
        case .corrections: return 8 * senderCount * receiverCount + correctionBytes(chunkRange(chunkIndex)) + 32
        case .shares: return 8 * senderCount * receiverCount + 32
        case .finish: return 32
        case .hello, .helloReply, .abort: return -1
        }
    }

    private func checkBody(_ header: ProtocolMessage, _ type: MessageType) throws(SimilarityError) {
        let expected = bodyLength(type)
        guard header.bodyLength == expected else {
            throw .malformedMessage(
                field: "message.bodyLength",
                message: "\(type) body must be \(expected) bytes, got \(header.bodyLength)")
        }
    }

    /// Roles, limits, chunking and the session domain, once both counts and nonces are known.
    private mutating func settle(
        initiatorCount: Int, responderCount: Int, peerChunkBytes: Int, field: String
    ) throws(SimilarityError) {
        let peer = role == .initiator ? responderCount : initiatorCount
        guard peer >= 1 && peer <= limits.maxVectorsPerSide else {
            throw .parameterMismatch(field: field, message: "the peer's \(peer) vectors are outside 1...\(limits.maxVectorsPerSide)")
        }
        guard SimilarityLimits.chunkBytesRange.contains(peerChunkBytes) else {
            throw .malformedMessage(field: field, message: "chunk size \(peerChunkBytes) outside \(SimilarityLimits.chunkBytesRange)")
        }
        peerCount = peer
        let responderIsReceiver = responderCount <= initiatorCount
        isOTSender = (role == .initiator) == responderIsReceiver
        guard initiatorCount * responderCount <= limits.maxProducts else {
            throw .parameterMismatch(field: field, message: "\(initiatorCount)×\(responderCount) products exceed the limit \(limits.maxProducts)")
        }
        chunkOTs = Self.chunkSize(chunkBytes: min(limits.chunkBytes, peerChunkBytes), senderCount: senderCount,
                                  ringBits: parameters.ringBits)
        chunkCount = (otCount + chunkOTs - 1) / chunkOTs
        chunkIndex = 0
        let first = min(chunkOTs, otCount)
        let largest = ProtocolMessage.headerBytes + max(
            IKNPExtension.kappa * IKNPExtension.bytesPerColumn(first),
            (senderCount * parameters.ringBits * first + 7) / 8 + 8 * senderCount * receiverCount + 32)
        guard largest <= limits.maxMessageBytes else {
            throw .parameterMismatch(field: field, message: "the session needs messages of up to \(largest) bytes, above the limit \(limits.maxMessageBytes)")
        }
        domain = SessionDomain(version: ProtocolMessage.version, sessionID: sessionID, initiatorNonce: initiatorNonce,
                               responderNonce: responderNonce, parameters: parameters,
                               senderCount: senderCount, receiverCount: receiverCount)
        accumulated = [UInt64](repeating: 0, count: senderCount * receiverCount)
    }

    private static func randomChoices() -> [Bool] {
        let bytes = Sodium.randomBytes(ChouOrlandiOT.count / 8)
        return (0..<ChouOrlandiOT.count).map { (bytes[$0 >> 3] >> UInt8($0 & 7)) & 1 == 1 }
    }

    /// Base-OT receiver step of the OT sender: choose s, answer S with the points R_i.
    private mutating func chooseBaseOT(senderPoint: [UInt8]) throws(SimilarityError) -> [[UInt8]] {
        senderChoices = Self.randomChoices()
        let (points, keys) = try ChouOrlandiOT.receive(senderPoint: senderPoint, choices: senderChoices, domain: domain!)
        senderKeys = keys
        return points
    }

    /// OT-extension receiver step of the OT receiver: base-OT keys, then the first chunk of U.
    private mutating func extend(points: [[UInt8]]) throws(SimilarityError) -> [UInt8] {
        guard let sender = baseSender else {
            throw .crypto(field: "baseOT", message: "missing base-OT secret")
        }
        (baseKeys0, baseKeys1) = try sender.keys(points: points, domain: domain!)
        baseSender?.wipe()
        baseSender = nil
        choices = GilboaProduct.choiceBits(values: values, valueBits: parameters.valueBits)
        return emitExtensionChunk()
    }

    /// The receiver's U for the chunk in flight; keeps that chunk's rows T.
    private mutating func emitExtensionChunk() -> [UInt8] {
        let range = chunkRange(chunkIndex)
        let (u, t) = IKNPExtension.receiver(k0: baseKeys0, k1: baseKeys1, choices: choices, range: range, domain: domain!)
        rows = t
        var w = WireWriter(capacity: bodyLength(.extensionMatrix))
        IKNPExtension.encodeColumns(u, count: range.count, into: &w)
        phase = .awaitingCorrections
        return emit(.extensionMatrix, w.bytes)
    }

    private static func readPoints(_ r: inout WireReader) throws(SimilarityError) -> [[UInt8]] {
        var points = [[UInt8]]()
        points.reserveCapacity(ChouOrlandiOT.count)
        for i in 0..<ChouOrlandiOT.count { points.append(try r.raw(Sodium.pointBytes, "baseOT.R[\(i)]")) }
        return points
    }

    private func readShares(_ r: inout WireReader, _ field: String) throws(SimilarityError) -> [UInt64] {
        let l = parameters.ringBits
        var out = [UInt64]()
        out.reserveCapacity(senderCount * receiverCount)
        for idx in 0..<(senderCount * receiverCount) {
            let v = try r.u64("\(field)[\(idx)]")
            guard l >= 64 || v >> UInt64(l) == 0 else {
                throw .malformedMessage(field: "\(field)[\(idx)]", message: "share exceeds the \(l)-bit ring")
            }
            out.append(v)
        }
        return out
    }

    /// Z = zA + zB mod 2^ℓ, sign-extended; rows = this party's vectors.
    private func combine(_ a: [UInt64], _ b: [UInt64]) -> [[Int64]] {
        let p = senderCount, q = receiverCount, l = parameters.ringBits
        var z = [[Int64]](repeating: [Int64](repeating: 0, count: q), count: p)
        for i in 0..<p { for j in 0..<q { z[i][j] = FixedPoint.signExtend(a[i * q + j] &+ b[i * q + j], bits: l) } }
        if isOTSender { return z }
        var t = [[Int64]](repeating: [Int64](repeating: 0, count: p), count: q)
        for i in 0..<p { for j in 0..<q { t[j][i] = z[i][j] } }
        return t
    }

    // MARK: message handlers

    private mutating func onHello(_ r: inout WireReader, _ h: ProtocolMessage) throws(SimilarityError) -> [UInt8]? {
        let n = Int(try r.u32("hello.dimension"))
        let f = Int(try r.u8("hello.fractionBits"))
        let ringRaw = try r.u8("hello.ring")
        let theirs = Int(try r.u32("hello.count"))
        let peerChunk = Int(try r.u32("hello.chunkBytes"))
        initiatorNonce = try r.raw(16, "hello.nonce")
        let s = try r.raw(Sodium.pointBytes, "hello.point")
        let contextLength = Int(try r.u8("hello.contextLength"))
        guard contextLength <= SimilarityParameters.maxContextBytes else {
            throw .malformedMessage(field: "hello.contextLength", message: "context longer than \(SimilarityParameters.maxContextBytes) bytes")
        }
        let context = try r.raw(contextLength, "hello.context")
        try r.expectEnd("hello")
        guard let ring = RingMode(rawValue: ringRaw) else {
            throw .malformedMessage(field: "hello.ring", message: "unknown ring mode \(ringRaw)")
        }
        guard n == parameters.dimension else {
            throw .parameterMismatch(field: "hello.dimension", message: "the peer's dimension \(n) differs from ours (\(parameters.dimension))")
        }
        guard f == parameters.fractionBits else {
            throw .parameterMismatch(field: "hello.fractionBits", message: "the peer's fraction bits \(f) differ from ours (\(parameters.fractionBits))")
        }
        guard ring == parameters.ring else {
            throw .parameterMismatch(field: "hello.ring", message: "the peer's ring \(ring) differs from ours (\(parameters.ring))")
        }
        guard Sodium.constantTimeEqual(context, parameters.context) else {
            throw .parameterMismatch(field: "hello.context", message: "the peer's context (encoder) differs from ours")
        }
        try ChouOrlandiOT.validate(s, field: "hello.point")
        responderNonce = nonce
        try settle(initiatorCount: theirs, responderCount: count, peerChunkBytes: peerChunk, field: "hello.count")
        var w = WireWriter(capacity: 24 + ChouOrlandiOT.count * Sodium.pointBytes)
        w.u32(UInt32(values.count))
        w.u32(UInt32(limits.chunkBytes))
        w.raw(nonce)
        if isOTSender {
            let points = try chooseBaseOT(senderPoint: s)
            for p in points { w.raw(p) }
            phase = .awaitingExtension
        } else {
            let sender = try ChouOrlandiOT.Sender()
            baseSender = sender
            w.raw(sender.point)
            phase = .awaitingBaseOT
        }
        return emit(.helloReply, w.bytes)
    }

    private mutating func onHelloReply(_ r: inout WireReader, _ h: ProtocolMessage) throws(SimilarityError) -> [UInt8]? {
        let theirs = Int(try r.u32("helloReply.count"))
        let peerChunk = Int(try r.u32("helloReply.chunkBytes"))
        responderNonce = try r.raw(16, "helloReply.nonce")
        try settle(initiatorCount: count, responderCount: theirs, peerChunkBytes: peerChunk, field: "helloReply.count")
        let expected = 24 + (isOTSender ? Sodium.pointBytes : ChouOrlandiOT.count * Sodium.pointBytes)
        guard h.bodyLength == expected else {
            throw .malformedMessage(field: "message.bodyLength", message: "helloReply body must be \(expected) bytes, got \(h.bodyLength)")
        }
        if isOTSender {
            let s = try r.raw(Sodium.pointBytes, "helloReply.point")
            try r.expectEnd("helloReply")
            baseSender?.wipe()
            baseSender = nil
            let points = try chooseBaseOT(senderPoint: s)
            var w = WireWriter(capacity: ChouOrlandiOT.count * Sodium.pointBytes)
            for p in points { w.raw(p) }
            phase = .awaitingExtension
            return emit(.baseOT, w.bytes)
        } else {
            let points = try Self.readPoints(&r)
            try r.expectEnd("helloReply")
            return try extend(points: points)
        }
    }

    private mutating func onBaseOT(_ r: inout WireReader, _ h: ProtocolMessage) throws(SimilarityError) -> [UInt8]? {
        let points = try Self.readPoints(&r)
        try r.expectEnd("baseOT")
        return try extend(points: points)
    }

    private mutating func onExtension(
        _ r: inout WireReader, _ h: ProtocolMessage, _ progress: (Int, Int) -> Void, _ isCancelled: () -> Bool
    ) throws(SimilarityError) -> [UInt8]? {
        let range = chunkRange(chunkIndex)
        let u = try IKNPExtension.decodeColumns(&r, count: range.count)
        try r.expectEnd("extensionMatrix")
        let domain = self.domain!
        var q = IKNPExtension.sender(keys: senderKeys, choices: senderChoices, u: u, range: range, domain: domain)
        var sLo: UInt64 = 0, sHi: UInt64 = 0
        for i in 0..<64 where senderChoices[i] { sLo |= 1 << UInt64(i) }
        for i in 0..<64 where senderChoices[64 + i] { sHi |= 1 << UInt64(i) }
        let (d, bitCount) = try GilboaProduct.senderCorrections(
            values: values, receiverCount: receiverCount, range: range, rows: q, sLo: sLo, sHi: sHi,
            parameters: parameters, domain: domain, shares: &accumulated, progress: progress, isCancelled: isCancelled)
        Sodium.wipe(&q)
        sLo = 0; sHi = 0
        let bytes = correctionBytes(range)
        precondition((bitCount + 7) / 8 == bytes)
        chunkIndex += 1
        if chunkIndex < chunkCount {
            var w = WireWriter(capacity: bytes)
            w.words(d, byteCount: bytes)
            return emit(.correctionsChunk, w.bytes)
        }
        for i in senderKeys.indices { Sodium.wipe(&senderKeys[i]) }
        senderKeys = []
        senderChoices = []
        let mask = ringMask
        pendingShares = accumulated.map { $0 & mask }
        var w = WireWriter(capacity: 8 * pendingShares.count + bytes + 32)
        for v in pendingShares { w.u64(v) }
        w.words(d, byteCount: bytes)
        phase = .awaitingShares
        return emit(.corrections, w.bytes)
    }

    private var ringMask: UInt64 {
        parameters.ringBits >= 64 ? ~0 : (1 << UInt64(parameters.ringBits)) &- 1
    }

    private mutating func onCorrections(
        _ r: inout WireReader, final: Bool, _ progress: (Int, Int) -> Void, _ isCancelled: () -> Bool
    ) throws(SimilarityError) -> [UInt8]? {
        let range = chunkRange(chunkIndex)
        let zA = final ? try readShares(&r, "corrections.shares") : []
        let bytes = correctionBytes(range)
        let d = try r.words(byteCount: bytes, "corrections.d")
        try r.expectEnd("corrections")
        let bits = GilboaProduct.correctionBits(range: range, senderCount: senderCount, valueBits: parameters.valueBits,
                                                ringBits: parameters.ringBits)
        if bits % 64 != 0 {
            guard d[d.count - 1] >> UInt64(bits % 64) == 0 else {
                throw .malformedMessage(field: "corrections.d", message: "non-zero padding bits")
            }
        }
        try GilboaProduct.receiverShares(
            senderCount: senderCount, receiverCount: receiverCount, range: range, choices: choices, rows: rows,
            corrections: d, parameters: parameters, domain: domain!, shares: &accumulated,
            progress: progress, isCancelled: isCancelled)
        Sodium.wipe(&rows); rows = []
        if !final {
            chunkIndex += 1
            return emitExtensionChunk()
        }
        for i in baseKeys0.indices { Sodium.wipe(&baseKeys0[i]); Sodium.wipe(&baseKeys1[i]) }
        baseKeys0 = []; baseKeys1 = []
        Sodium.wipe(&choices); choices = []
        let mask = ringMask
        let zB = accumulated.map { $0 & mask }
        pending = combine(zA, zB)
        var w = WireWriter(capacity: bodyLength(.shares))
        for v in zB { w.u64(v) }
        phase = .awaitingFinish
        return emit(.shares, w.bytes)
    }

    private mutating func onShares(_ r: inout WireReader, _ h: ProtocolMessage) throws(SimilarityError) -> [UInt8]? {
        let zB = try readShares(&r, "shares.shares")
        try r.expectEnd("shares")
        let z = combine(pendingShares, zB)
        let out = emit(.finish, [])
        finish(z)
        return out
    }

    private mutating func onFinish(_ r: inout WireReader, _ h: ProtocolMessage) throws(SimilarityError) -> [UInt8]? {
        try r.expectEnd("finish")
        finish(pending)
        return nil
    }

    private mutating func finish(_ z: [[Int64]]) {
        result = SimilarityResult(fractionBits: parameters.fractionBits, fixedPoint: z)
        pending = []
        pendingShares = []
        wipeSecrets()
        phase = .done
    }

    /// The error an abort message carries, or nil when `bytes` is not an abort message.
    public static func abortReason(_ bytes: [UInt8]) -> SimilarityError? {
        guard let h = try? ProtocolMessage.parseHeader(bytes), h.type == .abort else { return nil }
        return abortError(bytes, h)
    }

    private func handleAbort(_ bytes: [UInt8], _ h: ProtocolMessage) throws(SimilarityError) -> Never {
        throw Self.abortError(bytes, h)
    }

    private static func abortError(_ bytes: [UInt8], _ h: ProtocolMessage) -> SimilarityError {
        var r = WireReader(bytes, from: h.bodyStart)
        let code = (try? r.u8("abort.code")) ?? 0
        let fieldLength = Int((try? r.u8("abort.fieldLength")) ?? 0)
        let field = (try? r.raw(fieldLength, "abort.field")).map { String(decoding: $0, as: UTF8.self) } ?? "peer"
        let messageLength = Int((try? r.u32("abort.messageLength")) ?? 0)
        let text = (try? r.raw(min(messageLength, 1000), "abort.message")).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return .peerAborted(field: field.isEmpty ? "peer" : field,
                            message: "the peer aborted the session (code \(code)): \(text)")
    }
}
