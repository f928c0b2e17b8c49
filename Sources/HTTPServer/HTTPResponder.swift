/// What the server calls for every well-formed request. Implemented by the application layer.
public protocol HTTPResponder: Sendable {
    /// Produces the response; called on a worker thread (or on the I/O thread when `runsOnEventLoop` says so).
    func respond(to request: HTTPServerRequest) -> HTTPServerResponse
    /// True for a handler so cheap (a health probe) that a thread hop would cost more than the work.
    func runsOnEventLoop(_ request: HTTPServerRequest) -> Bool
    /// Told about every request the server refused before routing (malformed, too large, too slow).
    func didRefuse(_ error: HTTPParseError)
}

extension HTTPResponder {
    public func runsOnEventLoop(_ request: HTTPServerRequest) -> Bool { false }
    public func didRefuse(_ error: HTTPParseError) {}
}
