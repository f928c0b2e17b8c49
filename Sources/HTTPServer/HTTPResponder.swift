/// What the server calls for every well-formed request. Implemented by the application layer.
public protocol HTTPResponder: Sendable {
    /// Produces the response: on a worker thread, or on the I/O thread when `respondsInline(to:)` said so.
    func respond(to request: HTTPServerRequest) -> HTTPServerResponse
    /// Asked first, on the I/O thread: true for a request so cheap to answer (a health probe) that a thread hop
    /// would cost more than the work, which `respond(to:)` then answers right there (a streamed body still goes
    /// to a worker).
    func respondsInline(to request: HTTPServerRequest) -> Bool
    /// Told about every request the server refused before routing (malformed, too large, too slow).
    func didRefuse(_ error: HTTPParseError)
}

extension HTTPResponder {
    public func respondsInline(to request: HTTPServerRequest) -> Bool { false }
    public func didRefuse(_ error: HTTPParseError) {}
}
