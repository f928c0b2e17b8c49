import HTTPTypes

/// What a handler returns: a status, header fields and a body that is either bytes or a stream.
public struct HTTPServerResponse: Sendable {
    public enum Body: Sendable {
        /// The whole body at once. The server adds Content-Length, and gzip when it pays.
        case bytes([UInt8])
        /// A body produced piece by piece (see `stream(length:producer:)`).
        case streamed(Stream)

        /// A body produced piece by piece on a worker thread. `length` (when known and not compressed)
        /// becomes Content-Length; otherwise the body is sent chunked. The producer's writes block while
        /// the client is slow (back-pressure) and throw once the connection is gone.
        public static func stream(length: Int?, producer: @escaping @Sendable (any HTTPBodyWriter) throws -> Void) -> Body {
            .streamed(Stream(length: length, producer: producer))
        }
    }

    /// A streamed body's length (when known) and producer. A class, so that a response, which every handler
    /// returns and the server passes along, copies as one reference whichever body it has.
    public final class Stream: Sendable {
        public let length: Int?
        public let producer: @Sendable (any HTTPBodyWriter) throws -> Void

        init(length: Int?, producer: @escaping @Sendable (any HTTPBodyWriter) throws -> Void) {
            self.length = length
            self.producer = producer
        }
    }

    public var status: HTTPResponse.Status
    public var headerFields: HTTPFields
    /// The body: bytes, or a stream.
    public var body: Body {
        get { stream.map { .streamed($0) } ?? .bytes(bytes) }
        set {
            switch newValue {
            case .bytes(let b): bytes = b; stream = nil
            case .streamed(let s): bytes = []; stream = s
            }
        }
    }
    /// The body's bytes (empty for a stream). Kept apart from `stream` rather than as a `Body`: a struct of plain
    /// references is copied and destroyed inline, where an enum of two payloads inside made the compiler copy
    /// and destroy every response through its runtime type layout.
    public private(set) var bytes: [UInt8] = []
    /// The streamed body, if any.
    public private(set) var stream: Stream?
    /// False for bodies that must not be gzip-compressed (already compressed, or byte ranges).
    public var compressible: Bool = true
    /// Header lines already formatted, written after `headerFields` (see `HeaderLines`).
    public var preformattedFields = HeaderLines()

    public init(status: HTTPResponse.Status, headerFields: HTTPFields = HTTPFields(), body: Body = .bytes([])) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
    }

    /// Convenience for a byte body with a content type.
    public init(status: HTTPResponse.Status, contentType: String, bytes: [UInt8]) {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        self.init(status: status, headerFields: fields, body: .bytes(bytes))
    }

    /// A small RFC 9457 problem document, used by the server for protocol-level errors.
    public static func problem(status: HTTPResponse.Status, detail: String) -> HTTPServerResponse {
        let body = "{\"type\":\"about:blank\",\"title\":\"\(JSONText.escape(status.reasonPhrase))\",\"status\":\(status.code),\"detail\":\"\(JSONText.escape(detail))\"}"
        return HTTPServerResponse(status: status, contentType: "application/problem+json", bytes: Array(body.utf8))
    }
}

/// Receives the pieces of a streamed body.
public protocol HTTPBodyWriter: Sendable {
    /// Sends bytes; blocks while the client is behind; throws when the connection has gone away.
    func write(_ bytes: [UInt8]) throws
    /// True once the client has gone away, so a producer can stop early.
    var isClosed: Bool { get }
}

/// JSON string escaping for the few documents the server builds by hand.
public enum JSONText {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
