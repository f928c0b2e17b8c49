import Foundation

/// BERT's uncased WordPiece tokenizer, as the Hugging Face `tokenizers` package runs it for
/// all-MiniLM-L6-v2 (`tokenizer.json`: BertNormalizer with lower case, Chinese characters split and accents
/// stripped; BertPreTokenizer; WordPiece with "##" continuations and `[UNK]` beyond 100 characters).
///
/// 1. The special tokens `[PAD]` `[UNK]` `[CLS]` `[SEP]` `[MASK]` written in the raw text are tokens of their own;
///    the text between them is tokenized separately.
/// 2. Clean: NUL, U+FFFD and control/format/private-use characters are removed; whitespace becomes a space.
/// 3. CJK ideographs get a space on each side.
/// 4. NFD, then nonspacing marks are removed (accents stripped).
/// 5. Lower case (each scalar's full lowercase mapping, no context).
/// 6. Split at whitespace; every punctuation character is a word of its own.
/// 7. WordPiece: greedy longest match from the left, continuations prefixed "##"; a word longer than 100
///    characters, or with a part that matches nothing, is one `[UNK]`.
///
/// The character classes of steps 2, 4 and 6 are the reference's own (`BertUnicodeTables`), so characters
/// that Unicode assigned after the reference's tables behave as they do there.
///
/// ```swift
/// let tokenizer = try BertTokenizer(vocabularyFile: "model/vocab.txt")
/// let t = tokenizer.encode("Hello, world!", maxTokens: 256)   // ids [101, 7592, 1010, 2088, 999, 102]
/// ```
public struct BertTokenizer: Sendable {
    public static let maxInputCharactersPerWord = 100
    public static let specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    /// A tokenized text: `[CLS]`, at most `maxTokens − 2` word pieces, `[SEP]`.
    public struct Encoding: Sendable, Equatable {
        public let ids: [Int32]
        /// Word pieces of the whole text (special tokens around it not counted), before truncation.
        public let pieces: Int
        public var truncated: Bool { pieces > ids.count - 2 }
    }

    let vocabulary: WordPieceVocabulary
    public let clsID: Int32, sepID: Int32, unkID: Int32, padID: Int32
    /// The special tokens present in the vocabulary, as scalars, with their ids.
    private let specials: [(scalars: [UInt32], id: Int32)]
    public var vocabularySize: Int { vocabulary.count }

    public init(vocabularyFile path: String) throws(SentenceModelError) {
        let file = try MappedFile(path: path, maxBytes: 64 << 20)
        try self.init(vocabulary: WordPieceVocabulary(text: file.bytes, path: path), path: path)
    }

    init(vocabulary: WordPieceVocabulary, path: String) throws(SentenceModelError) {
        self.vocabulary = vocabulary
        func required(_ token: String) throws(SentenceModelError) -> Int32 {
            guard let id = vocabulary.id(of: token) else { throw .format(path: path, message: "the vocabulary has no \(token)") }
            return id
        }
        clsID = try required("[CLS]")
        sepID = try required("[SEP]")
        unkID = try required("[UNK]")
        padID = try required("[PAD]")
        specials = Self.specialTokens.compactMap { t in vocabulary.id(of: t).map { (t.unicodeScalars.map(\.value), $0) } }
    }

    /// `[CLS]` + the text's word pieces (the first `maxTokens − 2`) + `[SEP]`.
    public func encode(_ text: String, maxTokens: Int) -> Encoding {
        let pieces = wordPieces(text)
        let keep = min(pieces.count, max(0, maxTokens - 2))
        return Encoding(ids: [clsID] + pieces[0..<keep] + [sepID], pieces: pieces.count)
    }

    /// Every word piece of `text`, untruncated, without `[CLS]`/`[SEP]` around it.
    public func wordPieces(_ text: String) -> [Int32] {
        let scalars = text.unicodeScalars.map(\.value)
        var out: [Int32] = []
        var segmentStart = 0
        var i = 0
        while i < scalars.count {
            if scalars[i] == 0x5B, let (length, id) = special(at: i, in: scalars) {
                tokenize(scalars[segmentStart..<i], into: &out)
                out.append(id)
                i += length
                segmentStart = i
            } else {
                i += 1
            }
        }
        tokenize(scalars[segmentStart..<scalars.count], into: &out)
        return out
    }

    private func special(at i: Int, in s: [UInt32]) -> (Int, Int32)? {
        for (token, id) in specials where i + token.count <= s.count {
            if s[i..<(i + token.count)].elementsEqual(token) { return (token.count, id) }
        }
        return nil
    }

