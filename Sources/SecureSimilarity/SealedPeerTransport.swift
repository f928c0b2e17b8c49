/// A `PeerTransport` that seals every protocol message with a `SealedChannel` before handing it
/// to a carrier (the Service's HTTP client, which moves opaque bytes) and opens the reply.
/// Every reply must be sealed, empty acknowledgements included, so the initiator knows it came
/// from the pinned peer.
///
/// ```swift
/// let transport = SealedPeerTransport(channel: channel, carrier: HTTPCarrier(url: peerURL))
/// let result = try await SimilaritySession.run(&party, over: transport)
/// ```
public actor SealedPeerTransport<Carrier: PeerTransport>: PeerTransport {
    private var channel: SealedChannel
    private let carrier: Carrier

    public init(channel: SealedChannel, carrier: Carrier) {
        self.channel = channel
        self.carrier = carrier
    }

    public func exchange(_ message: [UInt8]) async throws -> [UInt8] {
        let sealed = channel.seal(message)
        let reply = try await carrier.exchange(sealed)
        guard !reply.isEmpty else {
            throw SimilarityError.authenticationFailed(field: "sealed", message: "the peer's reply was not sealed")
        }
        return try channel.open(reply)
    }
}

/// The responder's end of a sealed conversation: opens a request, feeds it to the party, seals
/// the reply (an empty plaintext when the party has nothing to say, the party's abort message
/// when it failed). The Service layer keeps one per incoming session.
public struct SealedResponder: Sendable {
    public private(set) var channel: SealedChannel
    public private(set) var party: SimilarityParty

    public init(channel: SealedChannel, party: SimilarityParty) {
        self.channel = channel
        self.party = party
    }

    /// Handles one sealed request. Authentication failures throw (answer 401, the session is
    /// untouched); protocol failures are sealed into an abort reply and also recorded in `party`.
    public mutating func handle(
        _ sealedRequest: [UInt8], progress: (Int, Int) -> Void = { _, _ in }, isCancelled: () -> Bool = { false }
    ) throws(SimilarityError) -> [UInt8] {
        let request = try channel.open(sealedRequest)
        do {
            let reply = try party.receive(request, progress: progress, isCancelled: isCancelled)
            return channel.seal(reply ?? [])
        } catch {
            return channel.seal(party.abortMessage() ?? [])
        }
    }
}
