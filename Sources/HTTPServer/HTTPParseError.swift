import HTTPTypes

/// A request the server refuses before any handler sees it. The connection is closed after the answer.
public struct HTTPParseError: Error, Equatable, Sendable {
    public var status: HTTPResponse.Status
    public var detail: String

    public init(_ status: HTTPResponse.Status, _ detail: String) {
        self.status = status
        self.detail = detail
    }
}
