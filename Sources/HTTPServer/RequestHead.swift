import HTTPTypes

/// A parsed request line and header section, with the framing decided from it. A class: a connection hands the
/// same head to the responder (inside `HTTPServerRequest`), the encoder and a worker, and copying its strings and
/// fields each time would cost more than the request's own work.
public final class RequestHead: Sendable {
    public enum Framing: Equatable, Sendable { case none, contentLength(Int), chunked }

    public let method: HTTPRequest.Method
    public let target: String
    public let path: String
    public let query: String?
    public let minorVersion: Int
    public let headerFields: RequestFields
    public let framing: Framing
    /// The client asked for `100 Continue` before sending its body.
    public let expectsContinue: Bool
    /// Whether the connection persists after this exchange (HTTP/1.1 default, HTTP/1.0 only with keep-alive).
    public let keepAlive: Bool
    /// A method name that is a valid token but not one this server implements (answered 501).
    public let isUnknownMethod: Bool

    public init(method: HTTPRequest.Method, target: String, path: String, query: String?, minorVersion: Int, headerFields: RequestFields,
                framing: Framing, expectsContinue: Bool, keepAlive: Bool, isUnknownMethod: Bool) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.minorVersion = minorVersion
        self.headerFields = headerFields
        self.framing = framing
        self.expectsContinue = expectsContinue
        self.keepAlive = keepAlive
        self.isUnknownMethod = isUnknownMethod
    }
}
