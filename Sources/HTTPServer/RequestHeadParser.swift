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
    ///
    /// Two passes: the first finds the end of the head while refusing bare CR or LF, NUL and oversized lines;
    /// the second reads the request line and the fields straight from the bytes (common field names map to
    /// prebuilt names, framing and connection fields are read as bytes), so a small request costs a few
    /// small strings and one array of fields.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
        let cr: UInt8 = 13, lf: UInt8 = 10
        var i = 0
        // Up to a few empty lines before the request line are ignored (RFC 9112 §2.2).
        var skipped = 0
        while i + 1 < bytes.count && bytes[i] == cr && bytes[i + 1] == lf && skipped < 4 { i += 2; skipped += 1 }
        let requestLineStart = i
        var requestLineEnd = -1
        var lineStart = i
        var lineCount = 0
        let headLimit = skipped * 2 + maxRequestLineBytes + 2 + maxHeaderBytes + 2
        while i < bytes.count {
            let b = bytes[i]
            if b > cr {
                i += 1
            } else if b == lf {
                return .failure(HTTPParseError(.badRequest, "bare LF: lines must end with CRLF"))
            } else if b == cr {
                guard i + 1 < bytes.count else { break }
                guard bytes[i + 1] == lf else { return .failure(HTTPParseError(.badRequest, "bare CR in the request head")) }
                if i == lineStart && lineCount > 0 {
                    return finish(bytes, requestLine: requestLineStart..<requestLineEnd, fields: (requestLineEnd + 2)..<i, lineCount: lineCount, consumed: i + 2)
                }
                if lineCount == 0 {
                    if i - lineStart > maxRequestLineBytes {
                        return .failure(HTTPParseError(.uriTooLong, "request line longer than \(maxRequestLineBytes) bytes"))
                    }
                    requestLineEnd = i
                }
                lineCount += 1
                if lineCount > maxHeaderCount + 1 {
                    return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "more than \(maxHeaderCount) header fields"))
                }
                i += 2
                lineStart = i
                continue
            } else if b == 0 {
                return .failure(HTTPParseError(.badRequest, "NUL byte in the request head"))
            } else {
                i += 1
            }
            if lineCount == 0 && i - lineStart > maxRequestLineBytes {
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

    /// What the framing and connection rules need from the fields, gathered while they are read.
    private struct Semantics {
        var hosts = 0
        var contentLengths: [Range<Int>] = []
        var transferEncodings: [String] = []
        var expectations: [Range<Int>] = []
        var connections: [Range<Int>] = []
    }

    private func finish(_ bytes: UnsafeBufferPointer<UInt8>, requestLine: Range<Int>, fields fieldBytes: Range<Int>, lineCount: Int, consumed: Int) -> Result {
        // Request line: method SP request-target SP HTTP-version, single spaces only.
        let space = UInt8(ascii: " ")
        var s1 = requestLine.lowerBound
        while s1 < requestLine.upperBound && bytes[s1] != space { s1 += 1 }
        var s2 = s1 + 1
        while s2 < requestLine.upperBound && bytes[s2] != space { s2 += 1 }
        var extra = s2 + 1
        while extra < requestLine.upperBound && bytes[extra] != space { extra += 1 }
        guard s2 < requestLine.upperBound, extra >= requestLine.upperBound, s1 > requestLine.lowerBound, s2 > s1 + 1 else {
            return .failure(HTTPParseError(.badRequest, "malformed request line"))
        }
        let methodBytes = UnsafeBufferPointer(rebasing: bytes[requestLine.lowerBound..<s1])
        guard methodBytes.allSatisfy(Self.isTokenChar) else { return .failure(HTTPParseError(.badRequest, "invalid method")) }
        let targetBytes = UnsafeBufferPointer(rebasing: bytes[(s1 + 1)..<s2])
        guard targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(HTTPParseError(.badRequest, "invalid character in the request target"))
        }
        let v = UnsafeBufferPointer(rebasing: bytes[(s2 + 1)..<requestLine.upperBound])
        guard v.count == 8, v[0] == 72, v[1] == 84, v[2] == 84, v[3] == 80, v[4] == 47, // "HTTP/"
              Self.isDigit(v[5]), v[6] == UInt8(ascii: "."), Self.isDigit(v[7]) else {
            return .failure(HTTPParseError(.badRequest, "malformed HTTP version"))
        }
        guard v[5] == UInt8(ascii: "1"), v[7] == UInt8(ascii: "0") || v[7] == UInt8(ascii: "1") else {
            return .failure(HTTPParseError(.httpVersionNotSupported, "only HTTP/1.0 and HTTP/1.1 are supported"))
        }
        let minor = Int(v[7] - UInt8(ascii: "0"))

        // Header fields, one per line.
        var list: [HTTPField] = []
        list.reserveCapacity(lineCount - 1)
        var semantics = Semantics()
        var headerBytes = 0
        var lineStart = fieldBytes.lowerBound
        while lineStart < fieldBytes.upperBound {
            var lineEnd = lineStart
            while bytes[lineEnd] != 13 { lineEnd += 1 } // the first pass saw every line end with CRLF
            defer { lineStart = lineEnd + 2 }
            headerBytes += lineEnd - lineStart + 2
            if headerBytes > maxHeaderBytes {
                return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "header section larger than \(maxHeaderBytes) bytes"))
            }
            if lineEnd == lineStart { continue }
            let first = bytes[lineStart]
            if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                return .failure(HTTPParseError(.badRequest, "obsolete line folding is not accepted"))
            }
            var colon = lineStart
            while colon < lineEnd && bytes[colon] != UInt8(ascii: ":") { colon += 1 }
            guard colon < lineEnd else { return .failure(HTTPParseError(.badRequest, "header line without a colon")) }
            let name = UnsafeBufferPointer(rebasing: bytes[lineStart..<colon])
            if let last = name.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
                return .failure(HTTPParseError(.badRequest, "whitespace between a field name and its colon"))
            }
            guard !name.isEmpty, name.allSatisfy(Self.isTokenChar) else {
                return .failure(HTTPParseError(.badRequest, "invalid header field name"))
            }
            var vs = colon + 1, ve = lineEnd
            while vs < ve && (bytes[vs] == 32 || bytes[vs] == 9) { vs += 1 }
            while ve > vs && (bytes[ve - 1] == 32 || bytes[ve - 1] == 9) { ve -= 1 }
            for j in vs..<ve {
                let c = bytes[j]
                if (c < 0x20 && c != 9) || c == 0x7F {
                    return .failure(HTTPParseError(.badRequest, "control character in a header field value"))
                }
            }
            let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[vs..<ve]), as: UTF8.self)
            let fieldName: HTTPField.Name
            if let known = KnownField.match(name) {
                fieldName = known.name
                switch known.role {
                case .host: semantics.hosts += 1
                case .contentLength: semantics.contentLengths.append(vs..<ve)
                case .transferEncoding: semantics.transferEncodings.append(value)
                case .expect: semantics.expectations.append(vs..<ve)
                case .connection: semantics.connections.append(vs..<ve)
                case .other: break
                }
            } else {
                guard let n = HTTPField.Name(String(decoding: name, as: UTF8.self)) else {
                    return .failure(HTTPParseError(.badRequest, "invalid header field name"))
                }
                fieldName = n
            }
            list.append(HTTPField(name: fieldName, value: value))
        }
        if list.count > maxHeaderCount {
            return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "more than \(maxHeaderCount) header fields"))
        }
        var fields = HTTPFields()
        fields.reserveCapacity(list.count)
        fields.append(contentsOf: list)
        return resolve(bytes, method: methodBytes, target: targetBytes, minor: minor, fields: fields, semantics: semantics, consumed: consumed)
    }

    private func resolve(_ bytes: UnsafeBufferPointer<UInt8>, method methodBytes: UnsafeBufferPointer<UInt8>, target targetBytes: UnsafeBufferPointer<UInt8>,
                         minor: Int, fields: HTTPFields, semantics: Semantics, consumed: Int) -> Result {
        // Host: exactly one in HTTP/1.1 (RFC 9112 §3.2), at most one in HTTP/1.0.
        let hosts = semantics.hosts
        if minor == 1 && hosts != 1 {
            return .failure(HTTPParseError(.badRequest, hosts == 0 ? "missing Host header" : "more than one Host header"))
        }
        if minor == 0 && hosts > 1 { return .failure(HTTPParseError(.badRequest, "more than one Host header")) }

        // Framing.
        var framing = RequestHead.Framing.none
        if !semantics.transferEncodings.isEmpty {
            if !semantics.contentLengths.isEmpty { return .failure(HTTPParseError(.badRequest, "Content-Length together with Transfer-Encoding")) }
            if minor == 0 { return .failure(HTTPParseError(.badRequest, "Transfer-Encoding in an HTTP/1.0 request")) }
            let codings = semantics.transferEncodings.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
                .map { $0.trimmingWhitespace().lowercased() }
            guard codings.last == "chunked", codings.filter({ $0 == "chunked" }).count == 1, !codings.contains("") else {
                return .failure(HTTPParseError(.badRequest, "Transfer-Encoding must end with a single chunked coding"))
            }
            if codings.count > 1 { return .failure(HTTPParseError(.notImplemented, "transfer codings other than chunked are not supported")) }
            framing = .chunked
        } else if let length = semantics.contentLengths.first {
            if semantics.contentLengths.count > 1 { return .failure(HTTPParseError(.badRequest, "more than one Content-Length header")) }
            let digits = UnsafeBufferPointer(rebasing: bytes[length])
            guard !digits.isEmpty, digits.allSatisfy(Self.isDigit) else {
                return .failure(HTTPParseError(.badRequest, "Content-Length must be a plain decimal number"))
            }
            let significant = digits.drop { $0 == UInt8(ascii: "0") }
            guard significant.count <= 18 else { return .failure(HTTPParseError(.badRequest, "Content-Length is too large to represent")) }
            let n = significant.reduce(0) { $0 * 10 + Int($1 - 48) }
            if n > maxBodyBytes { return .failure(HTTPParseError(.contentTooLarge, "request body larger than \(maxBodyBytes) bytes")) }
            framing = n > 0 ? .contentLength(n) : .none
        }

        // Expect.
        var expectsContinue = false
        for e in semantics.expectations {
            if Self.equalsIgnoringCase(UnsafeBufferPointer(rebasing: bytes[e]), "100-continue") { expectsContinue = true } else {
                return .failure(HTTPParseError(.expectationFailed, "only the 100-continue expectation is supported"))
            }
        }

        // Connection: a case-insensitive token list.
        var close = false, keepAliveToken = false
        for c in semantics.connections {
            var start = c.lowerBound
            while start <= c.upperBound {
                var end = start
                while end < c.upperBound && bytes[end] != UInt8(ascii: ",") { end += 1 }
                var ts = start, te = end
                while ts < te && (bytes[ts] == 32 || bytes[ts] == 9) { ts += 1 }
                while te > ts && (bytes[te - 1] == 32 || bytes[te - 1] == 9) { te -= 1 }
                let token = UnsafeBufferPointer(rebasing: bytes[ts..<te])
                if Self.equalsIgnoringCase(token, "close") { close = true }
                if Self.equalsIgnoringCase(token, "keep-alive") { keepAliveToken = true }
                start = end + 1
            }
        }
        let keepAlive = close ? false : (minor == 1 || keepAliveToken)

        // Target: origin-form (the common case, read from the bytes), absolute-form (the path is taken), or `*` for OPTIONS.
        let method = Self.method(methodBytes)
        let target = String(decoding: targetBytes, as: UTF8.self)
        let rawPath: String
        let query: String?
        if targetBytes[0] == UInt8(ascii: "/") {
            if let q = targetBytes.firstIndex(of: UInt8(ascii: "?")) {
                rawPath = String(decoding: UnsafeBufferPointer(rebasing: targetBytes[..<q]), as: UTF8.self)
                query = String(decoding: UnsafeBufferPointer(rebasing: targetBytes[(q + 1)...]), as: UTF8.self)
            } else {
                rawPath = target
                query = nil
            }
        } else {
            var pathAndQuery = Substring(target)
            if target == "*" {
                guard method.name == "OPTIONS" else { return .failure(HTTPParseError(.badRequest, "asterisk-form target is only for OPTIONS")) }
            } else if let scheme = target.range(of: "://"), ["http", "https"].contains(target[..<scheme.lowerBound].lowercased()) {
                let rest = target[scheme.upperBound...]
                pathAndQuery = rest.firstIndex(where: { $0 == "/" || $0 == "?" }).map { rest[$0...] } ?? "/"
                if pathAndQuery.hasPrefix("?") { pathAndQuery = "/" + pathAndQuery }
            } else {
                return .failure(HTTPParseError(.badRequest, "unsupported request-target form"))
            }
            let queryStart = pathAndQuery.firstIndex(of: "?")
            rawPath = queryStart.map { String(pathAndQuery[..<$0]) } ?? String(pathAndQuery)
            query = queryStart.map { String(pathAndQuery[pathAndQuery.index(after: $0)...]) }
        }
        guard let path = PercentDecoding.decode(rawPath) else {
            return .failure(HTTPParseError(.badRequest, "malformed percent-encoding in the path"))
        }

        guard let httpMethod = method.value ?? HTTPRequest.Method(method.name) else { return .failure(HTTPParseError(.badRequest, "invalid method")) }
        let head = RequestHead(method: httpMethod, target: target, path: path, query: query, minorVersion: minor,
                               headerFields: fields, framing: framing, expectsContinue: expectsContinue,
                               keepAlive: keepAlive, isUnknownMethod: !method.known)
        return .complete(head, consumed: consumed)
    }

    /// The method: one of the implemented ones without building a string, else its name.
    private static func method(_ b: UnsafeBufferPointer<UInt8>) -> (value: HTTPRequest.Method?, name: String, known: Bool) {
        if b.count == 3 && b[0] == 71 && b[1] == 69 && b[2] == 84 { return (.get, "GET", true) }
        if b.count == 4 && b[0] == 80 && b[1] == 79 && b[2] == 83 && b[3] == 84 { return (.post, "POST", true) }
        if b.count == 4 && b[0] == 72 && b[1] == 69 && b[2] == 65 && b[3] == 68 { return (.head, "HEAD", true) }
        let name = String(decoding: b, as: UTF8.self)
        return (nil, name, knownMethods.contains(name))
    }

    /// ASCII case-insensitive comparison with a lowercase literal.
    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let l = lowercase.utf8Start
        for i in 0..<bytes.count {
            var c = bytes[i]
            if c >= 65 && c <= 90 { c |= 0x20 }
            if c != l[i] { return false }
        }
        return true
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
