/// The seam between the protocol engine and the network: delivers one (already framed) protocol
/// message to the peer instance and returns the peer's reply message, or an empty array when the
/// peer has nothing to send back. The Service layer implements it over HTTP with a sealed
/// channel; `LoopbackTransport` implements it in process.
///
/// Implementations should enforce their own timeouts and throw instead of hanging; any error
/// they throw fails the session.
public protocol PeerTransport: Sendable {
    func exchange(_ message: [UInt8]) async throws -> [UInt8]
}
