import Foundation
import Testing
@testable import SecureSimilarity

/// The secure result must equal the plaintext fixed-point inner products bit for bit.
@Suite struct ProtocolExactnessTests {
    /// A sample of the grid n ∈ [1, 4096], p×q ∈ [1×1, 32×32], f ∈ [8, 30], both rings, both
    /// role assignments (initiator with more, fewer and as many vectors).
    static let grid: [(n: Int, p: Int, q: Int, f: Int, ring: RingMode)] = [
        (1, 1, 1, 8, .compact), (1, 1, 1, 30, .full), (2, 3, 1, 16, .full), (7, 1, 4, 12, .compact),
        (64, 2, 2, 16, .compact), (65, 5, 3, 20, .full), (100, 32, 1, 16, .compact), (33, 1, 32, 24, .compact),
        (5, 32, 32, 16, .compact), (3, 32, 32, 30, .full), (384, 2, 1, 16, .compact), (384, 2, 1, 16, .full),
        (129, 9, 10, 8, .full), (4096, 2, 1, 16, .compact), (1000, 1, 3, 30, .compact), (2048, 1, 1, 9, .full),
    ]

    @Test(arguments: 0..<grid.count)
    func equalsPlaintextFixedPoint(_ index: Int) throws {
        let (n, p, q, f, ring) = Self.grid[index]
        var rng = SplitMix64(seed: UInt64(1000 + index))
        let a = TestData.unitVectors(p, n, &rng)
        let b = TestData.unitVectors(q, n, &rng)
        let (ini, res, _) = try TestData.session(a, b, f: f, ring: ring)
        let expected = TestData.plaintext(a, b, f: f)
        #expect(ini.phase == .done && res.phase == .done)
        #expect(ini.result?.fixedPoint == expected)
        #expect(res.result?.fixedPoint == TestData.plaintext(b, a, f: f))
        #expect(ini.isOTSender == (q <= p) && res.isOTSender == (q > p))
    }
}
