/// Packs unsigned values of varying bit widths (1...64) into one little-endian bit string, and
/// unpacks them. The corrections of the t-th Gilboa OT are ℓ − t bits wide, so the message costs
/// exactly Σ (ℓ − t) bits per element.
struct BitPacker {
    private(set) var words: [UInt64]
    private var current: UInt64 = 0
    private var used = 0          // bits used in `current`
    private(set) var bitCount = 0

    init(capacityBits: Int) {
        words = []
        words.reserveCapacity(capacityBits / 64 + 1)
    }

    /// Appends the low `width` bits of `value`; the caller guarantees value < 2^width.
    @inline(__always)
    mutating func append(_ value: UInt64, width: Int) {
        current |= value << UInt64(used)           // shifts ≥ 64 give 0 in Swift's masking-free `<<`
        let total = used + width
        if total >= 64 {
            words.append(current)
            let consumed = 64 - used
            current = consumed >= 64 ? 0 : value >> UInt64(consumed)
            used = total - 64
        } else {
            used = total
        }
        bitCount += width
    }

    /// The packed words, the partial last word included.
    func finished() -> [UInt64] {
        used > 0 ? words + [current] : words
    }
}

/// Reads values written by `BitPacker`.
struct BitUnpacker {
    private let words: [UInt64]
    private var index = 0
    private var offset = 0        // bit offset inside words[index]

    init(words: [UInt64]) { self.words = words }

    /// The next `width`-bit value. The caller has checked the total length beforehand.
    @inline(__always)
    mutating func next(width: Int) -> UInt64 {
        let mask: UInt64 = width >= 64 ? ~0 : (1 << UInt64(width)) &- 1
        var v = words[index] >> UInt64(offset)
        let available = 64 - offset
        if width > available {
            v |= words[index + 1] << UInt64(available)
        }
        offset += width
        if offset >= 64 {
            offset -= 64
            index += 1
        }
        return v & mask
    }
}
