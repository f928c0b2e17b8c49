import Testing
@testable import SecureSimilarity

@Suite struct TransportFaultTests {
    /// Flips one bit of the initiator's k-th message on its way to the responder.
    struct Corrupting<Inner: BlockingPeerTransport>: BlockingPeerTransport {
        var inner: Inner
        let target: Int
        var count = 0
        mutating func exchange(_ message: [UInt8]) throws(SimilarityError) -> [UInt8] {
            var m = message
            if count == target { m[m.count - 1] ^= 1 }
            count += 1
            return try inner.exchange(m)
        }
    }

    /// Whatever the initiator sends gets corrupted, both ends fail: the responder detects it and
    /// its abort reaches the initiator, even for the final message.
    @Test(arguments: 0..<4)
    func corruptionFailsBothEnds(_ target: Int) throws {
        var (initiator, responder, _, _) = try TestData.parties(p: 3, q: 2, n: 20, seed: 9)
        let pair = InMemoryTransportPair.serving(responder)
        var transport = Corrupting(inner: pair.end, target: target)
        #expect(throws: SimilarityError.self) {
            _ = try SimilaritySession.run(&initiator, over: &transport)
        }
        #expect(pair.finish().phase == .failed)
    }
}
