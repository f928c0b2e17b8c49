import HTTPTypes

/// A fully received, validated HTTP/1.x request: the parsed head (shared, never copied) and the body.
public struct HTTPServerRequest: Sendable {
    /// The request line and header fields as parsed.
    public let head: RequestHead
    public var body: [UInt8]

    public var method: HTTPRequest.Method { head.method }
    /// The request target as sent (origin-form or absolute-form).
    public var target: String { head.target }
    /// The path without the query, percent-decoded once.
    public var path: String { head.path }
    /// The raw query string after `?`, if any.
    public var query: String? { head.query }
    /// HTTP minor version: 0 or 1.
    public var minorVersion: Int { head.minorVersion }
    /// The header fields as received.
    public var headerFields: RequestFields { head.headerFields }

    init(head: RequestHead, body: [UInt8]) {
        self.head = head
        self.body = body
    }

    /// A request built by hand (tests, internal calls): no framing, kept alive.
    public init(method: HTTPRequest.Method, target: String, path: String, query: String?, minorVersion: Int = 1,
                headerFields: HTTPFields = HTTPFields(), body: [UInt8] = []) {
        self.head = RequestHead(method: method, target: target, path: path, query: query, minorVersion: minorVersion,
                                headerFields: RequestFields(headerFields), framing: .none, expectsContinue: false,
                                keepAlive: true, isUnknownMethod: false)
        self.body = body
    }

    /// Query parameters in order, `+` read as space and each name and value percent-decoded.
    /// A malformed escape keeps its raw text.
    public var queryItems: [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentDecoding.decodeQueryComponent(String(parts[0])) ?? String(parts[0])
            let raw = parts.count > 1 ? String(parts[1]) : ""
            return (name, PercentDecoding.decodeQueryComponent(raw) ?? raw)
        }
    }

    /// The first value of a query parameter.
    public func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }
}
