import Foundation
import SecureSimilarity

/// Carries the sealed bytes of one protocol message to a remote peer's session endpoint and
/// returns its reply body, within the peer client's deadline; the session record counts the
/// bytes both ways. `SealedPeerTransport` seals what goes in and opens what comes out:
///
/// ```swift
/// var transport = SealedPeerTransport(channel: channel, carrier: SimilarityHTTPCarrier(client: client, url: url, record: r),
///                                     header: [SimilarityPeerEnvelope.protocolMessage])
/// let result = try SimilaritySession.run(&party, over: &transport)
/// ```
struct SimilarityHTTPCarrier: BlockingPeerTransport, Sendable {
    let client: SimilarityPeerClient
    let url: URL
    let record: SimilaritySessionRecord

    func exchange(_ sealed: [UInt8]) throws(SimilarityError) -> [UInt8] {
        let reply = try client.postBlocking(url, body: sealed)
        record.traffic(sent: sealed.count, received: reply.body.count)
        return reply.body
    }
}
