import Foundation
import HTTPServer

/// Expansions in the shared database: one gzip stream with a full flush after every `chunkDigits`
/// digits, each flushed piece one row of `expansion_chunks`; the `expansions` row, inserted last,
/// makes it visible. The rows concatenated are the gzip document; any row inflates on its own
/// (raw deflate; row 0 starts with the 10-byte gzip header), so a range reads only its rows.
struct PostgresExpansionStore: ExpansionStore {
    let pool: PostgresPool
    static let chunkDigits = 1 << 20

    func open(exponent: UInt64, digits: Int) throws -> CachedExpansion? {
        let rows = try pool.run { c in
            try c.execute("SELECT digits, chunk_digits, chunks, compressed_bytes FROM expansions WHERE exponent = $1", [.text(String(exponent))])
        }
        guard rows.count == 1, let d = rows.int(0, 0), let per = rows.int(0, 1), let n = rows.int(0, 2), let bytes = rows.int(0, 3),
              d == digits, per > 0 else { return nil }
        return Cached(pool: pool, exponent: exponent, digits: d, chunkDigits: per, chunks: n, compressedBytes: bytes)
    }

    func writer(exponent: UInt64, digits: Int) throws -> ExpansionWriter {
        // Rows of an earlier attempt that never finished are removed first.
        try pool.run { c in
            try c.execute("""
                DELETE FROM expansion_chunks WHERE exponent = $1 AND NOT EXISTS (SELECT 1 FROM expansions WHERE exponent = $1)
                """, [.text(String(exponent))])
        }
        return Writer(pool: pool, exponent: exponent, digits: digits)
    }

    struct Cached: CachedExpansion {
        let pool: PostgresPool
        let exponent: UInt64
        let digits: Int
        let chunkDigits: Int
        let chunks: Int
        let compressedBytes: Int

        func prepareDigits() throws {}

        private func chunk(_ seq: Int) throws -> [UInt8] {
            let rows = try pool.run { c in
                try c.execute("SELECT data FROM expansion_chunks WHERE exponent = $1 AND seq = $2",
                              [.text(String(exponent)), .int(seq)], binaryResult: true)
            }
            guard rows.count == 1, let data = rows.bytes(0, 0) else {
                throw APIError.internalError("piece \(seq) of the stored expansion of M\(exponent) is missing")
            }
            return data
        }

        func writeGzip(_ sink: ([UInt8]) throws -> Void) throws {
            for seq in 0..<chunks { try sink(try chunk(seq)) }
        }

        func writeDigits(_ range: ClosedRange<Int>, _ sink: ([UInt8]) throws -> Void) throws {
            let first = range.lowerBound / chunkDigits, last = min(chunks - 1, range.upperBound / chunkDigits)
            guard first <= last else { return }
            for seq in first...last {
                var data = try chunk(seq)
                if seq == 0 { data.removeFirst(min(data.count, GzipStream.headerBytes)) }
                guard let plain = GzipStream.inflateRaw(data, maxOutput: chunkDigits) else {
                    throw APIError.internalError("piece \(seq) of the stored expansion of M\(exponent) is damaged")
                }
                let start = seq * chunkDigits
                let lo = max(range.lowerBound, start) - start, hi = min(range.upperBound, start + plain.count - 1) - start
                if lo <= hi { try sink(Array(plain[lo...hi])) }
            }
        }
    }

    final class Writer: ExpansionWriter {
        let pool: PostgresPool
        let exponent: UInt64
        let digits: Int
        let gzip = GzipStream(level: 6)
        var pieces = DigitPieces(size: PostgresExpansionStore.chunkDigits)
        var seq = 0
        var compressedBytes = 0

        init(pool: PostgresPool, exponent: UInt64, digits: Int) {
            self.pool = pool
            self.exponent = exponent
            self.digits = digits
        }

        private func insert(_ data: [UInt8]) throws {
            try pool.run { c in
                try c.execute("INSERT INTO expansion_chunks (exponent, seq, data) VALUES ($1, $2, $3::bytea)",
                              [.text(String(exponent)), .int(seq), .bytes(data)])
            }
            seq += 1
            compressedBytes += data.count
        }

        func append(_ digits: [UInt8]) throws {
            try pieces.append(digits) { try insert(gzip.compressFullFlush($0)) }
        }

        func finish() throws -> Int {
            try insert(gzip.compress(pieces.takeRest(), flush: false) + gzip.finish())
            let total = compressedBytes, count = seq
            try pool.run { c in
                try c.execute("""
                    INSERT INTO expansions (exponent, digits, chunk_digits, chunks, compressed_bytes) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (exponent) DO NOTHING
                    """, [.text(String(exponent)), .int(digits), .int(PostgresExpansionStore.chunkDigits), .int(count), .int(total)])
            }
            return total
        }
    }
}
