/// Drivers that run a whole protocol conversation.
public enum SimilaritySession {
    /// Which party produced a message.
    public enum Direction: String, Sendable, Hashable {
        case initiatorToResponder, responderToInitiator
    }

    /// Runs an initiator party to completion over `transport`, blocking the calling thread
    /// (request = the initiator's message, response = the responder's next message or empty).
    /// Every call to the peer is bounded by the transport's own deadline. On failure the party is
    /// left failed; when the failure is local (cancellation, a message that does not verify) an
    /// abort message is sent to the peer on a best-effort basis, and a peer's abort ends the
    /// session with its reason.
    ///
    /// Run it on a dedicated thread (never on the shared concurrency pool): a long session or a
    /// slow peer then blocks nothing else.
    ///
    /// ```swift
    /// var party = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params, vectors: mine)
    /// var transport = LoopbackTransport(responder: theirs)
    /// let result = try SimilaritySession.run(&party, over: &transport)
    /// ```
    public static func run(
        _ party: inout SimilarityParty, over transport: inout some BlockingPeerTransport,
        progress: (Int, Int) -> Void = { _, _ in }, isCancelled: () -> Bool = { false }
    ) throws(SimilarityError) -> SimilarityResult {
        guard party.role == .initiator else {
            throw .invalidInput(field: "role", message: "only the initiator drives a session")
        }
        var outgoing: [UInt8]? = try party.start()
        while let message = outgoing {
            if isCancelled() {
                party.abandon(.cancelled(field: "session", message: "cancelled"))
                if let abort = party.abortMessage() { _ = try? transport.exchange(abort) }
                throw party.error!
            }
            let reply: [UInt8]
            do {
                reply = try transport.exchange(message)
            } catch {
                party.abandon(error)
                throw error
            }
            if party.phase == .done {
                // Our last message was the finish; the peer acknowledges with nothing, or refuses it.
                guard reply.isEmpty else {
                    throw SimilarityParty.abortReason(reply)
                        ?? .unexpectedMessage(field: "message", message: "the peer sent a message after the session ended")
                }
                break
            }
            guard !reply.isEmpty else {
                let e = SimilarityError.transport(field: "peer", message: "the peer returned no message before the session ended")
                party.abandon(e)
                throw e
            }
            do {
                outgoing = try party.receive(reply, progress: progress, isCancelled: isCancelled)
            } catch {
                if case .peerAborted = error {} else if let abort = party.abortMessage() { _ = try? transport.exchange(abort) }
                throw error
            }
        }
        guard let result = party.result else {
            throw .unexpectedMessage(field: "session", message: "the conversation ended before a result")
        }
        return result
    }

    /// Runs both parties in one process, synchronously, passing every message to `observe`.
    /// For tests, benchmarks and the documented no-privacy loopback mode.
    public static func runInProcess(
        initiator: inout SimilarityParty, responder: inout SimilarityParty,
        observe: (Direction, [UInt8]) -> Void = { _, _ in }
    ) throws(SimilarityError) {
        var message: [UInt8]? = try initiator.start()
        var toResponder = true
        while let m = message {
            observe(toResponder ? .initiatorToResponder : .responderToInitiator, m)
            message = toResponder ? try responder.receive(m) : try initiator.receive(m)
            toResponder.toggle()
        }
    }
}
