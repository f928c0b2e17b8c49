/// A WordPiece vocabulary (`vocab.txt`: one token a line, the line number is the id), looked up by UTF-8
/// bytes without allocating: an open-addressing hash table over one contiguous byte buffer. Tokens compare
/// byte for byte (not by Swift's canonical string equivalence), as the reference tokenizer compares them.
struct WordPieceVocabulary: Sendable {
    static let continuingPrefix: [UInt8] = Array("##".utf8)
    /// Most tokens and bytes accepted from a vocabulary file.
    static let maxTokens = 1 << 20
    static let maxTokenBytes = 1 << 10

    private let bytes: [UInt8]
    private let starts: [Int32]
    private let slots: [Int32]
    private let mask: Int
    var count: Int { starts.count - 1 }

    /// Parses `vocab.txt`: lines split at LF, a trailing CR and trailing spaces dropped; a token listed twice
    /// keeps its last line (as the reference does).
    init(text: UnsafeRawBufferPointer, path: String) throws(SentenceModelError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var starts: [Int32] = [0]
        var i = 0
        while i < text.count {
            var end = i
            while end < text.count && text[end] != 0x0A { end += 1 }
            var e = end
            while e > i && (text[e - 1] == 0x0D || text[e - 1] == 0x20 || text[e - 1] == 0x09) { e -= 1 }
            guard e - i <= Self.maxTokenBytes else { throw .format(path: path, message: "line \(starts.count): token longer than \(Self.maxTokenBytes) bytes") }
            if end < text.count || e > i {
                bytes.append(contentsOf: text[i..<e])
                starts.append(Int32(bytes.count))
            }
            guard starts.count <= Self.maxTokens else { throw .format(path: path, message: "more than \(Self.maxTokens) tokens") }
            i = end + 1
        }
        guard starts.count > 1 else { throw .format(path: path, message: "no tokens") }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .format(path: path, message: "not UTF-8") }
        var size = 16
        while size < 2 * (starts.count - 1) { size <<= 1 }
        var slots = [Int32](repeating: -1, count: size)
        let mask = size - 1
        bytes.withUnsafeBufferPointer { all in
            for id in 0..<(starts.count - 1) {
                let token = UnsafeBufferPointer(rebasing: all[Int(starts[id])..<Int(starts[id + 1])])
                var h = Self.hash(UnsafeBufferPointer(start: nil, count: 0), token) & mask
                while slots[h] >= 0 {
                    let other = Int(slots[h])
                    if all[Int(starts[other])..<Int(starts[other + 1])].elementsEqual(token) { break }
                    h = (h + 1) & mask
                }
                slots[h] = Int32(id)   // a later duplicate replaces the earlier id
            }
        }
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
        self.mask = mask
    }

    /// FNV-1a over prefix ‖ key.
    @inline(__always)
    private static func hash(_ prefix: UnsafeBufferPointer<UInt8>, _ key: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in prefix { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The id of `key`, or of "##" ‖ `key` when `continuing`.
    func id(of key: UnsafeBufferPointer<UInt8>, continuing: Bool) -> Int32? {
        Self.continuingPrefix.withUnsafeBufferPointer { hashes in
            let prefix = continuing ? hashes : UnsafeBufferPointer(start: nil, count: 0)
            return bytes.withUnsafeBufferPointer { all -> Int32? in
                var h = Self.hash(prefix, key) & mask
                let length = prefix.count + key.count
                while true {
                    let id = Int(slots[h])
                    if id < 0 { return nil }
                    let s = Int(starts[id]), e = Int(starts[id + 1])
                    if e - s == length
                        && all[s..<(s + prefix.count)].elementsEqual(prefix)
                        && all[(s + prefix.count)..<e].elementsEqual(key) {
                        return Int32(id)
                    }
                    h = (h + 1) & mask
                }
            }
        }
    }

    func id(of token: String) -> Int32? {
        let utf8 = Array(token.utf8)
        return utf8.withUnsafeBufferPointer { id(of: $0, continuing: false) }
    }

    /// The token with this id (for diagnostics).
    func token(_ id: Int) -> String {
        guard id >= 0 && id < count else { return "" }
        return String(decoding: bytes[Int(starts[id])..<Int(starts[id + 1])], as: UTF8.self)
    }
}
