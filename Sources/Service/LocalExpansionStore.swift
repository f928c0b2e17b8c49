import Foundation
import HTTPServer

/// Expansions as `<data>/primes/decimal/M<p>.txt.gz`, one gzip file each, written atomically, beside an index
/// `M<p>.txt.gz.idx`. The gzip stream is fully flushed after every `chunkDigits` digits (as the database store
/// does), so each piece starts on a byte boundary with no history behind it and inflates on its own; the index
/// holds where each piece starts in the file. A range of digits thus reads and inflates only the pieces it
/// covers, and the gzip document is sent from the file piece by piece: no request holds a whole expansion.
/// A file without a valid index (written before the index existed) is inflated whole, as it always was.
struct LocalExpansionStore: ExpansionStore {
    let directory: URL
    /// Digits per independently inflatable piece.
    static let chunkDigits = 1 << 20
    /// Pieces of the gzip document sent at a time.
    static let readBytes = 1 << 20

    func open(exponent: UInt64, digits: Int) throws -> CachedExpansion? {
        let file = directory.appendingPathComponent("M\(exponent).txt.gz")
        // The handle keeps reading the file it opened even if a new copy is renamed over it.
        guard let handle = try? FileHandle(forReadingFrom: file) else { return nil }
        guard let size = try? handle.seekToEnd(), size > UInt64(GzipStream.headerBytes + 8) else {
            try? handle.close()
            return nil
        }
        let index = (try? Data(contentsOf: Self.indexFile(file))).flatMap { Self.offsets(Array($0), digits: digits, size: Int(size)) }
        return Cached(file: file, handle: handle, exponent: exponent, digits: digits, size: Int(size), offsets: index)
    }

    func writer(exponent: UInt64, digits: Int) throws -> ExpansionWriter {
        Writer(file: directory.appendingPathComponent("M\(exponent).txt.gz"), directory: directory)
    }

    static func indexFile(_ file: URL) -> URL { file.appendingPathExtension("idx") }

    /// The pieces' start offsets from an index file (little-endian UInt64s), nil unless it fits the expansion:
    /// one piece per `chunkDigits` digits, the first right after the gzip header, increasing, inside the file.
    static func offsets(_ bytes: [UInt8], digits: Int, size: Int) -> [Int]? {
        let pieces = max(1, (digits + chunkDigits - 1) / chunkDigits)
        guard bytes.count == pieces * 8 else { return nil }
        let offsets = (0..<pieces).map { i in (0..<8).reduce(0) { $0 | Int(bytes[i * 8 + $1]) << (8 * $1) } }
        guard offsets[0] == GzipStream.headerBytes,
              zip(offsets, offsets.dropFirst()).allSatisfy({ $0 < $1 }), offsets.last! < size - 8 else { return nil }
        return offsets
    }

    final class Cached: CachedExpansion, @unchecked Sendable {
        let file: URL
        let exponent: UInt64
        let digits: Int
        let size: Int
        /// Where each piece starts in the file; nil: no usable index, inflate the whole file.
        let offsets: [Int]?
        private let handle: FileHandle
        private let lock = NSLock()
        private var expanded: [UInt8]?

        init(file: URL, handle: FileHandle, exponent: UInt64, digits: Int, size: Int, offsets: [Int]?) {
            self.file = file
            self.handle = handle
            self.exponent = exponent
            self.digits = digits
            self.size = size
            self.offsets = offsets
        }

        deinit { try? handle.close() }

        var compressedBytes: Int { size }

        private func damaged() -> APIError {
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(at: LocalExpansionStore.indexFile(file))
            return APIError.internalError("the cached expansion of M\(exponent) was damaged and has been removed; ask again")
        }

        private func read(_ offset: Int, _ count: Int) throws -> [UInt8] {
            lock.lock()
            defer { lock.unlock() }
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: count) ?? Data()
            guard data.count == count else { throw damaged() }
            return Array(data)
        }

        /// With an index: the gzip trailer's length (ISIZE, the digit count mod 2³²) must match, and the
        /// pieces are checked as they are inflated. Without one: the whole file is inflated and checked.
        func prepareDigits() throws {
            if offsets != nil {
                let trailer = try read(size - 4, 4)
                let isize = trailer.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
                guard isize == digits & 0xFFFF_FFFF else { throw damaged() }
                return
            }
            if expanded != nil { return }
            guard let d = GzipStream.gunzip(try read(0, size), maxOutput: digits + 1), d.count == digits else { throw damaged() }
            expanded = d
        }

        func writeGzip(_ sink: ([UInt8]) throws -> Void) throws {
            var offset = 0
            while offset < size {
                let count = min(LocalExpansionStore.readBytes, size - offset)
                try sink(try read(offset, count))
                offset += count
            }
        }

        func writeDigits(_ range: ClosedRange<Int>, _ sink: ([UInt8]) throws -> Void) throws {
            try prepareDigits()
            guard let offsets else {
                guard let d = expanded else { return }
                var offset = range.lowerBound
                while offset <= range.upperBound {
                    let end = min(offset + (1 << 20), range.upperBound + 1)
                    try sink(Array(d[offset..<end]))
                    offset = end
                }
                return
            }
            let per = LocalExpansionStore.chunkDigits
            let first = range.lowerBound / per, last = min(offsets.count - 1, range.upperBound / per)
            guard first <= last else { return }
            for piece in first...last {
                let end = piece + 1 < offsets.count ? offsets[piece + 1] : size
                let expected = min(per, digits - piece * per)
                guard let plain = GzipStream.inflateRaw(try read(offsets[piece], end - offsets[piece]), maxOutput: per),
                      plain.count == expected else { throw damaged() }
                let start = piece * per
                let lo = max(range.lowerBound, start) - start, hi = min(range.upperBound, start + plain.count - 1) - start
                if lo <= hi { try sink(Array(plain[lo...hi])) }
            }
        }
    }

    final class Writer: ExpansionWriter {
        let file: URL
        let directory: URL
        let gzip = GzipStream(level: 6)
        var compressed: [UInt8] = []
        var pieces = DigitPieces(size: LocalExpansionStore.chunkDigits)
        /// Where each piece starts in `compressed`.
        var offsets: [Int] = []

        init(file: URL, directory: URL) {
            self.file = file
            self.directory = directory
        }

        func append(_ digits: [UInt8]) throws {
            pieces.append(digits) { piece in
                // The first output carries the gzip header, which is not part of the first piece.
                offsets.append(offsets.isEmpty ? GzipStream.headerBytes : compressed.count)
                compressed.append(contentsOf: gzip.compressFullFlush(piece))
            }
        }

        func finish() throws -> Int {
            let rest = pieces.takeRest()
            // The last piece (or, when the digits filled whole pieces, only the stream's end, which belongs to the last).
            if !rest.isEmpty || offsets.isEmpty { offsets.append(offsets.isEmpty ? GzipStream.headerBytes : compressed.count) }
            compressed.append(contentsOf: gzip.compress(rest, flush: false) + gzip.finish())
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // The index first: a reader that finds a new file with an old index rejects the index (it checks the
            // offsets against the file) and inflates the whole file instead.
            var index: [UInt8] = []
            for o in offsets { for b in 0..<8 { index.append(UInt8(truncatingIfNeeded: o >> (8 * b))) } }
            try AtomicFile.write(index, to: LocalExpansionStore.indexFile(file))
            try AtomicFile.write(compressed, to: file)
            return compressed.count
        }
    }
}
