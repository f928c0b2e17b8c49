import HTTPTypes
import Testing
@testable import HTTPServer

/// One test per rule of the hardening checklist: the parser must refuse, not guess.
@Suite struct RequestHeadParserTests {
    let parser = RequestHeadParser(maxRequestLineBytes: 100, maxHeaderBytes: 200, maxHeaderCount: 5, maxBodyBytes: 1000)

    func parse(_ text: String) -> RequestHeadParser.Result {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { parser.parse($0) }
    }

    func expectFailure(_ text: String, _ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .failure(let error) = parse(text) else {
            Issue.record("expected \(status.code) for \(text.debugDescription), got \(parse(text))", sourceLocation: sourceLocation)
            return
        }
        #expect(error.status == status, "\(text.debugDescription): \(error.detail)", sourceLocation: sourceLocation)
    }

    func head(_ text: String) -> RequestHead? {
        if case .complete(let h, _) = parse(text) { return h }
        return nil
    }

    @Test func simpleRequest() throws {
        let h = try #require(head("GET /a/b?x=1&y=%20z HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\n"))
        #expect(h.method == .get)
        #expect(h.path == "/a/b")
        #expect(h.query == "x=1&y=%20z")
        #expect(h.minorVersion == 1)
        #expect(h.keepAlive)
        #expect(h.framing == .none)
    }

    @Test func incompleteHeadWaits() {
        guard case .incomplete = parse("GET / HTTP/1.1\r\nHost: a\r\n") else { Issue.record("should wait"); return }
        guard case .incomplete = parse("GET / HTTP/1.1\r\nHost: a\r") else { Issue.record("should wait for LF"); return }
    }

    @Test func contentLengthTogetherWithTransferEncoding() {
        expectFailure("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", .badRequest)
    }

    @Test func duplicateContentLengthEvenWhenEqual() {
        expectFailure("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n", .badRequest)
    }

    @Test func contentLengthListSignedHexEmptyOverflow() {
        for value in ["3, 3", "+3", "-3", "0x3", "3 3", "", "99999999999999999999", "1e3", " "] {
            expectFailure("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(value)\r\n\r\n", .badRequest)
        }
    }

    @Test func leadingZerosInContentLengthAreLegal() throws {
        let h = try #require(head("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0005\r\n\r\n"))
        #expect(h.framing == .contentLength(5))
    }

    @Test func bodyLargerThanLimitIs413BeforeReading() {
        expectFailure("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n", .contentTooLarge)
    }

