import Testing
@testable import HTTPServer

@Suite struct GzipTests {
    @Test func roundTripOneShot() throws {
        let text = Array(String(repeating: "incognita ", count: 1000).utf8)
        let z = GzipStream.gzip(text)
        #expect(z.prefix(2) == [0x1f, 0x8b])
        #expect(z.count < text.count / 10)
        #expect(try #require(GzipStream.gunzip(z)) == text)
    }

    @Test func streamingWithSyncFlush() throws {
        let s = GzipStream()
        var out: [UInt8] = []
        var expected: [UInt8] = []
        for i in 0..<50 {
            let piece = Array("piece \(i) \(String(repeating: "x", count: i))\n".utf8)
            expected += piece
            out += s.compress(piece)
        }
        out += s.finish()
        #expect(try #require(GzipStream.gunzip(out)) == expected)
    }

    @Test func httpDateFormat() {
        #expect(String(decoding: HTTPDate.format(784111777), as: UTF8.self) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}
