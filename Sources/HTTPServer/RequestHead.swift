import HTTPTypes

/// A parsed request line and header section, with the framing decided from it.
public struct RequestHead: Sendable {
    public enum Framing: Equatable, Sendable { case none, contentLength(Int), chunked }

    public var method: HTTPRequest.Method
    public var target: String
    public var path: String
    public var query: String?
    public var minorVersion: Int
    public var headerFields: HTTPFields
    public var framing: Framing
    /// The client asked for `100 Continue` before sending its body.
    public var expectsContinue: Bool
    /// Whether the connection persists after this exchange (HTTP/1.1 default, HTTP/1.0 only with keep-alive).
    public var keepAlive: Bool
    /// A method name that is a valid token but not one this server implements (answered 501).
    public var isUnknownMethod: Bool
}