    @Test func transferEncodingMustBeFinalChunked() {
        for value in ["xchunked", "chunked, identity", "chunked, chunked", "identity", "chunked,", "gzip"] {
            expectFailure("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(value)\r\n\r\n", .badRequest)
        }
        expectFailure("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", .badRequest)
        expectFailure("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .notImplemented)
        expectFailure("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .badRequest)
    }

    @Test func chunkedIsCaseInsensitive() throws {
        let h = try #require(head("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"))
        #expect(h.framing == .chunked)
    }

    @Test func obsFoldIsRefused() {
        expectFailure("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", .badRequest)
        expectFailure("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n", .badRequest)
    }

    @Test func whitespaceBeforeColonIsRefused() {
        expectFailure("GET / HTTP/1.1\r\nHost : a\r\n\r\n", .badRequest)
        expectFailure("GET / HTTP/1.1\r\nHost: a\r\nContent-Length\t: 1\r\n\r\n", .badRequest)
    }

    @Test func controlCharactersNulBareCRBareLF() {
        expectFailure("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{01}c\r\n\r\n", .badRequest)
        expectFailure("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{7F}\r\n\r\n", .badRequest)
        expectFailure("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{00}c\r\n\r\n", .badRequest)
        expectFailure("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", .badRequest)
        expectFailure("GET / HTTP/1.1\nHost: a\n\n", .badRequest)
        expectFailure("GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", .badRequest)
        // A bare LF is refused at once, even before the head could be complete.
        expectFailure("GET / HTTP/1.1\n", .badRequest)
    }

    @Test func hostIsRequiredOnceInHTTP11() {
        expectFailure("GET / HTTP/1.1\r\n\r\n", .badRequest)
        expectFailure("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .badRequest)
        #expect(head("GET / HTTP/1.0\r\n\r\n") != nil)
    }

    @Test func requestLineShape() {
        expectFailure("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest)
        expectFailure("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", .badRequest)
        expectFailure("GET /\r\nHost: a\r\n\r\n", .badRequest)
        expectFailure("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest)
        expectFailure("GET / HTTP/1.x\r\nHost: a\r\n\r\n", .badRequest)
        expectFailure("GET / HTTP/2.0\r\nHost: a\r\n\r\n", .httpVersionNotSupported)
        expectFailure("GET / HTTP/1.2\r\nHost: a\r\n\r\n", .httpVersionNotSupported)
        expectFailure("GET / http/1.1\r\nHost: a\r\n\r\n", .badRequest)
    }

    @Test func unknownMethodIsFlaggedForNotImplemented() throws {
        let h = try #require(head("BREW / HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(h.isUnknownMethod)
        let lower = try #require(head("get / HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(lower.isUnknownMethod, "methods are case-sensitive")
    }

    @Test func absoluteFormTargetIsAccepted() throws {
        let h = try #require(head("GET http://example.com/v1/x?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n"))
        #expect(h.path == "/v1/x")
        #expect(h.query == "q=1")
    }

    @Test func limitsGive414And431() {
        expectFailure("GET /\(String(repeating: "a", count: 120)) HTTP/1.1\r\nHost: a\r\n\r\n", .uriTooLong)
        expectFailure("GET /\(String(repeating: "a", count: 120))", .uriTooLong)
        expectFailure("GET / HTTP/1.1\r\nHost: a\r\nX-A: \(String(repeating: "b", count: 300))\r\n\r\n", .requestHeaderFieldsTooLarge)
        expectFailure("GET / HTTP/1.1\r\nHost: a\r\nX-A: \(String(repeating: "b", count: 400))", .requestHeaderFieldsTooLarge)
        expectFailure("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\n\r\n", .requestHeaderFieldsTooLarge)
    }

    @Test func connectionIsATokenList() throws {
        #expect(try #require(head("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n")).keepAlive == false)
        #expect(try #require(head("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n")).keepAlive == false)
        #expect(try #require(head("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nConnection: CLOSE\r\n\r\n")).keepAlive == false)
        #expect(try #require(head("GET / HTTP/1.0\r\n\r\n")).keepAlive == false)
        #expect(try #require(head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")).keepAlive == true)
    }

    @Test func expectations() throws {
        #expect(try #require(head("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n")).expectsContinue)
        expectFailure("POST / HTTP/1.1\r\nHost: a\r\nExpect: something\r\nContent-Length: 3\r\n\r\n", .expectationFailed)
    }

    @Test func percentDecodingOfThePath() throws {
        #expect(try #require(head("GET /a%20b HTTP/1.1\r\nHost: a\r\n\r\n")).path == "/a b")
        expectFailure("GET /a%00b HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest)
        expectFailure("GET /a%zzb HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest)
    }

    @Test func leadingEmptyLinesAreIgnored() throws {
        #expect(head("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n") != nil)
    }

    /// Field names are case-insensitive (RFC 9110 §5.1): the framing and connection rules apply whatever the
    /// spelling, or a request could carry a body this parser never sees while a proxy in front frames it
    /// (request smuggling).
    @Test func framingFieldNamesAreCaseInsensitive() throws {
        #expect(try #require(head("POST / HTTP/1.1\r\nhOST: a\r\ncontent-LENGTH: 5\r\n\r\n")).framing == .contentLength(5))
        #expect(try #require(head("POST / HTTP/1.1\r\nHOST: a\r\nTRANSFER-encoding: chunked\r\n\r\n")).framing == .chunked)
        expectFailure("POST / HTTP/1.1\r\nHost: a\r\nContent-length: 3\r\nTransfer-encoding: chunked\r\n\r\n", .badRequest)
        expectFailure("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\n", .badRequest)
        expectFailure("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", .badRequest)
        expectFailure("GET / HTTP/1.1\r\nX-Host: a\r\n\r\n", .badRequest)
        expectFailure("POST / HTTP/1.1\r\nHost: a\r\nTransfer-ENCODING: gzip, chunked\r\n\r\n", .notImplemented)
        expectFailure("POST / HTTP/1.1\r\nHost: a\r\nEXPECT: something\r\n\r\n", .expectationFailed)
        #expect(try #require(head("GET / HTTP/1.1\r\nHost: a\r\nCONNECTION: close\r\n\r\n")).keepAlive == false)
        #expect(try #require(head("GET / HTTP/1.0\r\nconnection: KEEP-ALIVE\r\n\r\n")).keepAlive)
    }

    /// Every length around each limit, so that the scan, which moves eight bytes at a time, is seen to refuse
    /// exactly at the limit whatever the alignment, complete or not.
    @Test func limitsHoldAtEveryLengthAndAlignment() {
        // The request line against its limit (100).
        for n in 70...100 {
            let line = "GET /" + String(repeating: "a", count: n) + " HTTP/1.1"
            if line.utf8.count > 100 {
                expectFailure(line + "\r\nHost: a\r\n\r\n", .uriTooLong)
                expectFailure(line, .uriTooLong)
            } else {
                #expect(head(line + "\r\nHost: a\r\n\r\n") != nil, "\(line.utf8.count) bytes")
                if case .incomplete = parse(line) {} else { Issue.record("\(line.utf8.count) bytes should wait") }
            }
        }
        // A complete header section against its limit (200), counting each line with its CRLF.
        for n in 150...200 {
            let field = "X-A: " + String(repeating: "b", count: n)
            let text = "GET / HTTP/1.1\r\nHost: a\r\n" + field + "\r\n\r\n"
            if 9 + field.utf8.count + 2 > 200 { expectFailure(text, .requestHeaderFieldsTooLarge) } else { #expect(head(text) != nil, "\(n)") }
        }
        // An unfinished head is refused as soon as it is longer than any head could be (16 + 100 + 2 + 200 + 2 = 304 here).
        let prefix = "GET / HTTP/1.1\r\nX-A: "
        for total in 290...320 {
            let text = prefix + String(repeating: "b", count: total - prefix.utf8.count)
            if total > 304 { expectFailure(text, .requestHeaderFieldsTooLarge) } else if case .incomplete = parse(text) {} else {
                Issue.record("\(total) bytes should wait")
            }
        }
    }

    /// Control characters (HTAB aside) and DEL are found wherever they sit in a value; bytes from 0x80 (obs-text) pass.
    @Test func controlCharactersAnywhereInAValue() throws {
        for position in 0..<24 {
            for bad: UInt8 in [0x01, 0x08, 0x0B, 0x0C, 0x1F, 0x7F] {
                var value = [UInt8](repeating: UInt8(ascii: "v"), count: 24)
                value[position] = bad
                expectFailure("GET / HTTP/1.1\r\nHost: a\r\nX-A: " + String(decoding: value, as: UTF8.self) + "\r\n\r\n", .badRequest)
            }
            var tab = [UInt8](repeating: UInt8(ascii: "v"), count: 24)
            tab[position] = 0x09
            #expect(head("GET / HTTP/1.1\r\nHost: a\r\nX-A: " + String(decoding: tab, as: UTF8.self) + "\r\n\r\n") != nil, "tab at \(position)")
        }
        let h = try #require(head("GET / HTTP/1.1\r\nHost: a\r\nX-A: caf\u{e9} \u{2603}\r\n\r\n"))
        #expect(h.headerFields[HTTPField.Name("x-a")!] == "caf\u{e9} \u{2603}")
    }

    /// The fields keep the names as sent, values trimmed, in order; lookups ignore case.
    @Test func fieldsAsReceived() throws {
        let h = try #require(head("GET / HTTP/1.1\r\nHost: a\r\nX-Trace:  1 \t\r\nx-trace: 2\r\nCookie: a=1\r\ncookie: b=2\r\n\r\n"))
        let name = HTTPField.Name("X-Trace")!
        #expect(h.headerFields.count == 5)
        #expect(h.headerFields[values: name] == ["1", "2"])
        #expect(h.headerFields[name] == "1, 2")
        #expect(h.headerFields[.cookie] == "a=1; b=2")
        #expect(h.headerFields[.accept] == nil && !h.headerFields.contains(.accept) && h.headerFields.contains(HTTPField.Name("Host")!))
        #expect(Array(h.headerFields).map { "\($0.name.rawName)=\($0.value)" } == ["Host=a", "X-Trace=1", "x-trace=2", "Cookie=a=1", "cookie=b=2"])
        #expect(try #require(head("GET / HTTP/1.1\r\nHost: a\r\nEmpty: \t \r\n\r\n")).headerFields[HTTPField.Name("empty")!] == "")
    }
}
