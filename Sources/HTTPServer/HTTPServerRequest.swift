import HTTPTypes

/// A fully received, validated HTTP/1.x request.
public struct HTTPServerRequest: Sendable {
    public var method: HTTPRequest.Method
    /// The request target as sent (origin-form or absolute-form).
    public var target: String
    /// The path without the query, percent-decoded once.
    public var path: String
    /// The raw query string after `?`, if any.
    public var query: String?
    /// HTTP minor version: 0 or 1.
    public var minorVersion: Int
    public var headerFields: HTTPFields
    public var body: [UInt8]

    public init(method: HTTPRequest.Method, target: String, path: String, query: String?, minorVersion: Int = 1,
                headerFields: HTTPFields = HTTPFields(), body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.minorVersion = minorVersion
        self.headerFields = headerFields
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
