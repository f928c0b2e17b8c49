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

    static func prepare(_ response: HTTPServerResponse, body: [UInt8], request: RequestHead, keepAlive: Bool, threshold: Int) -> Prepared {
        var fields = response.headerFields
        var payload = body
        let noBody = response.status.code == 204 || response.status.code == 304 || response.status.code < 200
        if !noBody && response.compressible && payload.count > threshold && fields[.contentEncoding] == nil && response.status.code != 206 {
            addVary(&fields)
            if acceptsGzip(request.headerFields) {
                payload = GzipStream.gzip(payload)
                fields[.contentEncoding] = "gzip"
            }
        }
        var keep = keepAlive
        if response.status.code == 400 || response.status.code == 413 || response.status.code == 408 { keep = false }
        var out: [UInt8] = []
        out.reserveCapacity(160 + fields.count * 48 + response.preformattedFields.count + payload.count)
        appendStatusLine(response.status, to: &out)
        appendFields(fields, to: &out)
        out.append(contentsOf: response.preformattedFields)
        if response.status.code != 204 && !(response.status.code < 200) {
            appendContentLength(payload.count, to: &out)
        }
        appendConnection(keepAlive: keep, minorVersion: request.minorVersion, to: &out)
        out.append(13); out.append(10)
        if !noBody && request.method != .head { out.append(contentsOf: payload) }
        return Prepared(bytes: out, keepAlive: keep)
    }

    static func planStream(_ response: HTTPServerResponse, length: Int?, request: RequestHead, keepAlive: Bool) -> StreamPlan {
        var fields = response.headerFields
        var gzip = false
        if response.compressible && fields[.contentEncoding] == nil && response.status.code != 206 {
            addVary(&fields)
            if acceptsGzip(request.headerFields) {
                gzip = true
                fields[.contentEncoding] = "gzip"
            }
        }
        var keep = keepAlive
        var chunked = false
        var out: [UInt8] = []
        out.reserveCapacity(160 + fields.count * 48)
        appendStatusLine(response.status, to: &out)
        appendFields(fields, to: &out)
        out.append(contentsOf: response.preformattedFields)
        if let length, !gzip {
            appendContentLength(length, to: &out)
        } else if request.minorVersion >= 1 {
            chunked = true
            append("Transfer-Encoding: chunked\r\n", to: &out)
        } else {
            keep = false // HTTP/1.0 without a length: the end of the connection ends the body.
        }
        appendConnection(keepAlive: keep, minorVersion: request.minorVersion, to: &out)
        out.append(13); out.append(10)
        return StreamPlan(head: out, chunked: chunked, gzip: gzip, keepAlive: keep, sendBody: request.method != .head)
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

    /// `Accept-Encoding` allows gzip: listed (or `*`) with a q-value above zero.
    static func acceptsGzip(_ fields: HTTPFields) -> Bool {
        guard let header = fields[.acceptEncoding] else { return false }
        var gzipQ: Double?
        var starQ: Double?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            let coding = parts[0].trimmingWhitespace().lowercased()
            var q = 1.0
            for p in parts.dropFirst() {
                let kv = p.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0].trimmingWhitespace().lowercased() == "q" { q = Double(kv[1].trimmingWhitespace()) ?? 0 }
            }
            if coding == "gzip" || coding == "x-gzip" { gzipQ = q } else if coding == "*" { starQ = q }
        }
        if let gzipQ { return gzipQ > 0 }
        if let starQ { return starQ > 0 }
        return false
    }

    private static func addVary(_ fields: inout HTTPFields) {
        if let vary = fields[.vary] {
            if !vary.lowercased().contains("accept-encoding") { fields[.vary] = vary + ", Accept-Encoding" }
        } else {
            fields[.vary] = "Accept-Encoding"
        }
    }

    /// `HTTP/1.1 <code> <reason>\r\n` then the Date header. The lines of the registered codes are built once.
    private static func appendStatusLine(_ status: HTTPResponse.Status, to out: inout [UInt8]) {
        let code = status.code
        if code >= 100 && code < 600, !statusLines[code - 100].isEmpty, status.reasonPhrase == standardReasons[code - 100] {
            out.append(contentsOf: statusLines[code - 100])
        } else {
            append("HTTP/1.1 \(code) \(status.reasonPhrase.isEmpty ? "Unknown" : status.reasonPhrase)\r\n", to: &out)
        }
        HTTPDate.appendHeader(to: &out)
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

    private static func appendContentLength(_ length: Int, to out: inout [UInt8]) {
        out.append(contentsOf: contentLengthPrefix)
        ByteText.appendDecimal(length, to: &out)
        out.append(13); out.append(10)
    }

    private static let contentLengthPrefix = Array("Content-Length: ".utf8)

    private static func appendConnection(keepAlive: Bool, minorVersion: Int, to out: inout [UInt8]) {
        if !keepAlive { out.append(contentsOf: connectionClose) } else if minorVersion == 0 { out.append(contentsOf: connectionKeepAlive) }
    }

    private static let connectionClose = Array("Connection: close\r\n".utf8)
    private static let connectionKeepAlive = Array("Connection: keep-alive\r\n".utf8)

    /// Writes the handler's fields, dropping any that the server owns. Values need no filtering: `HTTPField`
    /// turns CR, LF and NUL into spaces when it is made, so request data copied into a header can never split
    /// the response.
    private static func appendFields(_ fields: HTTPFields, to out: inout [UInt8]) {
        for field in fields {
            let canonical = field.name.canonicalName
            switch canonical.utf8.count {
            case 4 where canonical == "date", 10 where canonical == "connection", 14 where canonical == "content-length",
                 17 where canonical == "transfer-encoding":
                continue
            default: break
            }
            out.append(contentsOf: field.name.rawName.utf8)
            out.append(UInt8(ascii: ":")); out.append(UInt8(ascii: " "))
            field.withUnsafeBytesOfValue { out.append(contentsOf: $0) }
            out.append(13); out.append(10)
        }
    }

    @inline(__always)
    private static func append(_ s: String, to out: inout [UInt8]) { out.append(contentsOf: s.utf8) }
}
