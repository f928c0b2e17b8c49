/// A `BlockingPeerTransport` that seals every protocol message with a `SealedChannel` before
/// handing it to a carrier (a transport of opaque bytes, such as the Service's HTTP peer client)
/// and opens the reply. Every reply must be sealed, empty acknowledgements included, so the
/// initiator knows it came from the pinned peer.
///
/// `header` is put before every message inside the seal (the Service's message-kind byte, so
/// protocol messages and events share one peer endpoint); replies carry none.
///
/// ```swift
/// var transport = SealedPeerTransport(channel: channel, carrier: carrier)
/// let result = try SimilaritySession.run(&party, over: &transport)
/// ```
public struct SealedPeerTransport<Carrier: BlockingPeerTransport>: BlockingPeerTransport {
    public private(set) var channel: SealedChannel
    public private(set) var carrier: Carrier
    public let header: [UInt8]

    public init(channel: SealedChannel, carrier: Carrier, header: [UInt8] = []) {
        self.channel = channel
        self.carrier = carrier
        self.header = header
    }

    public mutating func exchange(_ message: [UInt8]) throws(SimilarityError) -> [UInt8] {
        let sealed = channel.seal(header + message)
        let reply = try carrier.exchange(sealed)
        guard !reply.isEmpty else {
            throw .authenticationFailed(field: "sealed", message: "the peer's reply was not sealed")
        }
        return try channel.open(reply)
    }
}

extension SealedPeerTransport: Sendable where Carrier: Sendable {}
