import Foundation
import HTTPServer

/// Expansions as `<data>/primes/decimal/M<p>.txt.gz`, one gzip file each, written atomically.
struct LocalExpansionStore: ExpansionStore {
    let directory: URL

    func open(exponent: UInt64, digits: Int) throws -> CachedExpansion? {
        let file = directory.appendingPathComponent("M\(exponent).txt.gz")
        guard let compressed = try? Data(contentsOf: file) else { return nil }
        return Cached(file: file, exponent: exponent, digits: digits, compressed: Array(compressed))
    }

    func writer(exponent: UInt64, digits: Int) throws -> ExpansionWriter {
        Writer(file: directory.appendingPathComponent("M\(exponent).txt.gz"), directory: directory)
    }

    final class Cached: CachedExpansion, @unchecked Sendable {
        let file: URL
        let exponent: UInt64
        let compressed: [UInt8]
        private var expanded: [UInt8]?
        let digits: Int

        init(file: URL, exponent: UInt64, digits: Int, compressed: [UInt8]) {
            self.file = file
            self.exponent = exponent
            self.digits = digits
            self.compressed = compressed
        }

        var compressedBytes: Int { compressed.count }

        func prepareDigits() throws {
            guard let d = GzipStream.gunzip(compressed, maxOutput: digits + 1), d.count == digits else {
                try? FileManager.default.removeItem(at: file)
                throw APIError.internalError("the cached expansion of M\(exponent) was damaged and has been removed; ask again")
            }
            expanded = d
        }

        func writeGzip(_ sink: ([UInt8]) throws -> Void) throws { try sink(compressed) }

        func writeDigits(_ range: ClosedRange<Int>, _ sink: ([UInt8]) throws -> Void) throws {
            if expanded == nil { try prepareDigits() }
            guard let d = expanded else { return }
            var offset = range.lowerBound
            while offset <= range.upperBound {
                let end = min(offset + (1 << 20), range.upperBound + 1)
                try sink(Array(d[offset..<end]))
                offset = end
            }
        }
    }

    final class Writer: ExpansionWriter {
        let file: URL
        let directory: URL
        let gzip = GzipStream(level: 6)
        var compressed: [UInt8] = []

        init(file: URL, directory: URL) {
            self.file = file
            self.directory = directory
        }

        func append(_ digits: [UInt8]) throws { compressed.append(contentsOf: gzip.compress(digits, flush: false)) }

        func finish() throws -> Int {
            compressed.append(contentsOf: gzip.finish())
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try AtomicFile.write(compressed, to: file)
            return compressed.count
        }
    }
}
