import Foundation
import Synchronization

/// The IMF-fixdate of the `Date` response header (RFC 9110 §5.6.7), formatted about once a second and read
/// by every response without a lock: the 29 bytes live in four atomic words behind a sequence counter
/// (a seqlock), so readers on any thread copy them; one that meets a write in progress formats the date itself.
enum HTTPDate {
    private static let sequence = Atomic<UInt64>(0)
    private static let second = Atomic<Int>(-1)
    private static let word0 = Atomic<UInt64>(0)
    private static let word1 = Atomic<UInt64>(0)
    private static let word2 = Atomic<UInt64>(0)
    private static let word3 = Atomic<UInt64>(0)

    /// Appends `Date: <IMF-fixdate>\r\n`.
    static func appendHeader(to out: inout [UInt8]) {
        out.append(contentsOf: [68, 97, 116, 101, 58, 32]) // "Date: "
        appendCurrent(to: &out)
        out.append(13); out.append(10)
    }

    /// The current date as text (tests and diagnostics).
    static func now() -> String {
        var out: [UInt8] = []
        appendCurrent(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendCurrent(to out: inout [UInt8]) {
        let t = Int(Date().timeIntervalSince1970)
        if second.load(ordering: .acquiring) < t { publish(t) }
        // Two tries at a consistent copy; a reader never spins on a writer (which the scheduler may have paused
        // mid-write on a busy machine): past that it formats the date itself.
        for _ in 0..<2 {
            let before = sequence.load(ordering: .acquiring)
            guard before & 1 == 0 else { continue }
            let w0 = word0.load(ordering: .relaxed), w1 = word1.load(ordering: .relaxed)
            let w2 = word2.load(ordering: .relaxed), w3 = word3.load(ordering: .relaxed)
            atomicMemoryFence(ordering: .acquiring)
            if sequence.load(ordering: .relaxed) == before {
                var bytes = (w0, w1, w2, w3)
                withUnsafeBytes(of: &bytes) { out.append(contentsOf: UnsafeBufferPointer(start: $0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: 29)) }
                return
            }
        }
        out.append(contentsOf: format(t).utf8)
    }

    /// Formats second `t` and publishes it; a writer that loses the race to another leaves it to that one.
    private static func publish(_ t: Int) {
        // Formatted before the sequence is claimed, so the odd (writing) window is four stores long.
        var text = format(t)
        var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { raw in
            text.withUTF8 { utf8 in raw.copyMemory(from: UnsafeRawBufferPointer(start: utf8.baseAddress, count: min(29, utf8.count))) }
        }
        var seq = sequence.load(ordering: .relaxed)
        guard seq & 1 == 0, sequence.compareExchange(expected: seq, desired: seq + 1, ordering: .acquiring).exchanged else { return }
        seq += 1
        guard second.load(ordering: .relaxed) < t else { sequence.store(seq + 1, ordering: .releasing); return }
        atomicMemoryFence(ordering: .releasing)
        word0.store(bytes.0, ordering: .relaxed); word1.store(bytes.1, ordering: .relaxed)
        word2.store(bytes.2, ordering: .relaxed); word3.store(bytes.3, ordering: .relaxed)
        second.store(t, ordering: .releasing)
        sequence.store(seq + 1, ordering: .releasing)
    }

    static func format(_ epochSeconds: Int) -> String {
        let days: [StaticString] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months: [StaticString] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let c = CivilTime(epochSeconds: epochSeconds)
        var out: [UInt8] = []
        out.reserveCapacity(29)
        out.append(contentsOf: UnsafeBufferPointer(start: days[c.weekday].utf8Start, count: 3))
        out.append(44); out.append(32)
        ByteText.appendPadded(c.day, width: 2, to: &out)
        out.append(32)
        out.append(contentsOf: UnsafeBufferPointer(start: months[c.month - 1].utf8Start, count: 3))
        out.append(32)
        ByteText.appendPadded(c.year, width: 4, to: &out)
        out.append(32)
        ByteText.appendPadded(c.hour, width: 2, to: &out); out.append(58)
        ByteText.appendPadded(c.minute, width: 2, to: &out); out.append(58)
        ByteText.appendPadded(c.second, width: 2, to: &out)
        out.append(contentsOf: [32, 71, 77, 84]) // " GMT"
        return String(decoding: out, as: UTF8.self)
    }
}
