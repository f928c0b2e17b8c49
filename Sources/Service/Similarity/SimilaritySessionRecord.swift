import Foundation
import SecureSimilarity

/// The states of a similarity session (the contract's names).
enum SimilaritySessionState: String, Codable, Sendable {
    case invited, incoming, running, succeeded, failed, declined, expired, cancelled

    var isTerminal: Bool {
        switch self {
        case .invited, .incoming, .running: return false
        case .succeeded, .failed, .declined, .expired, .cancelled: return true
        }
    }
}

/// Which side of the session this instance is: the initiator created it (its vectors are the
/// rows of the result), the responder was invited and accepts or declines.
enum SimilaritySessionRole: String, Codable, Sendable {
    case initiator, responder
}

/// A flag set once, read from any thread (cancellation of a running party).
final class SimilarityFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}

/// One session at this instance. Inputs live only inside `party` (fixed-point, wiped by the
/// engine when the session ends or is abandoned) and never in any other field, log or file.
///
/// Two locks: `stateLock` guards what a GET shows (held briefly); `channelLock` serialises the
/// sealed channels and the party (held while a peer message is processed).
final class SimilaritySessionRecord: @unchecked Sendable {
    let id: String
    let sid: SessionID
    let role: SimilaritySessionRole
    /// nil for the loopback peer.
    let peer: SimilarityPeer?
    let peerName: String
    let label: String?
    /// The initiator's encoder (what the invitation announced).
    let encoder: EncoderDescriptor
    let fractionBits: Int
    /// p, the initiator's number of vectors.
    let initiatorCount: Int
    let createdAt: Date
    let expiresAt: Date
    /// The W3C trace id of the request that created the session here (the peer's invitation carries the creator's).
    let traceId: String?
    let cancelled = SimilarityFlag()

    let stateLock = NSLock()
    private(set) var state: SimilaritySessionState
    private(set) var responderCount: Int?
    private(set) var progressDone = 0
    private(set) var progressTotal = 0
    private(set) var result: SimilarityResult?
    private(set) var error: FieldError?
    private(set) var bytesSent = 0
    private(set) var bytesReceived = 0
    private(set) var roundTrips = 0
    private(set) var startedAt: Date?
    private(set) var finishedAt: Date?
    private(set) var lastActivity: Date

    let channelLock = NSLock()
    /// The initiator's protocol party (the protocol responder), or the loopback creator's party.
    var party: SimilarityParty?
    /// Opens the peer's requests to us and seals our replies.
    var inbound: SealedChannel?
    /// Seals our requests to the peer and opens its replies.
    var outbound: SealedChannel?

    init(id: String, sid: SessionID, role: SimilaritySessionRole, peer: SimilarityPeer?, peerName: String, label: String?,
         encoder: EncoderDescriptor, fractionBits: Int, initiatorCount: Int, createdAt: Date, expiresAt: Date,
         state: SimilaritySessionState, traceId: String? = nil) {
        self.id = id
        self.sid = sid
        self.role = role
        self.peer = peer
        self.peerName = peerName
        self.label = label
        self.encoder = encoder
        self.fractionBits = fractionBits
        self.initiatorCount = initiatorCount
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.state = state
        self.traceId = traceId
        self.lastActivity = createdAt
    }

    var isLoopback: Bool { peer == nil }

    var currentState: SimilaritySessionState { stateLock.lock(); defer { stateLock.unlock() }; return state }

    /// Called after each change, outside the locks: `immediate` for state changes, false for
    /// progress and traffic (the registry publishes those to the shared store at most twice a second).
    var onChange: (@Sendable (SimilaritySessionRecord, Bool) -> Void)?

    /// Moves to `running` from `from`; false when the session is elsewhere.
    func start(from: SimilaritySessionState, responderCount q: Int?) -> Bool {
        stateLock.lock()
        guard state == from else { stateLock.unlock(); return false }
        state = .running
        if let q { responderCount = q }
        startedAt = Date()
        lastActivity = Date()
        stateLock.unlock()
        onChange?(self, true)
        return true
    }

