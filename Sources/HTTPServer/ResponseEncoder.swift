import Foundation
import HTTPTypes

/// Turns a handler's response into bytes on the wire: status line, the server's own fields (Date,
/// framing, Connection, compression) and the body, in one buffer so head and body leave in one write.
enum ResponseEncoder {
    struct Prepared {
        var bytes: [UInt8]
        var keepAlive: Bool
    }

    /// Plan for a streamed body: the head to send first and how to frame what follows.
    struct StreamPlan {
        var head: [UInt8]
        var chunked: Bool
        var gzip: Bool
        var keepAlive: Bool
        var sendBody: Bool
    }

    /// A response with its whole body, decided: fields after compression, payload and framing, ready to be
    /// written into any buffer.
    struct Message {
        var response: HTTPServerResponse
        var payload: [UInt8]
        var contentLength: Bool
        var sendBody: Bool
        var keepAlive: Bool
        var minorVersion: Int
    }

    static func message(_ response: consuming HTTPServerResponse, request: RequestHead, keepAlive: Bool, threshold: Int) -> Message {
        let code = response.status.code
        let noBody = code == 204 || code == 304 || code < 200
        var payload = response.bytes
        if !noBody && response.compressible && payload.count > threshold && code != 206 && response.headerFields[.contentEncoding] == nil {
            addVary(&response.headerFields)
            if request.headerFields.acceptsGzip {
                payload = GzipStream.gzip(payload)
                response.headerFields[.contentEncoding] = "gzip"
            }
        }
        return Message(response: response, payload: payload, contentLength: code != 204 && code >= 200,
                       sendBody: !noBody && request.method != .head,
                       keepAlive: keepAlive && code != 400 && code != 413 && code != 408, minorVersion: request.minorVersion)
    }

    /// Writes the message, head and body, into `w` (which overflows when it is too small).
    static func write(_ m: borrowing Message, into w: inout ByteWriter) {
        writeStatusLine(m.response.status, into: &w)
        writeFields(m.response.headerFields, into: &w)
        w.write(m.response.preformattedFields)
        if m.contentLength { writeContentLength(m.payload.count, into: &w) }
        writeConnection(keepAlive: m.keepAlive, minorVersion: m.minorVersion, into: &w)
        w.write(13, 10)
        if m.sendBody { w.write(m.payload) }
    }

    /// The response as one array, head and body, so that they leave in one write.
    static func prepare(_ response: consuming HTTPServerResponse, request: RequestHead, keepAlive: Bool, threshold: Int) -> Prepared {
        let m = message(response, request: request, keepAlive: keepAlive, threshold: threshold)
        return Prepared(bytes: encode(m), keepAlive: m.keepAlive)
    }

    /// The message as one array, head and body.
    static func encode(_ m: borrowing Message) -> [UInt8] {
        let bodyBytes = m.sendBody ? m.payload.count : 0
        let extra = m.response.preformattedFields.count + bodyBytes
        // A guess that fits nearly every head; the exact bound when it does not.
        if let bytes = ByteWriter.array(atMost: 256 + m.response.headerFields.count * 64 + extra, { write(m, into: &$0) }) {
            return bytes
        }
        let bound = headBound(status: m.response.status, fields: m.response.headerFields) + extra
        return ByteWriter.array(atMost: bound, { write(m, into: &$0) }) ?? []
    }

    /// The most bytes a head with these status and fields takes, besides its preformatted lines: status line,
    /// Date, the fields, Content-Length or Transfer-Encoding, Connection and the blank line.
    private static func headBound(status: HTTPResponse.Status, fields: HTTPFields) -> Int {
        var total = 20 + status.reasonPhrase.utf8.count + 37 + 40 + 28 + 26 + 2
        for field in fields { total += field.name.rawName.utf8.count + field.value.utf8.count + 4 }
        return total
    }

    static func planStream(_ response: HTTPServerResponse, length: Int?, request: RequestHead, keepAlive: Bool) -> StreamPlan {
        var fields = response.headerFields
        var gzip = false
        if response.compressible && fields[.contentEncoding] == nil && response.status.code != 206 {
            addVary(&fields)
            if request.headerFields.acceptsGzip {
                gzip = true
                fields[.contentEncoding] = "gzip"
            }
        }
        var keep = keepAlive
        var chunked = false
        if length == nil || gzip {
            if request.minorVersion >= 1 { chunked = true } else { keep = false } // HTTP/1.0 without a length: the end of the connection ends the body.
        }
        let head = ByteWriter.array(atMost: headBound(status: response.status, fields: fields) + response.preformattedFields.count) { w in
            writeStatusLine(response.status, into: &w)
            writeFields(fields, into: &w)
            w.write(response.preformattedFields)
            if let length, !gzip {
                writeContentLength(length, into: &w)
            } else if chunked {
                w.write("Transfer-Encoding: chunked\r\n")
            }
            writeConnection(keepAlive: keep, minorVersion: request.minorVersion, into: &w)
            w.write(13, 10)
        } ?? []
        return StreamPlan(head: head, chunked: chunked, gzip: gzip, keepAlive: keep, sendBody: request.method != .head)
    }

