/// A `BlockingPeerTransport` that hands messages to a responder party in the same process: both
/// inputs are in one place, so it offers no privacy; it exists for tests, demos and the `loopback`
/// peer. A responder failure is answered with the responder's abort message, as a remote peer would.
public struct LoopbackTransport: BlockingPeerTransport, Sendable {
    /// The responder party as it is now (its result, phase, error, byte counts).
    public private(set) var responder: SimilarityParty
    /// Every message seen, in order, when `recording` is on.
    public private(set) var recorded: [(SimilaritySession.Direction, [UInt8])] = []
    private let recording: Bool

    public init(responder: SimilarityParty, recording: Bool = false) {
        self.responder = responder
        self.recording = recording
    }

    public mutating func exchange(_ message: [UInt8]) throws(SimilarityError) -> [UInt8] {
        if recording { recorded.append((.initiatorToResponder, message)) }
        let reply: [UInt8]
        do {
            reply = try responder.receive(message) ?? []
        } catch {
            guard let abort = responder.abortMessage() else { throw error }
            reply = abort
        }
        if recording && !reply.isEmpty { recorded.append((.responderToInitiator, reply)) }
        return reply
    }
}
