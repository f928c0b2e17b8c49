import Testing
@testable import SecureSimilarity

/// Sessions whose OT extension streams in many chunks.
@Suite struct ChunkedSessionTests {
    static func run(
        p: Int, q: Int, n: Int, f: Int, ring: RingMode, initiatorChunk: Int, responderChunk: Int, seed: UInt64
    ) throws -> (SimilarityParty, SimilarityParty, [[UInt8]], [[Double]], [[Double]]) {
        var rng = SplitMix64(seed: seed)
        let a = TestData.unitVectors(p, n, &rng), b = TestData.unitVectors(q, n, &rng)
        let params = try SimilarityParameters(dimension: n, fractionBits: f, ring: ring)
        let sid = SessionID.random()
        var i = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params, vectors: a,
                                    limits: SimilarityLimits(chunkBytes: initiatorChunk))
        var r = try SimilarityParty(role: .responder, sessionID: sid, parameters: params, vectors: b,
                                    limits: SimilarityLimits(chunkBytes: responderChunk))
        var log: [[UInt8]] = []
        try SimilaritySession.runInProcess(initiator: &i, responder: &r) { log.append($1) }
        return (i, r, log, a, b)
    }

    @Test(arguments: [(3, 2, 100, 16, RingMode.compact), (1, 4, 129, 12, .full), (5, 5, 40, 30, .compact), (2, 1, 1000, 8, .full)])
    func chunkedEqualsPlaintext(_ c: (Int, Int, Int, Int, RingMode)) throws {
        let (p, q, n, f, ring) = c
        let (i, r, log, a, b) = try Self.run(p: p, q: q, n: n, f: f, ring: ring, initiatorChunk: 4096, responderChunk: 1 << 20, seed: 3)
        #expect(i.result?.fixedPoint == TestData.plaintext(a, b, f: f))
        #expect(r.result?.fixedPoint == TestData.plaintext(b, a, f: f))
        // the smaller preference (4 KiB) wins: 512-OT chunks
        let receiver = min(p, q), sender = max(p, q)
        let w = f + 2, l = ring == .full ? 64 : 2 * f + 3
        let ots = receiver * n * w
        let chunks = (ots + 511) / 512
        let types = log.map { MessageType(rawValue: $0[3])! }
        #expect(types.filter { $0 == .extensionMatrix }.count == chunks)
        #expect(types.filter { $0 == .correctionsChunk }.count == chunks - 1)
        // every message is small, and the total is the one-shot total plus 28 bytes per extra message
        #expect(log.allSatisfy { $0.count <= 28 + max(128 * 64, (512 * sender * l + 7) / 8 + 8 * p * q + 32) })
        let dBits = n * p * q * (w * l - w * (w - 1) / 2)
        let payload = 128 * ots / 8 + dBits / 8
        let total = log.reduce(0) { $0 + $1.count }
        let fixed = (63 + 28) + (24 + 28 + (i.isOTSender ? 32 : 4096)) + (i.isOTSender ? 4096 + 28 : 0)
            + 8 * p * q + 32 + 28 + 8 * p * q + 32 + 28 + 32 + 28
        #expect(total >= fixed + payload + 28 * (2 * chunks - 1))
        #expect(total <= fixed + payload + 28 * (2 * chunks - 1) + 2 * chunks * 128 + chunks)
    }

    @Test func progressCoversEveryOT() throws {
        var rng = SplitMix64(seed: 8)
        let n = 200
        let params = try SimilarityParameters(dimension: n)
        let sid = SessionID.random()
        let limits = SimilarityLimits(chunkBytes: 4096)
        var alice = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params,
                                        vectors: TestData.unitVectors(2, n, &rng), limits: limits)
        var bob = try SimilarityParty(role: .responder, sessionID: sid, parameters: params,
                                      vectors: TestData.unitVectors(1, n, &rng), limits: limits)
        var seen: [Int] = []
        var message: [UInt8]? = try alice.start()
        var toBob = true
        while let m = message {
            message = toBob ? try bob.receive(m) : try alice.receive(m, progress: { done, total in
                #expect(total == n * 18)
                seen.append(done)
            })
            toBob.toggle()
        }
        #expect(seen.first == 0 && seen.last == n * 18)
        #expect(seen == seen.sorted())
    }

    /// Corruption of any chunk is detected.
    @Test func corruptedChunkIsRejected() throws {
        var rng = SplitMix64(seed: 4)
        let n = 100
        let params = try SimilarityParameters(dimension: n)
        for target in [3, 4, 5, 6] {
            let sid = SessionID.random()
            let limits = SimilarityLimits(chunkBytes: 4096)
            var alice = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params,
                                            vectors: TestData.unitVectors(2, n, &rng), limits: limits)
            var bob = try SimilarityParty(role: .responder, sessionID: sid, parameters: params,
                                          vectors: TestData.unitVectors(1, n, &rng), limits: limits)
            let err = WireRobustnessTests.run(&alice, &bob, mutateAt: target) { m in
                var m = m
                m[m.count / 2] ^= 4
                return m
            }
            #expect(err != nil)
            #expect(alice.phase == .failed || bob.phase == .failed)
        }
    }
}
