import HTTPTypes
import Testing
@testable import HTTPServer

@Suite struct ChunkedBodyDecoderTests {
    func decode(_ text: String, max: Int = 1000) -> (ChunkedBodyDecoder.Step, [UInt8], Int) {
        var d = ChunkedBodyDecoder(maxBodyBytes: max, maxLineBytes: 100)
        var consumed = 0
        let step = Array(text.utf8).withUnsafeBufferPointer { d.feed($0, consumed: &consumed) }
        return (step, d.body, consumed)
    }

    @Test func decodesChunksExtensionsAndTrailers() {
        let (step, body, consumed) = decode("4;name=value\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT")
        #expect(step == .done)
        #expect(String(decoding: body, as: UTF8.self) == "Wikipedia")
        #expect(consumed == "4;name=value\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n".utf8.count)
    }

    @Test func incrementalFeeding() {
        var d = ChunkedBodyDecoder(maxBodyBytes: 1000)
        let all = Array("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n".utf8)
        var buffer: [UInt8] = []
        var last = ChunkedBodyDecoder.Step.needMore
        for b in all {
            buffer.append(b)
            var consumed = 0
            last = buffer.withUnsafeBufferPointer { d.feed($0, consumed: &consumed) }
            buffer.removeFirst(consumed)
            if last == .done { break }
        }
        #expect(last == .done)
        #expect(String(decoding: d.body, as: UTF8.self) == "abcde")
    }

    @Test func badChunkSizes() {
        for text in ["x\r\n", "-1\r\nab\r\n", "+1\r\na\r\n", "\r\n", "1 1\r\na\r\n", "fffffffffffffffff\r\n", "0x1\r\na\r\n"] {
            guard case .failure(let e) = decode(text).0 else { Issue.record("accepted \(text.debugDescription)"); continue }
            #expect(e.status == .badRequest)
        }
    }

    @Test func dataMustBeFollowedByCRLF() {
        guard case .failure = decode("3\r\nabcX\r\n0\r\n\r\n").0 else { Issue.record("missing CRLF accepted"); return }
    }

    @Test func bareLFInSizeLine() {
        guard case .failure = decode("3\nabc\r\n").0 else { Issue.record("bare LF accepted"); return }
    }

    @Test func decodedSizeIsCapped() {
        guard case .failure(let e) = decode("10\r\n0123456789abcdef\r\n0\r\n\r\n", max: 8).0 else { Issue.record("cap ignored"); return }
        #expect(e.status == .contentTooLarge)
    }
}
