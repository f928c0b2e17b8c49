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
        var out = statusLine(response.status)
        out.reserveCapacity(256 + payload.count)
        appendFields(fields, to: &out)
        if response.status.code != 204 && !(response.status.code < 200) {
            append("Content-Length: \(payload.count)\r\n", to: &out)
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
        var out = statusLine(response.status)
        appendFields(fields, to: &out)
        if let length, !gzip {
            append("Content-Length: \(length)\r\n", to: &out)
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

    private static func statusLine(_ status: HTTPResponse.Status) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        append("HTTP/1.1 \(status.code) \(status.reasonPhrase.isEmpty ? "Unknown" : status.reasonPhrase)\r\n", to: &out)
        append("Date: \(HTTPDate.now())\r\n", to: &out)
        return out
    }

    private static func appendConnection(keepAlive: Bool, minorVersion: Int, to out: inout [UInt8]) {
        if !keepAlive { append("Connection: close\r\n", to: &out) } else if minorVersion == 0 { append("Connection: keep-alive\r\n", to: &out) }
    }

    /// Writes the handler's fields, dropping any that the server owns and any CR, LF or NUL
    /// (so request data copied into a header can never split the response).
    private static func appendFields(_ fields: HTTPFields, to out: inout [UInt8]) {
        for field in fields {
            switch field.name {
            case .contentLength, .transferEncoding, .connection, .date: continue
            default: break
            }
            out.append(contentsOf: field.name.rawName.utf8)
            out.append(UInt8(ascii: ":")); out.append(UInt8(ascii: " "))
            for b in field.value.utf8 where b != 13 && b != 10 && b != 0 { out.append(b) }
            out.append(13); out.append(10)
        }
    }

    @inline(__always)
    private static func append(_ s: String, to out: inout [UInt8]) { out.append(contentsOf: s.utf8) }
}

/// The IMF-fixdate for the Date header, formatted at most once a second.
enum HTTPDate {
    private static let cache = DateCache()

    static func now() -> String { cache.current() }

    final class DateCache: @unchecked Sendable {
        private let lock = NSLock()
        private var second = -1
        private var text = ""

        func current() -> String {
            let t = Int(Date().timeIntervalSince1970)
            lock.lock(); defer { lock.unlock() }
            if t != second {
                second = t
                text = HTTPDate.format(t)
            }
            return text
        }
    }

    static func format(_ epochSeconds: Int) -> String {
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let dayCount = epochSeconds / 86400
        let secs = epochSeconds % 86400
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = dayCount + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[dayCount % 7]), \(two(d)) \(months[m - 1]) \(y) \(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60)) GMT"
    }
}
