/// The responder's end of a sealed conversation: opens a request, feeds it to the party, seals
/// the reply (an empty plaintext when the party has nothing to say, the party's abort message
/// when it failed). The Service's peer endpoint does the same by hand, because its plaintexts start
/// with a message-kind byte (`SealedPeerTransport`'s header) and also carry events.
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
