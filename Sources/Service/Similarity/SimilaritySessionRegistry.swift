import Foundation
import HTTPTypes
import SecureSimilarity

/// Every similarity session of this instance, in memory only (inputs never touch the disk), and
/// the two ends of the peer conversation:
/// - the user side: create (and invite the peer), accept (and run the protocol in the
///   background), decline, cancel, list;
/// - the peer side: invitations and sealed messages from pinned peers.
///
/// The acceptor drives the protocol (it is the protocol's initiator, the creator its responder),
/// so `POST …/accept` runs the session without any further call from the creator's people.
/// A sweeper expires sessions at `expiresAt`, fails a creator-side session whose peer stopped
/// talking for twice the peer timeout, and forgets finished sessions one TTL after they ended.
final class SimilaritySessionRegistry: @unchecked Sendable {
    struct Limits: Sendable {
        var maxVectors: Int
        var maxDimension: Int
        var maxProducts: Int
        var maxRunning: Int
        var sessionsPerHour: Int
        var ttl: Double
        var peerTimeout: Double
        var maxBodyBytes: Int
    }

    let identity: IdentityKeyPair
    let peers: [String: SimilarityPeer]
    let limits: Limits
    let encoders: SimilarityEncoders
    let client: SimilarityPeerClient
    let log: AccessLog
    /// Session metadata shared with the other replicas of this organisation (nil: a single instance).
    let shared: SimilaritySessionStore?
    /// The group of replicas (instance id, advertise URL, who is alive); nil for a single instance.
    let database: Database?
    /// When each session's progress was last published to the shared store.
    private var published: [String: Date] = [:]
    /// Sessions whose last write to the shared store failed with a transient error, with when it first failed:
    /// the sweeper writes their current document again until it lands (or `unpublishedGiveUp` passes).
    private var unpublished: [String: (record: SimilaritySessionRecord, since: Date)] = [:]
    /// Keeps a session's writes in order: the document is taken and written under it, so a retry never
    /// overwrites a newer document with an older one.
    private let publishLock = NSLock()
    /// How long a session's document is written again after transient failures before the replica gives up.
    static let unpublishedGiveUp: Double = 600

    private let lock = NSLock()
    private var sessions: [String: SimilaritySessionRecord] = [:]
    /// Erased session ids → when their invitation expires (a replayed invitation is refused).
    private var tombstones: [String: Date] = [:]
    /// Session start times per peer name, for the hourly limit.
    private var recent: [String: [Date]] = [:]

    init(identity: IdentityKeyPair, peers: [String: SimilarityPeer], limits: Limits, encoders: SimilarityEncoders, log: AccessLog,
         database: Database? = nil) {
        self.database = database
        self.shared = database.map { PostgresSimilaritySessionStore(pool: $0.pool) }
        self.identity = identity
        self.peers = peers
        self.limits = limits
        self.encoders = encoders
        self.client = SimilarityPeerClient(timeout: limits.peerTimeout)
        self.log = log
        let sweeper = Thread { [weak self] in
            var lastShared = Date.distantPast
            while let registry = self {
                registry.sweep(now: Date())
                registry.republish(now: Date())
                if let shared = registry.shared, Date().timeIntervalSince(lastShared) >= 1 {
                    lastShared = Date()
                    // Sessions whose owner replica stopped heartbeating fail here, on any replica.
                    if let lost = try? shared.sweep(staleSeconds: registry.limits.peerTimeout, keepSeconds: registry.limits.ttl), !lost.isEmpty {
                        registry.log.event("similarity sessions failed: their replica stopped", level: "warn", [("sessions", String(lost.count))])
                        for loss in lost { registry.tellPeerOfLostInvitation(loss) }
                    }
                }
                Thread.sleep(forTimeInterval: 0.25)
            }
        }
        sweeper.name = "similarity-sweeper"
        sweeper.start()
    }

    /// The engine limits for our parties: message sizes fit the server's body limit.
    var engineLimits: SimilarityLimits {
        let maxMessage = min(16 << 20, limits.maxBodyBytes - SealedChannel.overheadBytes - 1)
        return SimilarityLimits(maxDimension: limits.maxDimension, maxVectorsPerSide: limits.maxVectors,
                                maxProducts: limits.maxProducts, maxMessageBytes: maxMessage,
                                chunkBytes: min(4 << 20, maxMessage / 4))
    }

    // MARK: - queries

    func record(_ id: String) throws -> SimilaritySessionRecord {
        lock.lock(); defer { lock.unlock() }
        guard let r = sessions[id] else { throw APIError.notFound("no similarity session \(id.prefix(64))") }
        return r
    }

    func all() -> [SimilaritySessionRecord] {
        lock.lock(); defer { lock.unlock() }
        return sessions.values.sorted { $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : $0.id < $1.id }
    }

    func countsByState() -> [String: Int] {
        var out: [String: Int] = [:]
        for r in all() { out[r.currentState.rawValue, default: 0] += 1 }
        return out
    }

    private func runningCount() -> Int {
        all().filter { $0.currentState == .running }.count
    }

