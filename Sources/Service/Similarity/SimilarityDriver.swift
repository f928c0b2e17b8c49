import Foundation
import SecureSimilarity

/// Carries one protocol message to the peer party and returns its reply (empty when it has
/// nothing to say), synchronously, on the driver's own thread.
protocol SimilarityBlockingTransport {
    mutating func exchange(_ message: [UInt8]) throws(SimilarityError) -> [UInt8]
}

/// Runs the protocol initiator to completion on a dedicated thread (never on a request handler
/// or the shared concurrency pool, so a long session or a slow peer blocks nothing else).
/// The conversation logic is `SimilaritySession.run`'s, over a blocking transport: every call
/// to the peer has the peer client's deadline, a local failure or cancellation is reported to
/// the peer with an abort message, and a peer's abort ends the session with its reason.
enum SimilarityDriver {
    static func run(
        _ party: inout SimilarityParty, over transport: inout some SimilarityBlockingTransport,
        progress: (Int, Int) -> Void, isCancelled: () -> Bool
    ) throws(SimilarityError) -> SimilarityResult {
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
}

/// To a remote peer: each message is framed (kind byte), sealed, posted to the peer's session
/// endpoint with a deadline, and the sealed reply opened (it must come from the pinned key).
struct SimilarityHTTPTransport: SimilarityBlockingTransport {
    var channel: SealedChannel
    let client: SimilarityPeerClient
    let url: URL
    let record: SimilaritySessionRecord

    mutating func exchange(_ message: [UInt8]) throws(SimilarityError) -> [UInt8] {
        let sealed = channel.seal([SimilarityPeerEnvelope.protocolMessage] + message)
        let reply = try client.postBlocking(url, body: sealed)
        record.traffic(sent: sealed.count, received: reply.body.count)
        guard !reply.body.isEmpty else {
            throw .authenticationFailed(field: "sealed", message: "the peer's reply was not sealed")
        }
        return try channel.open(reply.body)
    }
}

/// Both parties in this process (the `loopback` peer: no privacy, for demos and tests); a
/// responder failure is answered with its abort message, as a remote peer would.
struct SimilarityLoopbackTransport: SimilarityBlockingTransport {
    var responder: SimilarityParty
    var messages = 0

    mutating func exchange(_ message: [UInt8]) throws(SimilarityError) -> [UInt8] {
        messages += 1
        do {
            return try responder.receive(message) ?? []
        } catch {
            guard let abort = responder.abortMessage() else { throw error }
            return abort
        }
    }
}
