import Foundation
@testable import SecureSimilarity

/// An in-memory wire between two threads: `end` is the initiator's `BlockingPeerTransport`; each
/// request it sends is handed to `handle` on the responder's own thread (which owns `peer`), and
/// the reply travels back the same way. A reply that does not arrive within `timeout` seconds fails
/// the exchange with a transport error, as the peer client's deadline does; a request `handle`
/// refuses (it throws, like a peer answering 401) fails it too.
///
/// ```swift
/// let pair = InMemoryTransportPair.serving(responderParty)
/// var transport = pair.end
/// let result = try SimilaritySession.run(&initiator, over: &transport)
/// let responder = pair.finish()
/// ```
final class InMemoryTransportPair<Peer: Sendable>: @unchecked Sendable {
    typealias Handler = @Sendable (inout Peer, [UInt8]) throws(SimilarityError) -> [UInt8]

    /// The initiator's end of the wire.
    struct End: BlockingPeerTransport, Sendable {
        let pair: InMemoryTransportPair
        func exchange(_ message: [UInt8]) throws(SimilarityError) -> [UInt8] { try pair.exchange(message) }
    }

    let timeout: Double
    private let condition = NSCondition()
    private var requests: [[UInt8]] = []
    private var replies: [Result<[UInt8], SimilarityError>] = []
    private var recording: [(SimilaritySession.Direction, [UInt8])] = []
    private var closed = false
    private var finished = false
    private var peer: Peer
    private var responderThread: ObjectIdentifier?
    private var initiatorThreads: Set<ObjectIdentifier> = []

    init(peer: Peer, timeout: Double = 30, handle: @escaping Handler) {
        self.peer = peer
        self.timeout = timeout
        let thread = Thread { [self] in serve(handle) }
        thread.name = "in-memory-responder"
        thread.start()
    }

    var end: End { End(pair: self) }

    /// Every message that crossed the wire, in order (empty replies left out).
    var recorded: [(SimilaritySession.Direction, [UInt8])] {
        condition.lock(); defer { condition.unlock() }
        return recording
    }

    /// Whether the responder ran on a thread that never called `exchange`.
    var ranOnTwoThreads: Bool {
        condition.lock(); defer { condition.unlock() }
        guard let responderThread else { return false }
        return !initiatorThreads.isEmpty && !initiatorThreads.contains(responderThread)
    }

    /// Closes the wire, waits for the responder's thread to end and returns the responder as it is then.
    func finish() -> Peer {
        condition.lock(); defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
        return peer
    }

    fileprivate func exchange(_ message: [UInt8]) throws(SimilarityError) -> [UInt8] {
        condition.lock(); defer { condition.unlock() }
        initiatorThreads.insert(ObjectIdentifier(Thread.current))
        guard !closed else { throw .transport(field: "peer", message: "the wire is closed") }
        requests.append(message)
        recording.append((.initiatorToResponder, message))
        condition.broadcast()
        let deadline = Date().addingTimeInterval(timeout)
        while replies.isEmpty {
            if !condition.wait(until: deadline) && replies.isEmpty {
                closed = true   // a late reply must not be taken for the next one
                condition.broadcast()
                throw .transport(field: "peer", message: "no answer within \(timeout) s")
            }
        }
        return try replies.removeFirst().get()
    }

    private func serve(_ handle: Handler) {
        condition.lock()
        var state = peer
        responderThread = ObjectIdentifier(Thread.current)
        while true {
            while requests.isEmpty && !closed { condition.wait() }
            guard !requests.isEmpty, !closed else { break }
            let request = requests.removeFirst()
            condition.unlock()
            let reply: Result<[UInt8], SimilarityError>
            do throws(SimilarityError) {
                reply = .success(try handle(&state, request))
            } catch {
                reply = .failure(.transport(field: "peer", message: "the peer refused the message: \(error.message)"))
            }
            condition.lock()
            if case .success(let bytes) = reply, !bytes.isEmpty { recording.append((.responderToInitiator, bytes)) }
            if !closed { replies.append(reply) }
            condition.broadcast()
        }
        peer = state
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}

extension InMemoryTransportPair where Peer == SimilarityParty {
    /// A responder party on the other thread; its failures are answered with its abort message, as a
    /// remote instance does.
    static func serving(_ responder: SimilarityParty, timeout: Double = 30,
                        delay: Double = 0) -> InMemoryTransportPair<SimilarityParty> {
        InMemoryTransportPair(peer: responder, timeout: timeout) { party, message throws(SimilarityError) in
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            do throws(SimilarityError) {
                return try party.receive(message) ?? []
            } catch {
                guard let abort = party.abortMessage() else { throw error }
                return abort
            }
        }
    }
}

extension InMemoryTransportPair where Peer == SealedResponder {
    /// A sealed responder on the other thread: a request that does not authenticate is refused.
    static func serving(_ responder: SealedResponder, timeout: Double = 30) -> InMemoryTransportPair<SealedResponder> {
        InMemoryTransportPair(peer: responder, timeout: timeout) { r, message throws(SimilarityError) in try r.handle(message) }
    }
}
