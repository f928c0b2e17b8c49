import Foundation
import Testing
@testable import SecureSimilarity

@Suite struct ProtocolAccuracyTests {
    /// |secure − float cosine| ≤ 1e−4 at f = 16, for zero-mean vectors (where clipping negative
    /// coordinates to zero, as the seed post did, fails badly).
    @Test func zeroMeanVectorsAtF16() throws {
        var rng = SplitMix64(seed: 99)
        let n = 384
        let a = TestData.unitVectors(8, n, &rng)
        let b = TestData.correlated(to: Array(a.prefix(5)), noise: 0.005, &rng)
        let (ini, _, _) = try TestData.session(a, b, f: 16)
        let sims = ini.result!.similarities
        var worst = 0.0, worstClipped = 0.0
        for i in 0..<a.count {
            for j in 0..<b.count {
                let exact = TestData.cosine(a[i], b[j])
                worst = max(worst, abs(sims[i][j] - exact))
                // what clipping to [0, 1] would have produced
                let ca = TestData.normalised(a[i].map { max(0, $0) }), cb = TestData.normalised(b[j].map { max(0, $0) })
                worstClipped = max(worstClipped, abs(TestData.cosine(ca, cb) - exact))
            }
        }
        #expect(worst <= 1e-4)
        #expect(worstClipped > 0.1)   // the failure mode this encoding avoids
        // highly correlated pairs come out near 1, unrelated near 0
        for j in 0..<5 { #expect(sims[j][j] > 0.98) }
    }

    /// Shares are fresh randomness: equal inputs give different messages, equal results.
    @Test func sharesAreRandomised() throws {
        var rng = SplitMix64(seed: 4)
        let a = TestData.unitVectors(2, 32, &rng), b = TestData.unitVectors(1, 32, &rng)
        let run1 = try TestData.session(a, b, f: 16)
        let run2 = try TestData.session(a, b, f: 16)
        #expect(run1.initiator.result == run2.initiator.result)
        for k in 1..<run1.messages.count {
            #expect(Array(run1.messages[k].1.dropFirst(ProtocolMessage.headerBytes)) !=
                    Array(run2.messages[k].1.dropFirst(ProtocolMessage.headerBytes)))
        }
    }

    @Test func resultHelpers() throws {
        let r = SimilarityResult(fractionBits: 8, fixedPoint: [[65536, -32768, 0], [0, 0, 16384]])
        #expect(r.similarities == [[1, -0.5, 0], [0, 0, 0.25]])
        #expect(r.transposed().fixedPoint == [[65536, 0], [-32768, 0], [0, 16384]])
        let best = r.bestMatches
        #expect(best.count == 2 && best[0].column == 0 && best[1].column == 2 && best[1].similarity == 0.25)
    }
}