    static func chunk(_ bytes: [UInt8]) -> [UInt8] {
        var out = Array(String(bytes.count, radix: 16).utf8)
        out.reserveCapacity(out.count + bytes.count + 4)
        out.append(13); out.append(10)
        out.append(contentsOf: bytes)
        out.append(13); out.append(10)
        return out
    }

    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    private static func addVary(_ fields: inout HTTPFields) {
        if let vary = fields[.vary] {
            if !vary.lowercased().contains("accept-encoding") { fields[.vary] = vary + ", Accept-Encoding" }
        } else {
            fields[.vary] = "Accept-Encoding"
        }
    }

    /// `HTTP/1.1 <code> <reason>\r\n` then the Date header. The lines of the registered codes are built once.
    private static func writeStatusLine(_ status: HTTPResponse.Status, into w: inout ByteWriter) {
        let code = status.code
        if code >= 100 && code < 600, !statusLines[code - 100].isEmpty, status.reasonPhrase == standardReasons[code - 100] {
            w.write(statusLines[code - 100])
        } else {
            w.write("HTTP/1.1 ")
            w.writeDecimal(code)
            w.write(32)
            w.write(utf8: status.reasonPhrase.isEmpty ? "Unknown" : status.reasonPhrase)
            w.write(13, 10)
        }
        HTTPDate.writeHeader(into: &w)
    }

    /// The reason phrase of each registered code 100–599 ("" for the others).
    private static let standardReasons: [String] = {
        var reasons = [String](repeating: "", count: 500)
        let registered: [HTTPResponse.Status] = [
            .`continue`, .switchingProtocols, .earlyHints, .ok, .created, .accepted, .nonAuthoritativeInformation,
            .noContent, .resetContent, .partialContent, .multipleChoices, .movedPermanently, .found, .seeOther,
            .notModified, .temporaryRedirect, .permanentRedirect, .badRequest, .unauthorized, .forbidden, .notFound,
            .methodNotAllowed, .notAcceptable, .proxyAuthenticationRequired, .requestTimeout, .conflict, .gone,
            .lengthRequired, .preconditionFailed, .contentTooLarge, .uriTooLong, .unsupportedMediaType,
            .rangeNotSatisfiable, .expectationFailed, .misdirectedRequest, .unprocessableContent, .tooEarly,
            .upgradeRequired, .preconditionRequired, .tooManyRequests, .requestHeaderFieldsTooLarge,
            .unavailableForLegalReasons, .internalServerError, .notImplemented, .badGateway, .serviceUnavailable,
            .gatewayTimeout, .httpVersionNotSupported, .networkAuthenticationRequired
        ]
        for status in registered { reasons[status.code - 100] = status.reasonPhrase }
        return reasons
    }()
    private static let statusLines: [[UInt8]] = (100..<600).map { code in
        let reason = standardReasons[code - 100]
        return reason.isEmpty ? [] : Array("HTTP/1.1 \(code) \(reason)\r\n".utf8)
    }

    private static func writeContentLength(_ length: Int, into w: inout ByteWriter) {
        w.write("Content-Length: ")
        w.writeDecimal(length)
        w.write(13, 10)
    }

    private static func writeConnection(keepAlive: Bool, minorVersion: Int, into w: inout ByteWriter) {
        if !keepAlive { w.write("Connection: close\r\n") } else if minorVersion == 0 { w.write("Connection: keep-alive\r\n") }
    }

    /// Writes the handler's fields, dropping any that the server owns. Values need no filtering: `HTTPField`
    /// turns CR, LF and NUL into spaces when it is made, so request data copied into a header can never split
    /// the response.
    private static func writeFields(_ fields: HTTPFields, into w: inout ByteWriter) {
        for field in fields {
            let canonical = field.name.canonicalName
            switch canonical.utf8.count {
            case 4 where canonical == "date", 10 where canonical == "connection", 14 where canonical == "content-length",
                 17 where canonical == "transfer-encoding":
                continue
            default: break
            }
            w.write(utf8: field.name.rawName)
            w.write(58, 32)
            field.withUnsafeBytesOfValue { w.write($0) }
            w.write(13, 10)
        }
    }
}
