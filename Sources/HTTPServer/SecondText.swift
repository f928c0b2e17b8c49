import Synchronization

/// Text that depends only on the second it is made in (the `Date` header, an access-log timestamp), formatted
/// once a second and read by every thread without a lock: up to 32 bytes live in four atomic words behind a
/// sequence counter (a seqlock), so readers on any thread copy them; one that meets a write in progress formats
/// the text itself, so no reader ever waits for a writer the scheduler may have paused.
///
/// ```swift
/// let stamp = SecondText(count: 19) { second in isoDateAndTime(second) }   // 19 bytes a second
/// stamp.write(second: now, into: &writer)
/// ```
public final class SecondText: Sendable {
    /// Bytes of text (at most 32).
    public let count: Int
    private let format: @Sendable (Int) -> [UInt8]
    private let sequence = Atomic<UInt64>(0)
    private let second = Atomic<Int>(Int.min)
    private let word0 = Atomic<UInt64>(0)
    private let word1 = Atomic<UInt64>(0)
    private let word2 = Atomic<UInt64>(0)
    private let word3 = Atomic<UInt64>(0)

    /// `format` makes the `count` bytes of a second (seconds since the Unix epoch).
    public init(count: Int, format: @escaping @Sendable (Int) -> [UInt8]) {
        precondition(count > 0 && count <= 32)
        self.count = count
        self.format = format
    }

    /// Writes the text of second `t`: the copy published for it, or formatted here when `t` is not the newest
    /// second published yet (it is then published) or a write is in progress.
    public func write(second t: Int, into w: inout ByteWriter) {
        if second.load(ordering: .acquiring) < t { publish(t) }
        // Two tries at a consistent copy, never a spin.
        for _ in 0..<2 {
            let before = sequence.load(ordering: .acquiring)
            guard before & 1 == 0 else { continue }
            let published = second.load(ordering: .relaxed)
            let w0 = word0.load(ordering: .relaxed), w1 = word1.load(ordering: .relaxed)
            let w2 = word2.load(ordering: .relaxed), w3 = word3.load(ordering: .relaxed)
            atomicMemoryFence(ordering: .acquiring)
            if sequence.load(ordering: .relaxed) == before {
                guard published == t else { break } // a later second is published: this one is formatted below
                var bytes = (w0, w1, w2, w3)
                withUnsafeBytes(of: &bytes) { w.write(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                return
            }
        }
        w.write(format(t))
    }

    /// Formats second `t` and publishes it, unless a later one is; a writer that loses the race to another leaves
    /// it to that one.
    private func publish(_ t: Int) {
        // Formatted before the sequence is claimed, so the odd (writing) window is four stores long.
        let text = format(t)
        var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { raw in
            text.withUnsafeBytes { raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[..<min(count, $0.count)])) }
        }
        var seq = sequence.load(ordering: .relaxed)
        guard seq & 1 == 0, sequence.compareExchange(expected: seq, desired: seq + 1, ordering: .acquiring).exchanged else { return }
        seq += 1
        guard second.load(ordering: .relaxed) < t else { sequence.store(seq + 1, ordering: .releasing); return }
        atomicMemoryFence(ordering: .releasing)
        word0.store(bytes.0, ordering: .relaxed); word1.store(bytes.1, ordering: .relaxed)
        word2.store(bytes.2, ordering: .relaxed); word3.store(bytes.3, ordering: .relaxed)
        second.store(t, ordering: .relaxed)
        sequence.store(seq + 1, ordering: .releasing)
    }
}
