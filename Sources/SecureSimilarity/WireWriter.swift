/// Appends little-endian fields to a byte buffer (the protocol's only encoding).
struct WireWriter {
    private(set) var bytes: [UInt8]

    init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func u8(_ v: UInt8) { bytes.append(v) }

    mutating func u32(_ v: UInt32) {
        for s in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) }
    }

    mutating func u64(_ v: UInt64) {
        for s in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) }
    }

    mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }

    /// The first `byteCount` bytes of `words` read as one little-endian bit string.
    mutating func words(_ words: [UInt64], from start: Int = 0, byteCount: Int) {
        precondition(byteCount <= 8 * (words.count - start))
        var remaining = byteCount
        var i = start
        while remaining >= 8 {
            u64(words[i]); i += 1; remaining -= 8
        }
        if remaining > 0 {
            let w = words[i]
            for s in 0..<remaining { bytes.append(UInt8(truncatingIfNeeded: w >> UInt64(8 * s))) }
        }
    }
}