    /// Whether one more session may run: counted here, or across the replicas with a shared store.
    private func mayStart(_ r: SimilaritySessionRecord) -> Bool {
        if let shared { return (try? shared.tryStart(id: r.id, limit: limits.maxRunning)) ?? false }
        return runningCount() < limits.maxRunning
    }

    /// Counts a new session with `peer` against the hourly limit (across replicas with a shared store).
    private func admitSession(peer: String, now: Date) throws -> Bool {
        if let shared { return try shared.admit(peer: peer, limit: limits.sessionsPerHour) }
        lock.lock(); defer { lock.unlock() }
        return admit(peer: peer, now: now)
    }

    /// Keeps a new session here; with a shared store also inserts its row (false when the id is known there).
    private func register(_ r: SimilaritySessionRecord) throws -> Bool {
        if let shared {
            r.onChange = { [weak self] record, immediate in self?.publish(record, immediate: immediate) }
            guard try shared.insert(row(r)) else { return false }
        }
        lock.lock(); sessions[r.id] = r; lock.unlock()
        return true
    }

    private func row(_ r: SimilaritySessionRecord) -> SimilaritySessionRow {
        let document = (try? JSON.encoder.encode(r.document())).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return SimilaritySessionRow(id: r.id, state: r.currentState.rawValue, owner: database?.instanceID ?? "",
                                    ownerURL: database?.advertiseURL ?? "", document: document, expiresAt: r.expiresAt)
    }

    /// Writes a session's document to the shared store: state changes at once, progress at most twice a second.
    /// A transient database error (a restart, a lost link, a serialization race) does not lose the write: the
    /// session is remembered and the sweeper writes its then current document again until it lands.
    private func publish(_ r: SimilaritySessionRecord, immediate: Bool) {
        guard shared != nil else { return }
        let now = Date()
        lock.lock()
        if !immediate, unpublished[r.id] == nil, let last = published[r.id], now.timeIntervalSince(last) < 0.5 { lock.unlock(); return }
        published[r.id] = now
        lock.unlock()
        write(r)
    }

    /// Writes the session's current document; true when it is in the shared store.
    @discardableResult
    private func write(_ r: SimilaritySessionRecord) -> Bool {
        guard let shared else { return true }
        publishLock.lock()
        defer { publishLock.unlock() }
        do {
            try shared.update(row(r))
            lock.lock()
            let retried = unpublished.removeValue(forKey: r.id)
            lock.unlock()
            if let retried {
                log.event("similarity session published after a database error", [("session", r.id),
                          ("state", r.currentState.rawValue), ("delaySeconds", String(format: "%.1f", Date().timeIntervalSince(retried.since)))])
            }
            return true
        } catch let failure as PostgresConnection.Failure where failure.isTransient {
            lock.lock()
            let first = unpublished[r.id] == nil
            if first { unpublished[r.id] = (r, Date()) }
            lock.unlock()
            if first {
                log.event("similarity session not published yet: retrying", level: "warn", [("session", r.id), ("error", "\(failure)")])
            }
            return false
        } catch {
            log.event("similarity session not published", level: "warn", [("session", r.id), ("error", "\(error)")])
            return false
        }
    }

    /// Writes again the sessions whose last write failed with a transient error (from the sweeper).
    private func republish(now: Date) {
        lock.lock()
        let pending = unpublished
        lock.unlock()
        for (id, entry) in pending where !write(entry.record) && now.timeIntervalSince(entry.since) > Self.unpublishedGiveUp {
            lock.lock(); unpublished[id] = nil; lock.unlock()
            log.event("similarity session not published: the database stayed unreachable", level: "error",
                      [("session", id), ("state", entry.record.currentState.rawValue)])
        }
    }

    /// The document of a session: from memory when it lives here, else from the shared store.
    func documentJSON(_ id: String) throws -> [UInt8] {
        lock.lock()
        let local = sessions[id]
        lock.unlock()
        if let local { return Array(try JSON.encoder.encode(local.document())) }
        if let shared, let row = try shared.load(id: id) { return Array(row.document.utf8) }
        throw APIError.notFound("no similarity session \(id.prefix(64))")
    }

    /// `{"sessions": [...]}`, newest first: this replica's sessions from memory, the others' from the shared store.
    func listJSON() throws -> [UInt8] {
        let local = all()
        var documents = try local.map { String(decoding: try JSON.encoder.encode($0.document()), as: UTF8.self) }
        if let shared {
            let here = Set(local.map(\.id))
            var merged = try shared.list().filter { !here.contains($0.id) }.map { ($0.document, Self.createdAt(of: $0.document)) }
            merged += zip(documents, local.map { Self.iso($0.createdAt) })
            merged.sort { $0.1 > $1.1 }
            documents = merged.map(\.0)
        }
        return Array("{\"sessions\":[\(documents.joined(separator: ","))]}".utf8)
    }