    // MARK: normaliser and pre-tokeniser

    @inline(__always)
    static func contains(_ table: [ClosedRange<UInt32>], _ v: UInt32) -> Bool {
        var lo = 0, hi = table.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if table[mid].upperBound < v { lo = mid + 1 } else { hi = mid }
        }
        return lo < table.count && table[lo].contains(v)
    }

    /// The CJK ideograph blocks BERT puts spaces around.
    @inline(__always)
    static func isChinese(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B920...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }

    @inline(__always)
    static func isPunctuation(_ v: UInt32) -> Bool {
        if v < 0x80 { return (0x21...0x2F).contains(v) || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v) || (0x7B...0x7E).contains(v) }
        return contains(BertUnicodeTables.punctuation, v)
    }

    /// Steps 2–5 on one segment of text.
    static func normalise(_ segment: ArraySlice<UInt32>) -> [UInt32] {
        var cleaned: [UInt32] = []
        cleaned.reserveCapacity(segment.count + 8)
        var ascii = true
        for v in segment {
            if v < 0x80 {
                if v == 0x09 || v == 0x0A || v == 0x0D { cleaned.append(0x20); continue }
                if v < 0x20 || v == 0x7F { continue }
                cleaned.append(v)
                continue
            }
            if contains(BertUnicodeTables.removed, v) { continue }
            if contains(BertUnicodeTables.whitespace, v) { cleaned.append(0x20); continue }
            ascii = false
            if isChinese(v) { cleaned.append(0x20); cleaned.append(v); cleaned.append(0x20) } else { cleaned.append(v) }
        }
        if ascii {
            for i in cleaned.indices where cleaned[i] >= 0x41 && cleaned[i] <= 0x5A { cleaned[i] += 0x20 }
            return cleaned
        }
        var text = String.UnicodeScalarView()
        for v in cleaned { text.append(Unicode.Scalar(v)!) }
        var out: [UInt32] = []
        out.reserveCapacity(cleaned.count)
        for s in String(text).decomposedStringWithCanonicalMapping.unicodeScalars {
            let v = s.value
            if v < 0x80 {
                out.append(v >= 0x41 && v <= 0x5A ? v + 0x20 : v)
            } else if contains(BertUnicodeTables.nonspacing, v) {
                continue
            } else if s.properties.changesWhenLowercased {
                for l in s.properties.lowercaseMapping.unicodeScalars { out.append(l.value) }
            } else {
                out.append(v)
            }
        }
        return out
    }

    /// Steps 2–7 on one segment, appending the ids.
    private func tokenize(_ segment: ArraySlice<UInt32>, into out: inout [Int32]) {
        guard !segment.isEmpty else { return }
        let text = Self.normalise(segment)
        var wordStart = 0
        var i = 0
        while i < text.count {
            let v = text[i]
            if v == 0x20 || (v >= 0x80 && Self.contains(BertUnicodeTables.whitespace, v)) {
                wordPiece(text[wordStart..<i], into: &out)
                wordStart = i + 1
            } else if Self.isPunctuation(v) {
                wordPiece(text[wordStart..<i], into: &out)
                wordPiece(text[i...i], into: &out)
                wordStart = i + 1
            }
            i += 1
        }
        wordPiece(text[wordStart..<text.count], into: &out)
    }

    // MARK: WordPiece

    private func wordPiece(_ word: ArraySlice<UInt32>, into out: inout [Int32]) {
        guard !word.isEmpty else { return }
        guard word.count <= Self.maxInputCharactersPerWord else { out.append(unkID); return }
        // UTF-8 bytes of the word and the byte offset where each character starts
        var utf8: [UInt8] = []
        utf8.reserveCapacity(word.count * 4)
        var boundaries: [Int] = []
        boundaries.reserveCapacity(word.count + 1)
        for v in word {
            boundaries.append(utf8.count)
            UTF8.encode(Unicode.Scalar(v)!) { utf8.append($0) }
        }
        boundaries.append(utf8.count)
        let mark = out.count
        let ok = utf8.withUnsafeBufferPointer { bytes -> Bool in
            var start = 0   // index into boundaries
            while start < word.count {
                var end = word.count
                var found: Int32?
                while end > start {
                    let piece = UnsafeBufferPointer(rebasing: bytes[boundaries[start]..<boundaries[end]])
                    if let id = vocabulary.id(of: piece, continuing: start > 0) { found = id; break }
                    end -= 1
                }
                guard let id = found else { return false }
                out.append(id)
                start = end
            }
            return true
        }
        if !ok {
            out.removeSubrange(mark...)
            out.append(unkID)
        }
    }
}
