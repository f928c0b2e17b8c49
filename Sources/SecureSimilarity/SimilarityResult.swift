/// The outcome of a session at one party: every inner product of one of its own vectors (rows)
/// with one of the peer's vectors (columns).
public struct SimilarityResult: Sendable, Equatable {
    /// f of the encoding.
    public let fractionBits: Int
    /// z_ij = Σ_k x_ik·y_jk exactly (scale 2^(2f)); rows: this party's vectors, columns: the peer's.
    public let fixedPoint: [[Int64]]

    public init(fractionBits: Int, fixedPoint: [[Int64]]) {
        self.fractionBits = fractionBits
        self.fixedPoint = fixedPoint
    }

    /// Number of this party's vectors.
    public var rows: Int { fixedPoint.count }
    /// Number of the peer's vectors.
    public var columns: Int { fixedPoint.first?.count ?? 0 }

    /// cos_ij ≈ z_ij / 2^(2f).
    public var similarities: [[Double]] {
        fixedPoint.map { row in row.map { FixedPoint.decode($0, fractionBits: fractionBits) } }
    }

    /// The same matrix seen from the peer: rows and columns swapped.
    public func transposed() -> SimilarityResult {
        guard rows > 0 else { return self }
        var t = [[Int64]](repeating: [Int64](repeating: 0, count: rows), count: columns)
        for i in 0..<rows { for j in 0..<columns { t[j][i] = fixedPoint[i][j] } }
        return SimilarityResult(fractionBits: fractionBits, fixedPoint: t)
    }

    /// For each row, the column with the largest similarity (first one on ties).
    public var bestMatches: [(row: Int, column: Int, similarity: Double)] {
        similarities.enumerated().compactMap { i, row in
            guard let j = row.indices.max(by: { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }) else { return nil }
            return (i, j, row[j])
        }
    }
}
