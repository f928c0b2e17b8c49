import Foundation
import HTTPTypes
import Testing
@testable import HTTPServer

/// The byte writer behind response heads and log lines, against the standard library's own formatting, and the
/// small containers built on it.
@Suite struct ByteWriterTests {
    func text(_ room: Int = 256, _ body: (inout ByteWriter) -> Void) -> String? {
        ByteWriter.array(atMost: room, body).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func hexMatchesTheStandardLibrary() {
        var rng = SystemRandomNumberGenerator()
        var values: [UInt64] = [0, 1, 9, 10, 15, 16, 0xA0, 0xFF, 0xDEAD_BEEF, .max, .max - 1, 1 << 63, 0x0123_4567_89AB_CDEF]
        values += (0..<2000).map { _ in UInt64.random(in: .min ... .max, using: &rng) >> UInt64.random(in: 0...63, using: &rng) }
        for v in values {
            let full = String(v, radix: 16)
            #expect(text { $0.writeHex(v) } == String(repeating: "0", count: 16 - full.count) + full)
            for digits in [1, 2, 7, 8, 15] {
                let expected = String(String(repeating: "0", count: 16 - full.count) + full).suffix(digits)
                #expect(text { $0.writeHex(v, digits: digits) } == String(expected), "\(v) in \(digits) digits")
            }
        }
    }

    @Test func decimalAndPaddedMatchTheStandardLibrary() {
        var rng = SystemRandomNumberGenerator()
        var values = [0, 1, -1, 9, 10, -10, 99, 100, Int.max, Int.min, Int.min + 1]
        values += (0..<2000).map { _ in Int.random(in: .min ... .max, using: &rng) >> Int.random(in: 0...62, using: &rng) }
        for v in values { #expect(text { $0.writeDecimal(v) } == String(v)) }
        #expect(text { $0.writePadded(7, width: 3) } == "007")
        #expect(text { $0.writePadded(2026, width: 4) } == "2026")
        #expect(text { $0.writePadded(0, width: 2) } == "00")
    }

    @Test func jsonEscapingRoundTrips() throws {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "\"", "\\", "\n", "\r", "\t", "\u{1}", "\u{1f}", "\u{7f}", "é", "😀", "/", " ", "€"]
        for _ in 0..<500 {
            let s = (0..<Int.random(in: 0...30, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let json = try #require(text(4096) { w in w.write(0x22); w.writeJSONEscaped(s); w.write(0x22) })
            let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed) as? String
            #expect(decoded == s, "\(s.debugDescription) → \(json)")
        }
    }

    /// A write that does not fit is not made at all, and the writer says so.
    @Test func overflowWritesNothingAndIsReported() {
        var storage = [UInt8](repeating: 0, count: 8)
        storage.withUnsafeMutableBytes { raw in
            var w = ByteWriter(raw)
            w.write("abcde")
            #expect(w.count == 5 && !w.overflowed)
            w.writeHex(0xFF)
            #expect(w.count == 5 && w.overflowed)
            w.writeJSONEscaped("\"\"")
            #expect(w.count == 5)
            w.write(0x41)
            #expect(w.count == 6)
        }
        #expect(ByteWriter.array(atMost: 3) { $0.write("abcd") } == nil)
        var a: [UInt8] = [1, 2]
        #expect(!ByteWriter.append(to: &a, atMost: 2) { $0.write("abc") } && a == [1, 2])
        #expect(ByteWriter.append(to: &a, atMost: 3) { $0.write("abc") } && a == [1, 2, 97, 98, 99])
    }

    @Test func headerLinesAppendInOrder() {
        var lines = HeaderLines()
        #expect(lines.isEmpty && lines.count == 0)
        #expect(lines.append(atMost: 32) { $0.write("A: 1\r\n") })
        #expect(!lines.append(atMost: 4) { $0.write("B: 2\r\n") })
        #expect(lines.append(atMost: 6) { $0.write("B: 2\r\n") })
        let copy = lines
        lines.append(atMost: 8) { $0.write("C: 3\r\n") }
        #expect(copy.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == "A: 1\r\nB: 2\r\n", "a copy keeps its lines")
        #expect(lines.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == "A: 1\r\nB: 2\r\nC: 3\r\n")
        #expect(HeaderLines(Array("X: y\r\n".utf8)).count == 6)
    }

    /// A text per second, the same from every thread, and right for seconds before or after the one published.
    @Test func secondTextIsThatOfTheSecondAskedFor() async {
        let formatted = SecondText(count: 12) { Array(String(format: "second %05d", $0 % 100_000).utf8) }
        func read(_ t: Int) -> String {
            String(decoding: ByteWriter.array(atMost: 12) { formatted.write(second: t, into: &$0) } ?? [], as: UTF8.self)
        }
        #expect(read(5) == "second 00005")
        #expect(read(7) == "second 00007")
        #expect(read(6) == "second 00006", "an earlier second than the one published")
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<4 {
                group.addTask {
                    var wrong = 0
                    for i in 0..<20_000 {
                        let t = 1000 + i / 50 + task
                        if read(t) != String(format: "second %05d", t) { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}
