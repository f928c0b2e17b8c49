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
}
