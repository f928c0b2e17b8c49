/// Bit-matrix transpose for the OT extension: 128 columns of N bits (one per base OT) become
/// N rows of 128 bits (one per extended OT).
///
/// Columns are stored column-major in one flat array, column c occupying words
/// `c·wordsPerColumn ..< (c+1)·wordsPerColumn`, bit r of the column at word r/64, bit r%64.
/// Rows come out as two words per row: row m = (rows[2m], rows[2m+1]) holding columns 0..63 and
/// 64..127, column c at bit c%64. The work is done in 64×64 blocks with the six-stage
/// swap network (each stage exchanges the off-diagonal j×j sub-blocks, j = 32, 16, …, 1), about
/// 6·32 word operations per block instead of 4096 bit operations.
enum BitMatrix {
    static let columns = 128

    /// Transposes one 64×64 block in place: afterwards a[r] bit c = (before) a[c] bit r.
    @inline(__always)
    static func transpose64(_ a: inout [UInt64]) {
        var j = 32
        var mask: UInt64 = 0x0000_0000_FFFF_FFFF
        while j != 0 {
            var k = 0
            let sj = UInt64(j)
            while k < 64 {
                // element (k+i, c) with c in the low j bits of each 2j group swaps with (k+j+i… )
                for i in k..<(k + j) {
                    let t = ((a[i] >> sj) ^ a[i + j]) & mask
                    a[i + j] ^= t
                    a[i] ^= t << sj
                }
                k += 2 * j
            }
            j >>= 1
            mask ^= mask << UInt64(j)
        }
    }

    /// Rows (two words each) of the 128 × rowCount bit matrix given as 128 columns.
    static func transposeColumns(_ columns: [UInt64], wordsPerColumn: Int, rowCount: Int) -> [UInt64] {
        precondition(columns.count == Self.columns * wordsPerColumn && rowCount <= 64 * wordsPerColumn)
        var rows = [UInt64](repeating: 0, count: 2 * rowCount)
        var block = [UInt64](repeating: 0, count: 64)
        for b in 0..<wordsPerColumn {
            let rowBase = 64 * b
            let rowsHere = min(64, rowCount - rowBase)
            if rowsHere <= 0 { break }
            for g in 0..<2 {
                for c in 0..<64 { block[c] = columns[(64 * g + c) * wordsPerColumn + b] }
                transpose64(&block)
                for r in 0..<rowsHere { rows[2 * (rowBase + r) + g] = block[r] }
            }
        }
        return rows
    }
}
