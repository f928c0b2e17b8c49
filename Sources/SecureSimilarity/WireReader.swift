/// Reads little-endian fields from a received message, failing with `malformedMessage` (naming
/// the field) instead of reading past the end.
struct WireReader {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
    }

    var remaining: Int { end - position }

    private mutating func need(_ n: Int, _ field: String) throws(SimilarityError) {
        guard n >= 0 && remaining >= n else {
            throw .malformedMessage(field: field, message: "message truncated: \(field) needs \(n) bytes, \(remaining) left")
        }
    }

    mutating func u8(_ field: String) throws(SimilarityError) -> UInt8 {
        try need(1, field)
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u32(_ field: String) throws(SimilarityError) -> UInt32 {
        try need(4, field)
        var v: UInt32 = 0
        for s in 0..<4 { v |= UInt32(bytes[position + s]) << UInt32(8 * s) }
        position += 4
        return v
    }

    mutating func u64(_ field: String) throws(SimilarityError) -> UInt64 {
        try need(8, field)
        var v: UInt64 = 0
        for s in 0..<8 { v |= UInt64(bytes[position + s]) << UInt64(8 * s) }
        position += 8
        return v
    }

    mutating func raw(_ n: Int, _ field: String) throws(SimilarityError) -> [UInt8] {
        try need(n, field)
        defer { position += n }
        return Array(bytes[position..<(position + n)])
    }

    /// `byteCount` bytes as little-endian 64-bit words (the last word zero-padded).
    mutating func words(byteCount: Int, _ field: String) throws(SimilarityError) -> [UInt64] {
        try need(byteCount, field)
        var out = [UInt64](repeating: 0, count: (byteCount + 7) / 8)
        var p = position
        for i in 0..<out.count {
            let take = min(8, position + byteCount - p)
            var w: UInt64 = 0
            for s in 0..<take { w |= UInt64(bytes[p + s]) << UInt64(8 * s) }
            out[i] = w
            p += take
        }
        position += byteCount
        return out
    }

    /// Fails unless every byte has been consumed.
    func expectEnd(_ field: String) throws(SimilarityError) {
        guard remaining == 0 else {
            throw .malformedMessage(field: field, message: "\(remaining) unexpected trailing bytes")
        }
    }
}
