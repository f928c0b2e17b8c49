/// The seam between the protocol engine and the network: delivers one (already framed) protocol
/// message to the peer party and returns the peer's reply message, or an empty array when the
/// peer has nothing to send back — synchronously, on the caller's thread.
///
/// `SimilaritySession.run` drives an initiator over one. `LoopbackTransport` implements it in
/// process, `SealedPeerTransport` seals every message for a carrier that moves opaque bytes (the
/// Service's HTTP peer client is such a carrier).
///
/// Implementations enforce their own deadline and throw instead of hanging; any error they
/// throw fails the session.
public protocol BlockingPeerTransport {
    mutating func exchange(_ message: [UInt8]) throws(SimilarityError) -> [UInt8]
}
