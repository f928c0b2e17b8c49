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
    /// Two passes: the first finds the end of the head while refusing bare CR or LF, NUL and oversized lines,
    /// and notes where each line ends; the second reads the request line and the fields straight from the bytes
    /// (framing and connection fields are read as bytes), so a small request costs a few small strings and one
    /// buffer for its fields.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: maxHeaderCount + 2) { lineEnds in
            scan(bytes, lineEnds: lineEnds)
        }
    }

    /// The first pass. Between the bytes it must look at (CR, LF, NUL) it moves eight bytes at a time, but never
    /// past the point where a length limit is exceeded, so it refuses exactly where a byte-by-byte scan would.
    private func scan(_ bytes: UnsafeBufferPointer<UInt8>, lineEnds: UnsafeMutableBufferPointer<Int>) -> Result {
        let cr: UInt8 = 13, lf: UInt8 = 10
        var i = 0
        // Up to a few empty lines before the request line are ignored (RFC 9112 §2.2).
        var skipped = 0
        while i + 1 < bytes.count && bytes[i] == cr && bytes[i + 1] == lf && skipped < 4 { i += 2; skipped += 1 }
        let requestLineStart = i
        var lineStart = i
        var lineCount = 0
        let headLimit = skipped * 2 + maxRequestLineBytes + 2 + maxHeaderBytes + 2
        let base = UnsafeRawPointer(bytes.baseAddress)
        while i < bytes.count {
            // Past `limit` a length check fails: the request line's own limit on the first line, the head's after.
            let limit = lineCount == 0 ? min(headLimit, lineStart + maxRequestLineBytes) : headLimit
            let stop = min(bytes.count, limit + 1)
            let start = i
            while i + 8 <= stop, !Self.mayHoldLineBreakOrNUL(base!.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
            while i < stop, bytes[i] != cr, bytes[i] != lf, bytes[i] != 0 { i += 1 }
            // A byte-by-byte scan checks the limits after each ordinary byte: it fails on reaching limit + 1 that
            // way, or on the first ordinary byte once a line break has already carried it past the limit.
            if i > start && i == limit + 1 { return .failure(limitError(at: i, lineStart: lineStart, lineCount: lineCount)) }
            if i == bytes.count { break }
            let b = bytes[i]
            if b != cr && b != lf && b != 0 { return .failure(limitError(at: i + 1, lineStart: lineStart, lineCount: lineCount)) }
            if b == lf { return .failure(HTTPParseError(.badRequest, "bare LF: lines must end with CRLF")) }
            if b == 0 { return .failure(HTTPParseError(.badRequest, "NUL byte in the request head")) }
            guard i + 1 < bytes.count else { break }
            guard bytes[i + 1] == lf else { return .failure(HTTPParseError(.badRequest, "bare CR in the request head")) }
            if i == lineStart && lineCount > 0 {
                return finish(bytes, requestLine: requestLineStart..<lineEnds[0], lineEnds: UnsafeBufferPointer(rebasing: lineEnds[..<lineCount]),
                              consumed: i + 2)
            }
            if lineCount == 0 && i - lineStart > maxRequestLineBytes {
                return .failure(HTTPParseError(.uriTooLong, "request line longer than \(maxRequestLineBytes) bytes"))
            }
            lineEnds[lineCount] = i
            lineCount += 1
            if lineCount > maxHeaderCount + 1 {
                return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "more than \(maxHeaderCount) header fields"))
            }
            i += 2
            lineStart = i
        }
        if bytes.count > headLimit {
            return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "header section larger than \(maxHeaderBytes) bytes"))
        }
        return .incomplete
    }

    /// The refusal of a head scanned up to `position`, past one of its length limits.
    private func limitError(at position: Int, lineStart: Int, lineCount: Int) -> HTTPParseError {
        if lineCount == 0 && position - lineStart > maxRequestLineBytes {
            return HTTPParseError(.uriTooLong, "request line longer than \(maxRequestLineBytes) bytes")
        }
        return HTTPParseError(.requestHeaderFieldsTooLarge, "header section larger than \(maxHeaderBytes) bytes")
    }

    /// Whether any of the eight bytes of `word` is below 14 (so possibly CR, LF or NUL); false means none is.
    @inline(__always)
    static func mayHoldLineBreakOrNUL(_ word: UInt64) -> Bool {
        (word &- 0x0E0E_0E0E_0E0E_0E0E) & ~word & 0x8080_8080_8080_8080 != 0
    }

    /// Whether any of the eight bytes of `word` is a control character (below 0x20, HTAB included) or DEL.
    @inline(__always)
    static func mayHoldControl(_ word: UInt64) -> Bool {
        let del = word ^ 0x7F7F_7F7F_7F7F_7F7F
        return ((word &- 0x2020_2020_2020_2020) & ~word | (del &- 0x0101_0101_0101_0101) & ~del) & 0x8080_8080_8080_8080 != 0
    }

    /// What the framing and connection rules need from the fields, gathered while they are read.
    private struct Semantics {
        var hosts = 0
        var contentLengths = 0
        var contentLength: Range<Int> = 0..<0
        var transferEncodings: [String] = []
        var expectsContinue = false
        var unknownExpectation = false
        var close = false
        var keepAliveToken = false
    }

    private func finish(_ bytes: UnsafeBufferPointer<UInt8>, requestLine: Range<Int>, lineEnds: UnsafeBufferPointer<Int>, consumed: Int) -> Result {
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

        // Header fields, one per line: each is checked and its name and value recorded as offsets into the field
        // lines, which the head then keeps in one buffer.
        let fieldBytes = (requestLine.upperBound + 2)..<(consumed - 2)
        return withUnsafeTemporaryAllocation(of: RequestFields.Span.self, capacity: max(1, lineEnds.count - 1)) { spans in
            var count = 0
            var semantics = Semantics()
            let origin = fieldBytes.lowerBound
            let base = UnsafeRawPointer(bytes.baseAddress!)
            var headerBytes = 0
            var lineStart = fieldBytes.lowerBound
            for line in 1..<lineEnds.count {
                let lineEnd = lineEnds[line]
                defer { lineStart = lineEnd + 2 }
                headerBytes += lineEnd - lineStart + 2
                if headerBytes > maxHeaderBytes {
                    return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "header section larger than \(maxHeaderBytes) bytes"))
                }
                // The name: token characters up to the colon; anything else is refused by `fieldLineError`.
                var colon = lineStart
                while colon < lineEnd && Self.isTokenChar(bytes[colon]) { colon += 1 }
                guard colon > lineStart, colon < lineEnd, bytes[colon] == UInt8(ascii: ":") else {
                    return .failure(fieldLineError(bytes, lineStart..<lineEnd))
                }
                var vs = colon + 1, ve = lineEnd
                while vs < ve && (bytes[vs] == 32 || bytes[vs] == 9) { vs += 1 }
                while ve > vs && (bytes[ve - 1] == 32 || bytes[ve - 1] == 9) { ve -= 1 }
                // No control character but HTAB, no DEL: eight bytes at a time while none can be one.
                var j = vs
                while j + 8 <= ve && !Self.mayHoldControl(base.loadUnaligned(fromByteOffset: j, as: UInt64.self)) { j += 8 }
                while j < ve {
                    let c = bytes[j]
                    if (c < 0x20 && c != 9) || c == 0x7F {
                        return .failure(HTTPParseError(.badRequest, "control character in a header field value"))
                    }
                    j += 1
                }
                spans[count] = RequestFields.Span(nameStart: UInt32(lineStart - origin), nameEnd: UInt32(colon - origin),
                                                  valueStart: UInt32(vs - origin), valueEnd: UInt32(ve - origin))
                count += 1
                Self.note(name: UnsafeBufferPointer(rebasing: bytes[lineStart..<colon]), value: vs..<ve, in: bytes, into: &semantics)
            }
            if count > maxHeaderCount {
                return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "more than \(maxHeaderCount) header fields"))
            }
            return resolve(bytes, method: methodBytes, target: targetBytes, minor: minor, semantics: semantics, consumed: consumed) {
                RequestFields(lines: UnsafeBufferPointer(rebasing: bytes[fieldBytes]), spans: UnsafeBufferPointer(rebasing: spans[..<count]))
            }
        }
    }

    /// Why a field line whose name is not a run of token characters followed by a colon is refused.
    private func fieldLineError(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> HTTPParseError {
        let first = bytes[line.lowerBound]
        if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            return HTTPParseError(.badRequest, "obsolete line folding is not accepted")
        }
        var colon = line.lowerBound
        while colon < line.upperBound && bytes[colon] != UInt8(ascii: ":") { colon += 1 }
        guard colon < line.upperBound else { return HTTPParseError(.badRequest, "header line without a colon") }
        let name = UnsafeBufferPointer(rebasing: bytes[line.lowerBound..<colon])
        if let last = name.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
            return HTTPParseError(.badRequest, "whitespace between a field name and its colon")
        }
        return HTTPParseError(.badRequest, "invalid header field name")
    }

    /// Records what the framing and connection rules need from one field: the five names they read are
    /// recognised from the bytes by length first, every other name costs one comparison of lengths.
    @inline(__always)
    private static func note(name: UnsafeBufferPointer<UInt8>, value: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>, into semantics: inout Semantics) {
        switch name.count {
        case 4 where equalsIgnoringCase(name, "host"):
            semantics.hosts += 1
        case 14 where equalsIgnoringCase(name, "content-length"):
            semantics.contentLengths += 1
            if semantics.contentLengths == 1 { semantics.contentLength = value }
        case 17 where equalsIgnoringCase(name, "transfer-encoding"):
            semantics.transferEncodings.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[value]), as: UTF8.self))
        case 6 where equalsIgnoringCase(name, "expect"):
            if equalsIgnoringCase(UnsafeBufferPointer(rebasing: bytes[value]), "100-continue") { semantics.expectsContinue = true } else {
                semantics.unknownExpectation = true
            }
        case 10 where equalsIgnoringCase(name, "connection"):
            // A case-insensitive token list.
            var start = value.lowerBound
            while start <= value.upperBound {
                var end = start
                while end < value.upperBound && bytes[end] != UInt8(ascii: ",") { end += 1 }
                var ts = start, te = end
                while ts < te && (bytes[ts] == 32 || bytes[ts] == 9) { ts += 1 }
                while te > ts && (bytes[te - 1] == 32 || bytes[te - 1] == 9) { te -= 1 }
                let token = UnsafeBufferPointer(rebasing: bytes[ts..<te])
                if equalsIgnoringCase(token, "close") { semantics.close = true }
                if equalsIgnoringCase(token, "keep-alive") { semantics.keepAliveToken = true }
                start = end + 1
            }
        default:
            break
        }
    }

    private func resolve(_ bytes: UnsafeBufferPointer<UInt8>, method methodBytes: UnsafeBufferPointer<UInt8>, target targetBytes: UnsafeBufferPointer<UInt8>,
                         minor: Int, semantics: Semantics, consumed: Int, fields: () -> RequestFields) -> Result {
        // Host: exactly one in HTTP/1.1 (RFC 9112 §3.2), at most one in HTTP/1.0.
        let hosts = semantics.hosts
        if minor == 1 && hosts != 1 {
            return .failure(HTTPParseError(.badRequest, hosts == 0 ? "missing Host header" : "more than one Host header"))
        }
        if minor == 0 && hosts > 1 { return .failure(HTTPParseError(.badRequest, "more than one Host header")) }

        // Framing.
        var framing = RequestHead.Framing.none
        if !semantics.transferEncodings.isEmpty {
            if semantics.contentLengths > 0 { return .failure(HTTPParseError(.badRequest, "Content-Length together with Transfer-Encoding")) }
            if minor == 0 { return .failure(HTTPParseError(.badRequest, "Transfer-Encoding in an HTTP/1.0 request")) }
            let codings = semantics.transferEncodings.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
                .map { $0.trimmingWhitespace().lowercased() }
            guard codings.last == "chunked", codings.filter({ $0 == "chunked" }).count == 1, !codings.contains("") else {
                return .failure(HTTPParseError(.badRequest, "Transfer-Encoding must end with a single chunked coding"))
            }
            if codings.count > 1 { return .failure(HTTPParseError(.notImplemented, "transfer codings other than chunked are not supported")) }
            framing = .chunked
        } else if semantics.contentLengths > 0 {
            if semantics.contentLengths > 1 { return .failure(HTTPParseError(.badRequest, "more than one Content-Length header")) }
            let digits = UnsafeBufferPointer(rebasing: bytes[semantics.contentLength])
            guard !digits.isEmpty, digits.allSatisfy(Self.isDigit) else {
                return .failure(HTTPParseError(.badRequest, "Content-Length must be a plain decimal number"))
            }
            let significant = digits.drop { $0 == UInt8(ascii: "0") }
            guard significant.count <= 18 else { return .failure(HTTPParseError(.badRequest, "Content-Length is too large to represent")) }
            let n = significant.reduce(0) { $0 * 10 + Int($1 - 48) }
            if n > maxBodyBytes { return .failure(HTTPParseError(.contentTooLarge, "request body larger than \(maxBodyBytes) bytes")) }
            framing = n > 0 ? .contentLength(n) : .none
        }

        // Expect: only 100-continue.
        if semantics.unknownExpectation {
            return .failure(HTTPParseError(.expectationFailed, "only the 100-continue expectation is supported"))
        }
        let keepAlive = semantics.close ? false : (minor == 1 || semantics.keepAliveToken)

        // Target: origin-form (the common case, read from the bytes: one pass finds the query and any escape),
        // absolute-form (the path is taken), or `*` for OPTIONS.
        let method = Self.method(methodBytes)
        let target = String(decoding: targetBytes, as: UTF8.self)
        let path: String
        let query: String?
        if targetBytes[0] == UInt8(ascii: "/") {
            var q = 0
            var escaped = false
            while q < targetBytes.count && targetBytes[q] != UInt8(ascii: "?") {
                if targetBytes[q] == UInt8(ascii: "%") { escaped = true }
                q += 1
            }
            let rawPath = q == targetBytes.count ? target : String(decoding: UnsafeBufferPointer(rebasing: targetBytes[..<q]), as: UTF8.self)
            query = q == targetBytes.count ? nil : String(decoding: UnsafeBufferPointer(rebasing: targetBytes[(q + 1)...]), as: UTF8.self)
            if escaped {
                guard let decoded = PercentDecoding.decode(rawPath) else {
                    return .failure(HTTPParseError(.badRequest, "malformed percent-encoding in the path"))
                }
                path = decoded
            } else {
                path = rawPath
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
            let rawPath = queryStart.map { String(pathAndQuery[..<$0]) } ?? String(pathAndQuery)
            query = queryStart.map { String(pathAndQuery[pathAndQuery.index(after: $0)...]) }
            guard let decoded = PercentDecoding.decode(rawPath) else {
                return .failure(HTTPParseError(.badRequest, "malformed percent-encoding in the path"))
            }
            path = decoded
        }

        guard let httpMethod = method.value ?? HTTPRequest.Method(method.name) else { return .failure(HTTPParseError(.badRequest, "invalid method")) }
        let head = RequestHead(method: httpMethod, target: target, path: path, query: query, minorVersion: minor,
                               headerFields: fields(), framing: framing, expectsContinue: semantics.expectsContinue,
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

    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// tchar from RFC 9110 §5.6.2 (`!#$%&'*+-.^_`|~`, digits, letters), looked up in a 128-bit set.
    @inline(__always)
    static func isTokenChar(_ b: UInt8) -> Bool {
        let set: UInt64 = b < 64 ? 0x03FF_6CFA_0000_0000 : (b < 128 ? 0x57FF_FFFF_C7FF_FFFE : 0)
        return (set >> UInt64(b & 63)) & 1 == 1
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
