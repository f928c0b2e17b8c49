import HTTPTypes
import Testing
@testable import HTTPServer

/// The request's fields as a view over the received bytes: the `HTTPFields` reading API, case-insensitive.
@Suite struct RequestFieldsTests {
    static func fields(_ pairs: [(String, String)]) -> RequestFields {
        var f = HTTPFields()
        for (n, v) in pairs { f.append(HTTPField(name: HTTPField.Name(n)!, value: v)) }
        return RequestFields(f)
    }

    @Test func readsLikeHTTPFields() {
        let pairs = [("Accept", "text/html"), ("X-Id", "1"), ("accept", "application/json;q=0.5"), ("Cookie", "a=1"), ("cookie", "b=2")]
        let view = Self.fields(pairs)
        var reference = HTTPFields()
        for (n, v) in pairs { reference.append(HTTPField(name: HTTPField.Name(n)!, value: v)) }
        for name in [HTTPField.Name.accept, .cookie, HTTPField.Name("x-id")!, .contentType] {
            #expect(view[name] == reference[name], "\(name)")
            #expect(view[values: name] == reference[values: name], "\(name)")
            #expect(view.contains(name) == (reference[name] != nil))
        }
        #expect(view.count == 5)
        #expect(view.httpFields == reference)
        #expect(RequestFields().count == 0 && RequestFields()[.accept] == nil && Array(RequestFields()).isEmpty)
    }

    @Test func bytesOfNamedValues() {
        let view = Self.fields([("X-A", "1"), ("Host", "h"), ("x-a", "2")])
        var seen: [String] = []
        let name = Array("x-a".utf8)
        name.withUnsafeBufferPointer { n in view.forEachValue(named: n) { seen.append(String(decoding: $0, as: UTF8.self)) } }
        #expect(seen == ["1", "2"])
        var all: [String] = []
        view.forEach { n, v in all.append(String(decoding: n, as: UTF8.self) + ":" + String(decoding: v, as: UTF8.self)) }
        #expect(all == ["X-A:1", "Host:h", "x-a:2"])
    }

    @Test func acceptEncodingNegotiation() {
        func accepts(_ values: String...) -> Bool { Self.fields(values.map { ("Accept-Encoding", $0) }).acceptsGzip }
        #expect(accepts("gzip"))
        #expect(accepts("deflate, gzip;q=0.5"))
        #expect(accepts("x-gzip"))
        #expect(!accepts("gzip;q=0"))
        #expect(!accepts("identity"))
        #expect(accepts("*"))
        #expect(!accepts("*, gzip;q=0"))
        #expect(accepts("deflate", "GZIP;q=0.1"), "repeated fields count as one list")
        #expect(!Self.fields([]).acceptsGzip)
    }
}
