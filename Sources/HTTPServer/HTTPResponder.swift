/// What the server calls for every well-formed request. Implemented by the application layer.
public protocol HTTPResponder: Sendable {
    /// Produces the response; called on a worker thread.
    func respond(to request: HTTPServerRequest) -> HTTPServerResponse
    /// Called first, on the I/O thread: the response of a handler so cheap (a health probe) that a thread hop
    /// would cost more than the work, or nil to send the request to a worker thread and `respond(to:)`.
    func respondInline(to request: HTTPServerRequest) -> HTTPServerResponse?
    /// Told about every request the server refused before routing (malformed, too large, too slow).
    func didRefuse(_ error: HTTPParseError)
}

extension HTTPResponder {
    public func respondInline(to request: HTTPServerRequest) -> HTTPServerResponse? { nil }
    public func didRefuse(_ error: HTTPParseError) {}
}
