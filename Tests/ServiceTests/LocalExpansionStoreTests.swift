import Foundation
import HTTPServer
import Testing
@testable import Service

/// The data directory's expansion files: one gzip document each, readable by range piece by piece, so a
/// Range request inflates only the pieces it covers, never the whole expansion.
@Suite struct LocalExpansionStoreTests {
    static let per = LocalExpansionStore.chunkDigits

    /// A folder, an expansion of `count` random digits written in uneven appends, and the store.
    static func stored(_ count: Int) throws -> (LocalExpansionStore, [UInt8], URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-expansions-\(UUID().uuidString)")
        let store = LocalExpansionStore(directory: directory)
        var g = SystemRandomNumberGenerator()
        let digits = (0..<count).map { _ in UInt8(48 + Int.random(in: 0...9, using: &g)) }
        let w = try store.writer(exponent: 7, digits: count)
        var offset = 0
        while offset < count {
            let take = min(count - offset, Int.random(in: 1...700_000, using: &g))
            try w.append(Array(digits[offset..<(offset + take)]))
            offset += take
        }
        _ = try w.finish()
        return (store, digits, directory)
    }

    static func read(_ cached: CachedExpansion, _ range: ClosedRange<Int>) throws -> [UInt8] {
        var out: [UInt8] = []
        try cached.writeDigits(range) { out += $0 }
        return out
    }

    @Test(arguments: [1_000, 3 * per, 3 * per + 524_289])
    func rangesAndTheWholeDocumentReadBack(count: Int) throws {
        let (store, digits, directory) = try Self.stored(count)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("M7.txt.gz")
        let bytes = Array(try Data(contentsOf: file))
        #expect(GzipStream.gunzip(bytes) == digits, "still one gzip document of every digit")
        let cached = try #require(try store.open(exponent: 7, digits: count))
        var whole: [UInt8] = []
        try cached.writeGzip { whole += $0 }
        #expect(whole == bytes && cached.compressedBytes == bytes.count)
        var ranges: [ClosedRange<Int>] = [0...9, (count - 50)...(count - 1), 0...(count - 1), (count / 2)...(count / 2)]
        if count > Self.per + 5 { ranges.append((Self.per - 5)...(Self.per + 5)) }   // across a piece boundary
        for r in ranges { #expect(try Self.read(cached, r) == Array(digits[r]), "\(r)") }
    }

    @Test func aRangeInflatesOnlyThePiecesItCovers() throws {
        let count = 3 * Self.per + 1000
        let (store, digits, directory) = try Self.stored(count)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("M7.txt.gz")
        let offsets = try #require(try store.open(exponent: 7, digits: count) as? LocalExpansionStore.Cached).offsets ?? []
        #expect(offsets.count == 4)
        // Damage the middle of the first piece: ranges in later pieces never touch it.
        var bytes = Array(try Data(contentsOf: file))
        for i in (offsets[0] + 100)..<(offsets[0] + 400) { bytes[i] ^= 0x5A }
        try Data(bytes).write(to: file)
        let cached = try #require(try store.open(exponent: 7, digits: count))
        let late = (2 * Self.per + 10)...(3 * Self.per + 20)
        #expect(try Self.read(cached, late) == Array(digits[late]), "pieces 2 and 3 read without inflating piece 0")
        #expect(throws: APIError.self, "the damaged piece is reported") { try Self.read(cached, 5...15) }
        #expect(!FileManager.default.fileExists(atPath: file.path), "and the damaged copy removed")
    }

    @Test func aFileWithoutAUsableIndexIsInflatedWhole() throws {
        let count = 2 * Self.per + 77
        let (store, digits, directory) = try Self.stored(count)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("M7.txt.gz")
        let index = LocalExpansionStore.indexFile(file)
        // An expansion written before the index existed: one gzip stream with no flush points.
        try Data(GzipStream.gzip(digits)).write(to: file)
        for garbage in [nil, [UInt8](repeating: 1, count: 24)] as [[UInt8]?] {
            if let garbage { try Data(garbage).write(to: index) } else { try FileManager.default.removeItem(at: index) }
            let cached = try #require(try store.open(exponent: 7, digits: count))
            #expect((cached as? LocalExpansionStore.Cached)?.offsets == nil, "an index that does not fit the file is ignored")
            let r = (Self.per - 3)...(Self.per + 3)
            #expect(try Self.read(cached, r) == Array(digits[r]))
        }
        // A length that does not match the document is damage, found before any digit is sent.
        try? FileManager.default.removeItem(at: index)
        let (store2, _, directory2) = try Self.stored(count)
        defer { try? FileManager.default.removeItem(at: directory2) }
        let wrong = try #require(try store2.open(exponent: 7, digits: count + 1))
        #expect(throws: APIError.self) { try wrong.prepareDigits() }
    }
}
