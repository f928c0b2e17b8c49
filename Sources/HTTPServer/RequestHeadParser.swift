import HTTPTypes

/// Strict HTTP/1.1 request-head parsing (RFC 9112), written to refuse every ambiguity that enables
/// request smuggling rather than to guess: bare CR or LF, NUL and other control characters, obs-fold,
/// whitespace before the colon, duplicate or malformed Content-Length, Content-Length with
/// Transfer-Encoding, any Transfer-Encoding other than a single final `chunked`, missing or repeated Host.
public struct RequestHeadParser: Sendable {
    public enum Result: Sendable {
        case incomplete
        case complete(RequestHead, consumed: Int)
        case failure(HTTPParseError)
    }

    public var maxRequestLineBytes: Int
    public var maxHeaderBytes: Int
    public var maxHeaderCount: Int
    public var maxBodyBytes: Int

    public init(maxRequestLineBytes: Int = 8192, maxHeaderBytes: Int = 16384, maxHeaderCount: Int = 100, maxBodyBytes: Int = 1 << 25) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }

    public init(configuration c: HTTPServerConfiguration) {
        self.init(maxRequestLineBytes: c.maxRequestLineBytes, maxHeaderBytes: c.maxHeaderBytes,
                  maxHeaderCount: c.maxHeaderCount, maxBodyBytes: c.maxBodyBytes)
    }

    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "QUERY"]

    /// Parses a head from the start of `bytes`. Never waits for more input once the bytes seen are already invalid.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
        let cr: UInt8 = 13, lf: UInt8 = 10
        var lines: [Range<Int>] = []
        var lineStart = 0
        var i = 0
        // Up to a few empty lines before the request line are ignored (RFC 9112 §2.2).
        var skipped = 0
        while i + 1 < bytes.count && bytes[i] == cr && bytes[i + 1] == lf && skipped < 4 { i += 2; skipped += 1 }
        lineStart = i
        let headLimit = skipped * 2 + maxRequestLineBytes + 2 + maxHeaderBytes + 2
        while i < bytes.count {
            let b = bytes[i]
            if b == lf {
                return .failure(HTTPParseError(.badRequest, "bare LF: lines must end with CRLF"))
            } else if b == cr {
                guard i + 1 < bytes.count else { break }
                guard bytes[i + 1] == lf else { return .failure(HTTPParseError(.badRequest, "bare CR in the request head")) }
                if i == lineStart && !lines.isEmpty {
                    return finish(bytes, lines: lines, consumed: i + 2)
                }
                if lines.isEmpty && i - lineStart > maxRequestLineBytes {
                    return .failure(HTTPParseError(.uriTooLong, "request line longer than \(maxRequestLineBytes) bytes"))
                }
                lines.append(lineStart..<i)
                if lines.count > maxHeaderCount + 1 {
                    return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "more than \(maxHeaderCount) header fields"))
                }
                i += 2
                lineStart = i
                continue
            } else if b == 0 {
                return .failure(HTTPParseError(.badRequest, "NUL byte in the request head"))
            }
            i += 1
            if lines.isEmpty && i - lineStart > maxRequestLineBytes {
                return .failure(HTTPParseError(.uriTooLong, "request line longer than \(maxRequestLineBytes) bytes"))
            }
            if i > headLimit {
                return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "header section larger than \(maxHeaderBytes) bytes"))
            }
        }
        if bytes.count > headLimit {
            return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "header section larger than \(maxHeaderBytes) bytes"))
        }
        return .incomplete
    }

    private func finish(_ bytes: UnsafeBufferPointer<UInt8>, lines: [Range<Int>], consumed: Int) -> Result {
        // Request line: method SP request-target SP HTTP-version, single spaces only.
        let line = bytes[lines[0]]
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            return .failure(HTTPParseError(.badRequest, "malformed request line"))
        }
        guard parts[0].allSatisfy(Self.isTokenChar) else { return .failure(HTTPParseError(.badRequest, "invalid method")) }
        let methodName = String(decoding: parts[0], as: UTF8.self)
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(HTTPParseError(.badRequest, "invalid character in the request target"))
        }
        let version = Array(parts[2])
        let prefix = Array("HTTP/".utf8)
        guard version.count == 8, Array(version[0..<5]) == prefix, Self.isDigit(version[5]), version[6] == UInt8(ascii: "."), Self.isDigit(version[7]) else {
            return .failure(HTTPParseError(.badRequest, "malformed HTTP version"))
        }
        guard version[5] == UInt8(ascii: "1"), version[7] == UInt8(ascii: "0") || version[7] == UInt8(ascii: "1") else {
            return .failure(HTTPParseError(.httpVersionNotSupported, "only HTTP/1.0 and HTTP/1.1 are supported"))
        }
        let minor = Int(version[7] - UInt8(ascii: "0"))

        // Header fields.
        var fields = HTTPFields()
        fields.reserveCapacity(lines.count - 1)
        var headerBytes = 0
        for range in lines.dropFirst() {
            let l = bytes[range]
            headerBytes += l.count + 2
            if headerBytes > maxHeaderBytes {
                return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "header section larger than \(maxHeaderBytes) bytes"))
            }
            guard let first = l.first else { continue }
            if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                return .failure(HTTPParseError(.badRequest, "obsolete line folding is not accepted"))
            }
            guard let colon = l.firstIndex(of: UInt8(ascii: ":")) else {
                return .failure(HTTPParseError(.badRequest, "header line without a colon"))
            }
            let name = bytes[range.lowerBound..<colon]
            if let last = name.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
                return .failure(HTTPParseError(.badRequest, "whitespace between a field name and its colon"))
            }
            guard !name.isEmpty, name.allSatisfy(Self.isTokenChar) else {
                return .failure(HTTPParseError(.badRequest, "invalid header field name"))
            }
            var vs = colon + 1, ve = range.upperBound
            while vs < ve && (bytes[vs] == 32 || bytes[vs] == 9) { vs += 1 }
            while ve > vs && (bytes[ve - 1] == 32 || bytes[ve - 1] == 9) { ve -= 1 }
            for j in vs..<ve {
                let c = bytes[j]
                if (c < 0x20 && c != 9) || c == 0x7F {
                    return .failure(HTTPParseError(.badRequest, "control character in a header field value"))
                }
            }
            guard let fieldName = HTTPField.Name(String(decoding: name, as: UTF8.self)) else {
                return .failure(HTTPParseError(.badRequest, "invalid header field name"))
            }
            fields.append(HTTPField(name: fieldName, value: String(decoding: bytes[vs..<ve], as: UTF8.self)))
        }
        if fields.count > maxHeaderCount {
            return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "more than \(maxHeaderCount) header fields"))
        }
        return semantics(methodName: methodName, target: String(decoding: parts[1], as: UTF8.self), minor: minor, fields: fields, consumed: consumed)
    }

    private func semantics(methodName: String, target: String, minor: Int, fields: HTTPFields, consumed: Int) -> Result {
        // Host: exactly one in HTTP/1.1 (RFC 9112 §3.2), at most one in HTTP/1.0.
        let hosts = fields[fields: Self.hostName].count
        if minor == 1 && hosts != 1 {
            return .failure(HTTPParseError(.badRequest, hosts == 0 ? "missing Host header" : "more than one Host header"))
        }
        if minor == 0 && hosts > 1 { return .failure(HTTPParseError(.badRequest, "more than one Host header")) }

        // Framing.
        let lengths = fields[fields: .contentLength]
        let encodings = fields[fields: .transferEncoding]
        var framing = RequestHead.Framing.none
        if !encodings.isEmpty {
            if !lengths.isEmpty { return .failure(HTTPParseError(.badRequest, "Content-Length together with Transfer-Encoding")) }
            if minor == 0 { return .failure(HTTPParseError(.badRequest, "Transfer-Encoding in an HTTP/1.0 request")) }
            let codings = encodings.flatMap { $0.value.split(separator: ",", omittingEmptySubsequences: false) }
                .map { $0.trimmingWhitespace().lowercased() }
            guard codings.last == "chunked", codings.filter({ $0 == "chunked" }).count == 1, !codings.contains("") else {
                return .failure(HTTPParseError(.badRequest, "Transfer-Encoding must end with a single chunked coding"))
            }
            if codings.count > 1 { return .failure(HTTPParseError(.notImplemented, "transfer codings other than chunked are not supported")) }
            framing = .chunked
        } else if !lengths.isEmpty {
            if lengths.count > 1 { return .failure(HTTPParseError(.badRequest, "more than one Content-Length header")) }
            let v = lengths[0].value
            guard !v.isEmpty, v.utf8.allSatisfy(Self.isDigit) else {
                return .failure(HTTPParseError(.badRequest, "Content-Length must be a plain decimal number"))
            }
            let digits = v.drop { $0 == "0" }
            guard digits.count <= 18, let n = Int(digits.isEmpty ? "0" : String(digits)) else {
                return .failure(HTTPParseError(.badRequest, "Content-Length is too large to represent"))
            }
            if n > maxBodyBytes { return .failure(HTTPParseError(.contentTooLarge, "request body larger than \(maxBodyBytes) bytes")) }
            framing = n > 0 ? .contentLength(n) : .none
        }

        // Expect.
        var expectsContinue = false
        for e in fields[fields: .expect] {
            if e.value.lowercased() == "100-continue" { expectsContinue = true } else {
                return .failure(HTTPParseError(.expectationFailed, "only the 100-continue expectation is supported"))
            }
        }

        // Connection: a case-insensitive token list.
        let tokens = fields[fields: .connection].flatMap { $0.value.split(separator: ",") }.map { $0.trimmingWhitespace().lowercased() }
        let keepAlive = tokens.contains("close") ? false : (minor == 1 || tokens.contains("keep-alive"))

        // Target: origin-form, absolute-form (the path is taken), or `*` for OPTIONS.
        var pathAndQuery = Substring(target)
        if target.hasPrefix("/") {
        } else if target == "*" {
            guard methodName == "OPTIONS" else { return .failure(HTTPParseError(.badRequest, "asterisk-form target is only for OPTIONS")) }
        } else if let scheme = target.range(of: "://"), ["http", "https"].contains(target[..<scheme.lowerBound].lowercased()) {
            let rest = target[scheme.upperBound...]
            pathAndQuery = rest.firstIndex(where: { $0 == "/" || $0 == "?" }).map { rest[$0...] } ?? "/"
            if pathAndQuery.hasPrefix("?") { pathAndQuery = "/" + pathAndQuery }
        } else {
            return .failure(HTTPParseError(.badRequest, "unsupported request-target form"))
        }
        let queryStart = pathAndQuery.firstIndex(of: "?")
        let rawPath = queryStart.map { String(pathAndQuery[..<$0]) } ?? String(pathAndQuery)
        let query = queryStart.map { String(pathAndQuery[pathAndQuery.index(after: $0)...]) }
        guard let path = PercentDecoding.decode(rawPath) else {
            return .failure(HTTPParseError(.badRequest, "malformed percent-encoding in the path"))
        }

        let known = Self.knownMethods.contains(methodName)
        guard let method = HTTPRequest.Method(methodName) else { return .failure(HTTPParseError(.badRequest, "invalid method")) }
        let head = RequestHead(method: method, target: target, path: path, query: query, minorVersion: minor,
                               headerFields: fields, framing: framing, expectsContinue: expectsContinue,
                               keepAlive: keepAlive, isUnknownMethod: !known)
        return .complete(head, consumed: consumed)
    }

    static let hostName = HTTPField.Name("Host")!

    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// tchar from RFC 9110 §5.6.2.
    static func isTokenChar(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): return true
        default: return false
        }
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