    func setResponderCount(_ q: Int) {
        stateLock.lock(); responderCount = q; stateLock.unlock()
        onChange?(self, true)
    }

    /// Ends the session unless it has already ended; returns whether this call ended it.
    @discardableResult
    func finish(_ newState: SimilaritySessionState, result: SimilarityResult? = nil, error: FieldError? = nil) -> Bool {
        stateLock.lock()
        guard !state.isTerminal else { stateLock.unlock(); return false }
        state = newState
        self.result = result
        self.error = error
        finishedAt = Date()
        if newState == .succeeded { progressDone = progressTotal }
        stateLock.unlock()
        onChange?(self, true)
        return true
    }

    func progress(_ done: Int, _ total: Int) {
        stateLock.lock(); progressDone = done; progressTotal = total; lastActivity = Date(); stateLock.unlock()
        onChange?(self, false)
    }

    func traffic(sent: Int, received: Int, roundTrip: Bool = true) {
        traffic(sent: sent, received: received, roundTrips: roundTrip ? 1 : 0)
    }

    func traffic(sent: Int, received: Int, roundTrips count: Int) {
        stateLock.lock()
        bytesSent += sent
        bytesReceived += received
        roundTrips += count
        lastActivity = Date()
        stateLock.unlock()
        onChange?(self, false)
    }

    func idleSeconds(now: Date) -> Double {
        stateLock.lock(); defer { stateLock.unlock() }
        return now.timeIntervalSince(lastActivity)
    }

    /// Ends the party (wiping its inputs) with `reason`, if there is one still holding inputs.
    func abandonParty(_ reason: SimilarityError) {
        channelLock.lock(); defer { channelLock.unlock() }
        party?.abandon(reason)
    }

    /// The document GET shows.
    func document() -> SimilaritySessionDocument {
        stateLock.lock(); defer { stateLock.unlock() }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var doc = SimilaritySessionDocument(
            id: id, role: role, state: state, peer: peerName, label: label,
            encoder: .init(name: encoder.name, dimension: encoder.dimension, fingerprint: encoder.fingerprint),
            fractionBits: fractionBits,
            vectors: .init(initiator: initiatorCount, responder: responderCount),
            createdAt: f.string(from: createdAt), expiresAt: f.string(from: expiresAt),
            progress: .init(done: progressDone, total: progressTotal,
                            fraction: progressTotal > 0 ? Double(progressDone) / Double(progressTotal) : (state == .succeeded ? 1 : 0)),
            result: nil,
            stats: .init(bytesSent: bytesSent, bytesReceived: bytesReceived, roundTrips: roundTrips,
                         durationMs: startedAt.map { Int(((finishedAt ?? Date()).timeIntervalSince($0) * 1000).rounded()) } ?? 0),
            error: error, traceId: traceId)
        if let result, state == .succeeded {
            let s = result.similarities
            doc.result = .init(similarities: s, best: result.bestMatches.map { .init(row: $0.row, column: $0.column, similarity: $0.similarity) })
        }
        return doc
    }
}

/// `GET /v1/similarity/sessions/{id}`.
struct SimilaritySessionDocument: Encodable, Sendable {
    struct Encoder: Encodable, Sendable { var name: String; var dimension: Int; var fingerprint: String }
    struct Counts: Encodable, Sendable { var initiator: Int; var responder: Int? }
    struct Progress: Encodable, Sendable { var done: Int; var total: Int; var fraction: Double }
    struct Best: Encodable, Sendable { var row: Int; var column: Int; var similarity: Double }
    struct Result: Encodable, Sendable { var similarities: [[Double]]; var best: [Best] }
    struct Stats: Encodable, Sendable { var bytesSent: Int; var bytesReceived: Int; var roundTrips: Int; var durationMs: Int }

    var id: String
    var role: SimilaritySessionRole
    var state: SimilaritySessionState
    var peer: String
    var label: String?
    var encoder: Encoder
    var fractionBits: Int
    var vectors: Counts
    var createdAt: String
    var expiresAt: String
    var progress: Progress
    var result: Result?
    var stats: Stats
    var error: FieldError?
    var traceId: String?
}
