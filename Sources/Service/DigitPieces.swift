/// Gathers an expansion's digits, appended in pieces of any size, into pieces of exactly `size` digits (the
/// last one shorter): the expansion stores compress each full piece on its own so that it inflates alone.
struct DigitPieces {
    let size: Int
    /// Digits of the piece being gathered.
    private(set) var pending: [UInt8] = []

    init(size: Int) {
        self.size = size
        pending.reserveCapacity(size)
    }

    /// Appends `digits`, handing every piece that fills up to `full` (which must not keep the array).
    mutating func append(_ digits: [UInt8], full: ([UInt8]) throws -> Void) rethrows {
        var offset = 0
        while offset < digits.count {
            let take = min(size - pending.count, digits.count - offset)
            pending.append(contentsOf: digits[offset..<(offset + take)])
            offset += take
            if pending.count == size {
                try full(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
    }

    /// The last, partial piece (possibly empty), leaving none pending.
    mutating func takeRest() -> [UInt8] {
        defer { pending = [] }
        return pending
    }
}