    private static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }

    private static func createdAt(of document: String) -> String {
        guard let range = document.range(of: "\"createdAt\":\"") else { return "" }
        return String(document[range.upperBound...].prefix(while: { $0 != "\"" }))
    }

    /// Where a session's memory is.
    enum Location {
        /// Here, or nowhere known: handle the request here.
        case here
        /// Another live replica of this organisation, at this URL.
        case replica(String)
        /// Its replica stopped: the session cannot go on.
        case lost
    }

    /// Finds the replica holding a session (with a shared store).
    func locate(_ id: String) throws -> Location {
        lock.lock()
        let local = sessions[id] != nil
        lock.unlock()
        guard !local, let shared, let database, let row = try shared.load(id: id) else { return .here }
        if row.owner == database.instanceID { return .lost }
        let live = try database.liveInstances(freshSeconds: limits.peerTimeout)
        return live[row.owner] != nil && !row.ownerURL.isEmpty ? .replica(row.ownerURL) : .lost
    }

    /// Erases a session whose replica stopped (DELETE on a surviving replica).
    func eraseLost(_ id: String) throws -> [UInt8] {
        guard let shared, let row = try shared.load(id: id) else { throw APIError.notFound("no similarity session \(id.prefix(64))") }
        try shared.erase(id: id)
        return Array(row.document.utf8)
    }

    /// Counts a new session with `peer` against the hourly limit (caller holds `lock`).
    private func admit(peer: String, now: Date) -> Bool {
        var times = (recent[peer] ?? []).filter { now.timeIntervalSince($0) < 3600 }
        guard times.count < limits.sessionsPerHour else { recent[peer] = times; return false }
        times.append(now)
        recent[peer] = times
        return true
    }

    private static func tooMany(_ detail: String) -> APIError {
        APIError(status: .tooManyRequests, slug: "rate-limited", detail: detail, headers: [("Retry-After", "60")])
    }

    private func parameters(dimension: Int, fractionBits: Int, descriptor: EncoderDescriptor) throws -> SimilarityParameters {
        try SimilarityParameters(dimension: dimension, fractionBits: fractionBits, ring: .compact, context: descriptor.contextBytes)
    }

    private func event(_ message: String, _ r: SimilaritySessionRecord, _ extra: [(String, String)] = []) {
        log.event(message, [("session", r.id), ("peer", r.peerName), ("role", r.role.rawValue), ("state", r.currentState.rawValue)] + extra)
    }

    // MARK: - user side

    struct CreateRequest: Decodable, Sendable {
        var peer: String
        var vectors: [[Double]]?
        var sentences: [String]?
        var encoder: SimilarityEncoderSpec?
        var fractionBits: Int?
        var label: String?
    }

    /// `POST /v1/similarity/sessions`: keeps the inputs in a party, invites the peer.
    func create(_ request: CreateRequest) throws -> SimilaritySessionRecord {
        let peer: SimilarityPeer?
        if request.peer == SimilarityPeer.loopbackName {
            peer = nil
        } else if let p = peers[request.peer] {
            peer = p
        } else {
            throw APIError.invalid("peer", "unknown peer \(request.peer.prefix(64)); configured: \((peers.keys.sorted() + [SimilarityPeer.loopbackName]).joined(separator: ", "))")
        }
        let fractionBits = request.fractionBits ?? FixedPoint.defaultFractionBits
        guard FixedPoint.fractionBitsRange.contains(fractionBits) else { throw APIError.invalid("fractionBits", "must be between 8 and 30") }
        if let label = request.label, label.utf8.count > 200 { throw APIError.invalid("label", "must be at most 200 bytes") }
        var (vectors, descriptor) = try encoders.inputs(vectors: request.vectors, sentences: request.sentences, encoder: request.encoder)
        let count = vectors.count
        defer { SimilarityEncoders.wipe(&vectors) }
        let sid = SessionID.random()
        let party = try SimilarityParty(role: .responder, sessionID: sid,
                                        parameters: parameters(dimension: descriptor.dimension, fractionBits: fractionBits, descriptor: descriptor),
                                        vectors: vectors, limits: engineLimits)
        let now = Date()
        let record = SimilaritySessionRecord(
            id: sid.hex, sid: sid, role: .initiator, peer: peer, peerName: request.peer, label: request.label,
            encoder: descriptor, fractionBits: fractionBits, initiatorCount: count,
            createdAt: now, expiresAt: now.addingTimeInterval(limits.ttl), state: .invited, traceId: TraceContext.current?.traceID)
        record.party = party
        if let peer {
            record.inbound = try SealedChannel(identity: identity, peerPublicKey: peer.publicKey, sessionID: sid)
            record.outbound = try SealedChannel(identity: identity, peerPublicKey: peer.publicKey, sessionID: sid.derived(SimilarityPeerEnvelope.controlLabel))
        }
        guard try admitSession(peer: request.peer, now: now) else {
            record.abandonParty(.cancelled(field: "session", message: "refused"))
            throw Self.tooMany("at most \(limits.sessionsPerHour) sessions per hour with peer \(request.peer)")
        }
        guard try register(record) else { throw APIError.conflict("session id collision; try again") }
        guard let peer else {
            event("similarity session created", record)
            return record
        }
        do {
            try invite(record, peer: peer)
        } catch {
            lock.lock(); sessions[record.id] = nil; lock.unlock()
            try? shared?.erase(id: record.id)
            record.abandonParty(.cancelled(field: "session", message: "the invitation failed"))
            throw error
        }
        event("similarity session created", record)
        return record
    }

    /// Sends the invitation and checks the sealed acknowledgement (on the handler's thread, bounded by the peer timeout).
    private func invite(_ r: SimilaritySessionRecord, peer: SimilarityPeer) throws {
        let invitation = SimilarityPeerEnvelope.Invitation(
            id: r.id, label: r.label, encoder: r.encoder, fractionBits: r.fractionBits, vectors: r.initiatorCount,
            createdAt: r.createdAt, expiresAt: r.expiresAt)
        r.channelLock.lock()
        defer { r.channelLock.unlock() }
        guard var channel = r.outbound else { throw APIError.internalError("the session has no channel") }
        let sealed = channel.seal(SimilarityPeerEnvelope.encode(invitation))
        let reply: SimilarityPeerClient.Reply
        do {
            reply = try client.postBlocking(peer.endpoint("/v1/peer/sessions"), body: sealed)
        } catch {
            if error.message.contains("(429)") || error.message.contains("answered 429") {
                throw Self.tooMany("the peer \(peer.name) refuses more sessions now: \(error.message)")
            }
            throw APIError(status: .badGateway, slug: "peer-unavailable", detail: "the invitation to peer \(peer.name) failed: \(error.message)")
        }
        r.traffic(sent: sealed.count, received: reply.body.count, roundTrip: false)
        let ack: SimilarityPeerEnvelope.InvitationReply
        do {
            let plain = try channel.open(reply.body)
            ack = try SimilarityPeerEnvelope.decoder().decode(SimilarityPeerEnvelope.InvitationReply.self, from: Data(plain))
        } catch {
            throw APIError(status: .badGateway, slug: "peer-unavailable", detail: "peer \(peer.name) answered the invitation with an invalid reply")
        }
        guard ack.state == SimilaritySessionState.incoming.rawValue else {
            throw APIError(status: .badGateway, slug: "peer-unavailable", detail: "peer \(peer.name) did not list the session (state \(ack.state.prefix(20)))")
        }
        r.outbound = channel
    }

    struct AcceptRequest: Decodable, Sendable {
        var vectors: [[Double]]?
        var sentences: [String]?
        var encoder: SimilarityEncoderSpec?
        var fractionBits: Int?
    }

    /// `POST /v1/similarity/sessions/{id}/accept`: starts the protocol in the background.
    func accept(_ id: String, _ request: AcceptRequest) throws -> SimilaritySessionRecord {
        let r = try record(id)
        let expected: SimilaritySessionState = r.isLoopback ? .invited : .incoming
        guard r.role == .responder || r.isLoopback else {
            throw APIError.conflict("session \(id) was created here; the peer accepts it")
        }
        let state = r.currentState
        guard state == expected else { throw APIError.conflict("session \(id) is \(state.rawValue), not \(expected.rawValue)") }
        let spec = request.encoder ?? (r.encoder.name == "vectors" ? nil : SimilarityEncoderSpec(name: r.encoder.name, dimension: r.encoder.dimension))
        var (vectors, descriptor) = try encoders.inputs(vectors: request.vectors, sentences: request.sentences, encoder: spec)
        defer { SimilarityEncoders.wipe(&vectors) }
        if let cause = Self.encoderMismatch(ours: descriptor, peers: r.encoder) {
            // Same encoder, different files: no comparison can mean anything, so the session fails at both ends now.
            let message = "the peer's \(descriptor.name) encoder differs from this instance's: \(cause); both instances need the same model files"
            if r.finish(.failed, error: FieldError(field: "encoder", message: message)) {
                r.abandonParty(.cancelled(field: "encoder", message: "encoder mismatch"))
                notify(r, SimilarityPeerEnvelope.Event(event: "failed", message: message, field: "encoder"), wait: true)
                event("similarity session refused: encoder mismatch", r, [("cause", cause)])
            }
            throw APIError.invalid("encoder", message + " (the session has failed at both ends)")
        }
        let field = request.vectors != nil ? "vectors" : "sentences"
        guard vectors.count * r.initiatorCount <= limits.maxProducts else {
            throw APIError.invalid(field, "\(r.initiatorCount)×\(vectors.count) products exceed this instance's limit of \(limits.maxProducts)")
        }
        let fractionBits = request.fractionBits ?? r.fractionBits
        guard FixedPoint.fractionBitsRange.contains(fractionBits) else { throw APIError.invalid("fractionBits", "must be between 8 and 30") }
        var party = try SimilarityParty(role: .initiator, sessionID: r.sid,
                                        parameters: parameters(dimension: descriptor.dimension, fractionBits: fractionBits, descriptor: descriptor),
                                        vectors: vectors, limits: engineLimits)
        guard mayStart(r) else {
            party.abandon(.cancelled(field: "session", message: "busy"))
            throw APIError.unavailable("\(limits.maxRunning) similarity sessions are already running; try again shortly", retryAfter: 5)
        }
        guard r.start(from: expected, responderCount: party.count) else {
            publish(r, immediate: true)
            party.abandon(.cancelled(field: "session", message: "not startable"))
            throw APIError.conflict("session \(id) is \(r.currentState.rawValue), not \(expected.rawValue)")
        }
        event("similarity session accepted", r)
        if r.isLoopback {
            r.channelLock.lock()
            let responder = r.party
            r.party = nil
            r.channelLock.unlock()
            guard let responder else { throw APIError.internalError("the loopback session lost its party") }
            drive(r, party: party, transport: LoopbackTransport(responder: responder))
        } else {
            r.channelLock.lock()
            let channel = r.outbound
            r.outbound = nil
            r.channelLock.unlock()
            guard let channel, let peer = r.peer else { throw APIError.internalError("the session has no channel") }
            let carrier = SimilarityHTTPCarrier(client: client, url: peer.endpoint("/v1/peer/sessions/\(r.id)/messages"), record: r)
            drive(r, party: party, transport: SealedPeerTransport(channel: channel, carrier: carrier,
                                                                  header: [SimilarityPeerEnvelope.protocolMessage]))
        }
        return r
    }

    /// Runs the protocol initiator to the end on its own thread (never on a request handler or the
    /// shared concurrency pool, so a long session or a slow peer blocks nothing else) and records the outcome.
    /// The run is a span of the session's trace (the one that created it), which its peer calls carry.
    private func drive<T: BlockingPeerTransport & Sendable>(_ r: SimilaritySessionRecord, party: SimilarityParty, transport: T) {
        let thread = Thread { [self] in TraceContext.$current.withValue(.resuming(traceID: r.traceId)) { run(r, party: party, transport: transport) } }
        thread.name = "similarity-session"
        thread.start()
    }

    private func run<T: BlockingPeerTransport & Sendable>(_ r: SimilaritySessionRecord, party: SimilarityParty, transport: T) {
        var party = party
        var transport = transport
        do throws(SimilarityError) {
            let result = try SimilaritySession.run(&party, over: &transport, progress: { r.progress($0, $1) },
                                                   isCancelled: { r.cancelled.isSet || Date() > r.expiresAt })
            if r.isLoopback { r.traffic(sent: party.bytesSent, received: party.bytesReceived, roundTrips: party.messagesSent) }
            // Rows of the result are the local party's (the acceptor's): the contract wants the initiator's.
            if r.finish(.succeeded, result: result.transposed()) { event("similarity session succeeded", r) }
        } catch {
            let state: SimilaritySessionState = r.cancelled.isSet ? .cancelled : (Date() > r.expiresAt ? .expired : .failed)
            if r.finish(state, error: FieldError(field: error.field, message: error.message)) {
                event("similarity session ended", r, [("error", error.description)])
            }
        }
        party.abandon(.cancelled(field: "session", message: "ended"))
    }

    /// Why two descriptors of the same encoder (name and dimension) cannot be compared, naming the parts of
    /// the fingerprint that differ (`weights:…;tokenizer:…` for minilm); nil when they agree or are different
    /// encoders altogether (the protocol's context check refuses those).
    static func encoderMismatch(ours: EncoderDescriptor, peers: EncoderDescriptor) -> String? {
        guard ours.name == peers.name, ours.dimension == peers.dimension, ours.fingerprint != peers.fingerprint else { return nil }
        let mine = ours.fingerprint.split(separator: ";"), theirs = peers.fingerprint.split(separator: ";")
        func key(_ part: Substring) -> Substring { part.split(separator: ":", maxSplits: 1).first ?? part }
        if mine.count == theirs.count, mine.count > 1, zip(mine, theirs).allSatisfy({ key($0) == key($1) }) {
            let differing = zip(mine, theirs).filter { $0 != $1 }.map { m, t in
                "\(key(m)) differ (peer \(t.dropFirst(key(t).count + 1).prefix(16))…, here \(m.dropFirst(key(m).count + 1).prefix(16))…)"
            }
            return differing.joined(separator: " and ")
        }
        return "fingerprints differ (peer \(peers.fingerprint.prefix(64)), here \(ours.fingerprint.prefix(64)))"
    }

    /// `POST …/{id}/decline`.
    func decline(_ id: String) throws -> SimilaritySessionRecord {
        let r = try record(id)
        guard r.role == .responder || r.isLoopback else { throw APIError.conflict("session \(id) was created here; only the invited peer declines it") }
        let state = r.currentState
        guard state == (r.isLoopback ? .invited : .incoming) else { throw APIError.conflict("session \(id) is \(state.rawValue); only a pending invitation can be declined") }
        guard r.finish(.declined, error: FieldError(field: "session", message: "declined here")) else {
            throw APIError.conflict("session \(id) is \(r.currentState.rawValue)")
        }
        r.abandonParty(.cancelled(field: "session", message: "declined"))
        notify(r, SimilarityPeerEnvelope.Event(event: "declined", message: "the peer declined the session"), wait: true)
        event("similarity session declined", r)
        return r
    }

    /// `DELETE …/{id}`: cancels a pending or running session, tells the peer, erases the record.
    func cancel(_ id: String) throws -> SimilaritySessionDocument {
        let r = try record(id)
        r.cancelled.set()
        let wasActive = r.finish(.cancelled, error: FieldError(field: "session", message: "cancelled here"))
        let doc = r.document()
        lock.lock()
        sessions[id] = nil
        tombstones[id] = r.expiresAt
        lock.unlock()
        try? shared?.erase(id: id)
        // The creator's party stops at its next message; a running acceptor's driver sends the abort itself.
        r.abandonParty(.cancelled(field: "session", message: "the peer cancelled the session"))
        if wasActive {
            notify(r, SimilarityPeerEnvelope.Event(event: "cancelled", message: "the peer cancelled the session"), wait: false)
        }
        event("similarity session cancelled and erased", r)
        return doc
    }

    /// Sends an event on our outbound channel (best effort, bounded by the peer timeout).
    private func notify(_ r: SimilaritySessionRecord, _ e: SimilarityPeerEnvelope.Event, wait: Bool) {
        guard let peer = r.peer else { return }
        let send: @Sendable () -> Void = { [self] in
            r.channelLock.lock()
            defer { r.channelLock.unlock() }
            guard var channel = r.outbound else { return }
            let sealed = channel.seal([SimilarityPeerEnvelope.event] + SimilarityPeerEnvelope.encode(e))
            do throws(SimilarityError) {
                let reply = try client.postBlocking(peer.endpoint("/v1/peer/sessions/\(r.id)/messages"), body: sealed)
                _ = try channel.open(reply.body)
                r.traffic(sent: sealed.count, received: reply.body.count, roundTrip: false)
            } catch {
                log.event("similarity peer notification failed", level: "warn", [("session", r.id), ("peer", peer.name), ("event", e.event), ("error", error.message)])
            }
            r.outbound = channel
        }
        let trace = TraceContext.current
        if wait { send() } else { Thread.detachNewThread { TraceContext.$current.withValue(trace) { send() } } }
    }

    /// A pending invitation whose replica stopped (failed here by the sweep) would stay pending at the peer
    /// until it expired: tell the peer it failed, on the channel the stopped replica would have used next.
    /// Both ends derive their channels from the shared identity and the session id, and a pending invitation
    /// has carried exactly one message: the invitation itself on the control channel (so the creator's next
    /// message there is the second), and nothing on the session channel the invited side sends on. Running
    /// sessions need nothing: the peer fails them when messages stop (2 × the peer timeout). Best effort, in
    /// the background; a peer that refuses the message (it already ended the session) changes nothing.
    func tellPeerOfLostInvitation(_ loss: SimilaritySessionLoss) {
        guard loss.previousState == SimilaritySessionState.invited.rawValue || loss.previousState == SimilaritySessionState.incoming.rawValue,
              let peer = peers[loss.peer], let sid = try? SessionID(hex: loss.id) else { return }
        let creator = loss.previousState == SimilaritySessionState.invited.rawValue
        let trace = TraceContext.current
        Thread.detachNewThread { [self] in
            TraceContext.$current.withValue(trace) {
                do {
                    var channel = try SealedChannel(identity: identity, peerPublicKey: peer.publicKey,
                                                    sessionID: creator ? sid.derived(SimilarityPeerEnvelope.controlLabel) : sid)
                    if creator { _ = channel.seal([]) } // the invitation's sequence number
                    let message = creator ? "the replica holding this session at the peer stopped before the invitation was accepted"
                                          : "the replica holding this invitation at the peer stopped before it was accepted"
                    let e = SimilarityPeerEnvelope.Event(event: "failed", message: message, field: "session")
                    let sealed = channel.seal([SimilarityPeerEnvelope.event] + SimilarityPeerEnvelope.encode(e))
                    let reply = try client.postBlocking(peer.endpoint("/v1/peer/sessions/\(loss.id)/messages"), body: sealed)
                    _ = try channel.open(reply.body)
                    log.event("similarity peer told of a lost invitation", [("session", loss.id), ("peer", peer.name)])
                } catch {
                    log.event("similarity peer not told of a lost invitation", level: "warn",
                              [("session", loss.id), ("peer", peer.name), ("error", "\(error)")])
                }
            }
        }
    }

    // MARK: - peer side

    /// An APIError for a refused peer message, with a log line (never the body).
    private func refuse(_ status: HTTPResponse.Status, _ reason: String, sender: [UInt8]?, path: String) -> APIError {
        log.event("peer message refused", level: "warn", [("path", path), ("status", String(status.code)), ("reason", reason),
                                                          ("senderKey", sender.map { IdentityKeyPair.fingerprint(of: $0) } ?? "none")])
        if status == .unauthorized {
            return APIError(status: .unauthorized, slug: "peer-unauthorized", detail: "the message is not from a pinned peer key of this instance")
        }
        return APIError(status: status, slug: status == .badRequest ? "malformed-request" : "conflict", detail: reason)
    }

    private func peer(withKey key: [UInt8]) -> SimilarityPeer? {
        peers.values.first { $0.publicKey == key }
    }

    /// `POST /v1/peer/sessions`: an invitation from a pinned peer; returns the sealed reply.
    func receiveInvitation(_ body: [UInt8], path: String) throws -> [UInt8] {
        let envelope: SealedChannel.Envelope
        do { envelope = try SealedChannel.envelope(of: body) } catch {
            throw refuse(.unauthorized, "not a sealed message: \(error.message)", sender: nil, path: path)
        }
        guard let peer = peer(withKey: envelope.senderPublicKey) else {
            throw refuse(.unauthorized, "unknown sender key", sender: envelope.senderPublicKey, path: path)
        }
        var channel = try SealedChannel(identity: identity, peerPublicKey: peer.publicKey, sessionID: envelope.sessionID)
        let plain: [UInt8]
        do { plain = try channel.open(body) } catch {
            throw refuse(.unauthorized, error.message, sender: envelope.senderPublicKey, path: path)
        }
        guard let invitation = try? SimilarityPeerEnvelope.decoder().decode(SimilarityPeerEnvelope.Invitation.self, from: Data(plain)),
              invitation.version == 1, let sid = try? SessionID(hex: invitation.id) else {
            throw refuse(.badRequest, "the invitation does not parse", sender: envelope.senderPublicKey, path: path)
        }
        guard sid.derived(SimilarityPeerEnvelope.controlLabel) == envelope.sessionID else {
            throw refuse(.unauthorized, "the invitation is sealed for another session", sender: envelope.senderPublicKey, path: path)
        }
        let now = Date()
        guard invitation.expiresAt > now, invitation.expiresAt < now.addingTimeInterval(7 * 86400 + 300) else {
            throw refuse(.conflict, "the invitation has expired or expires too late", sender: envelope.senderPublicKey, path: path)
        }
        guard FixedPoint.fractionBitsRange.contains(invitation.fractionBits),
              (1...limits.maxDimension).contains(invitation.encoder.dimension),
              (1...limits.maxVectors).contains(invitation.vectors),
              (invitation.label?.utf8.count ?? 0) <= 200, invitation.encoder.name.utf8.count <= 64, invitation.encoder.fingerprint.utf8.count <= 128 else {
            throw APIError.invalid("invitation", "outside this instance's limits (dimension ≤ \(limits.maxDimension), vectors ≤ \(limits.maxVectors), fractionBits 8…30)")
        }
        let record = SimilaritySessionRecord(
            id: invitation.id.lowercased(), sid: sid, role: .responder, peer: peer, peerName: peer.name, label: invitation.label,
            encoder: invitation.encoder, fractionBits: invitation.fractionBits, initiatorCount: invitation.vectors,
            createdAt: invitation.createdAt, expiresAt: invitation.expiresAt, state: .incoming, traceId: TraceContext.current?.traceID)
        record.outbound = try SealedChannel(identity: identity, peerPublicKey: peer.publicKey, sessionID: sid)
        lock.lock()
        let knownHere = sessions[record.id] != nil || tombstones[record.id] != nil
        lock.unlock()
        let knownThere = try shared?.load(id: record.id) != nil
        if knownHere || knownThere {
            throw refuse(.conflict, "session \(record.id) is already known here", sender: envelope.senderPublicKey, path: path)
        }
        guard try admitSession(peer: peer.name, now: now) else {
            throw Self.tooMany("at most \(limits.sessionsPerHour) sessions per hour with this peer")
        }
        let reply = channel.seal(SimilarityPeerEnvelope.encode(SimilarityPeerEnvelope.InvitationReply(state: SimilaritySessionState.incoming.rawValue)))
        record.inbound = channel
        record.traffic(sent: reply.count, received: body.count, roundTrip: false)
        guard try register(record) else {
            throw refuse(.conflict, "session \(record.id) is already known here", sender: envelope.senderPublicKey, path: path)
        }
        event("similarity invitation received", record)
        return reply
    }

    /// `POST /v1/peer/sessions/{id}/messages`: a sealed protocol message or event; returns the sealed reply.
    func receiveMessage(_ id: String, _ body: [UInt8], path: String) throws -> [UInt8] {
        let envelope: SealedChannel.Envelope
        do { envelope = try SealedChannel.envelope(of: body) } catch {
            throw refuse(.unauthorized, "not a sealed message: \(error.message)", sender: nil, path: path)
        }
        guard peer(withKey: envelope.senderPublicKey) != nil else {
            throw refuse(.unauthorized, "unknown sender key", sender: envelope.senderPublicKey, path: path)
        }
        lock.lock()
        let found = sessions[id.lowercased()]
        lock.unlock()
        guard let r = found else { throw APIError.notFound("no similarity session \(id.prefix(64))") }
        guard let peer = r.peer, peer.publicKey == envelope.senderPublicKey else {
            throw refuse(.unauthorized, "the sender is not this session's peer", sender: envelope.senderPublicKey, path: path)
        }
        r.channelLock.lock()
        defer { r.channelLock.unlock() }
        guard var channel = r.inbound else { throw APIError.conflict("session \(r.id) takes no messages") }
        let plain: [UInt8]
        do { plain = try channel.open(body) } catch {
            throw refuse(.unauthorized, error.message, sender: envelope.senderPublicKey, path: path)
        }
        defer { r.inbound = channel }
        guard let kind = plain.first else {
            throw refuse(.badRequest, "empty message", sender: envelope.senderPublicKey, path: path)
        }
        let payload = Array(plain.dropFirst())
        let reply: [UInt8]
        switch kind {
        case SimilarityPeerEnvelope.protocolMessage where r.role == .initiator:
            reply = channel.seal(respond(r, payload))
        case SimilarityPeerEnvelope.event:
            guard let e = try? SimilarityPeerEnvelope.decoder().decode(SimilarityPeerEnvelope.Event.self, from: Data(payload)) else {
                throw refuse(.badRequest, "the event does not parse", sender: envelope.senderPublicKey, path: path)
            }
            handle(r, e)
            reply = channel.seal([])
        default:
            throw refuse(.badRequest, "unexpected message kind \(kind)", sender: envelope.senderPublicKey, path: path)
        }
        r.traffic(sent: reply.count, received: body.count, roundTrip: kind == SimilarityPeerEnvelope.protocolMessage)
        return reply
    }

    /// The creator's party answers one protocol message (caller holds `channelLock`).
    private func respond(_ r: SimilaritySessionRecord, _ message: [UInt8]) -> [UInt8] {
        guard var party = r.party else { return [] }
        defer { r.party = party }
        if r.currentState == .invited {
            if !mayStart(r) {
                party.abandon(.invalidInput(field: "session", message: "the peer instance is busy (\(limits.maxRunning) sessions running); try again later"))
                r.finish(.failed, error: FieldError(field: "session", message: "refused: \(limits.maxRunning) sessions were already running"))
            } else {
                _ = r.start(from: .invited, responderCount: nil)
                event("similarity session running", r)
            }
        }
        let reply: [UInt8]
        do {
            reply = try party.receive(message, progress: { r.progress($0, $1) }, isCancelled: { r.cancelled.isSet }) ?? []
        } catch {
            reply = party.abortMessage() ?? []
        }
        switch party.phase {
        case .done:
            if let result = party.result {
                r.setResponderCount(result.columns)
                if r.finish(.succeeded, result: result) { event("similarity session succeeded", r) }
            }
        case .failed:
            let e = party.error ?? .unexpectedMessage(field: "session", message: "failed")
            let state: SimilaritySessionState = r.cancelled.isSet ? .cancelled : .failed
            if r.finish(state, error: FieldError(field: e.field, message: e.message)) { event("similarity session ended", r, [("error", e.description)]) }
        default:
            break
        }
        return reply
    }

    private func handle(_ r: SimilaritySessionRecord, _ e: SimilarityPeerEnvelope.Event) {
        let text = String((e.message ?? "the peer ended the session").prefix(300))
        switch e.event {
        case "declined":
            r.finish(.declined, error: FieldError(field: "session", message: text))
        case "failed":
            r.cancelled.set()
            r.finish(.failed, error: FieldError(field: String((e.field ?? "session").prefix(40)), message: text))
        default:
            r.cancelled.set()
            r.finish(.cancelled, error: FieldError(field: "session", message: text))
        }
        r.party?.abandon(.cancelled(field: "session", message: text))
        event("similarity session ended by the peer", r, [("event", String(e.event.prefix(20)))])
    }

    // MARK: - sweeping

    func sweep(now: Date) {
        for r in all() {
            let state = r.currentState
            if !state.isTerminal && now > r.expiresAt {
                r.cancelled.set()
                if r.finish(.expired, error: FieldError(field: "session", message: "the session expired before it finished")) {
                    if r.channelLock.try() { r.party?.abandon(.cancelled(field: "session", message: "expired")); r.channelLock.unlock() }
                    event("similarity session expired", r)
                }
            } else if state == .running && r.role == .initiator && !r.isLoopback && r.idleSeconds(now: now) > 2 * limits.peerTimeout {
                let message = "the peer stopped sending protocol messages (nothing for \(Int(2 * limits.peerTimeout)) s)"
                r.cancelled.set()
                if r.finish(.failed, error: FieldError(field: "peer", message: message)) {
                    if r.channelLock.try() { r.party?.abandon(.transport(field: "peer", message: message)); r.channelLock.unlock() }
                    event("similarity session failed", r, [("error", message)])
                }
            } else if state.isTerminal && now > r.expiresAt.addingTimeInterval(limits.ttl) {
                lock.lock(); sessions[r.id] = nil; tombstones[r.id] = r.expiresAt; published[r.id] = nil; lock.unlock()
            }
        }
        lock.lock()
        tombstones = tombstones.filter { $0.value > now }
        lock.unlock()
    }
}
