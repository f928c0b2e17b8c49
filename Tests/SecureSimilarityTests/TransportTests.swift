import Foundation
import Synchronization
import Testing
@testable import SecureSimilarity

@Suite struct TransportTests {
    @Test func loopbackSessionRunsWithProgress() async throws {
        var rng = SplitMix64(seed: 21)
        let n = 300
        let a = TestData.unitVectors(1, n, &rng), b = TestData.unitVectors(3, n, &rng)
        let params = try SimilarityParameters(dimension: n)
        let sid = SessionID.random()
        var initiator = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params, vectors: a)
        let responder = try SimilarityParty(role: .responder, sessionID: sid, parameters: params, vectors: b)
        let transport = LoopbackTransport(responder: responder, recording: true)
        var reports: [(Int, Int)] = []
        let result = try await SimilaritySession.run(&initiator, over: transport, progress: { reports.append(($0, $1)) })
        #expect(result.fixedPoint == TestData.plaintext(a, b, f: 16))
        let remote = await transport.responderParty
        #expect(remote.phase == .done)
        #expect(remote.result == result.transposed())
        // the initiator (1 vector) is the OT receiver here; it reports progress on the shares step
        #expect(!initiator.isOTSender && remote.isOTSender)
        #expect(reports.last.map { $0.0 == $0.1 } == true)
        let recorded = await transport.recorded
        #expect(recorded.count == 6)
        #expect(initiator.bytesSent == remote.bytesReceived && initiator.bytesReceived == remote.bytesSent)
        #expect(initiator.messagesSent == 3 && remote.messagesSent == 3 && initiator.messagesReceived == 3)
        #expect(initiator.bytesSent + initiator.bytesReceived == recorded.reduce(0) { $0 + $1.1.count })
    }

    @Test func cancellationFailsBothEnds() async throws {
        var rng = SplitMix64(seed: 2)
        let params = try SimilarityParameters(dimension: 600)
        let sid = SessionID.random()
        var initiator = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params,
                                            vectors: TestData.unitVectors(2, 600, &rng))
        let transport = LoopbackTransport(responder: try SimilarityParty(
            role: .responder, sessionID: sid, parameters: params, vectors: TestData.unitVectors(1, 600, &rng)))
        let calls = Mutex(0)
        await #expect {
            _ = try await SimilaritySession.run(&initiator, over: transport, isCancelled: {
                calls.withLock { $0 += 1; return $0 > 2 }
            })
        } throws: {
            if case .cancelled = $0 as? SimilarityError { return true } else { return false }
        }
        #expect(initiator.phase == .failed)
        let remote = await transport.responderParty
        #expect(remote.phase == .failed)
        if case .peerAborted = remote.error {} else { Issue.record("responder did not get the abort: \(String(describing: remote.error))") }
    }

    struct FailingTransport: PeerTransport {
        struct Down: Error {}
        func exchange(_ message: [UInt8]) async throws -> [UInt8] { throw Down() }
    }

    struct SilentTransport: PeerTransport {
        func exchange(_ message: [UInt8]) async throws -> [UInt8] { [] }
    }

    @Test func transportFailuresAreTyped() async throws {
        var rng = SplitMix64(seed: 3)
        let params = try SimilarityParameters(dimension: 8)
        var a = try SimilarityParty(role: .initiator, sessionID: .random(), parameters: params, vectors: TestData.unitVectors(1, 8, &rng))
        await #expect {
            _ = try await SimilaritySession.run(&a, over: FailingTransport())
        } throws: {
            if case .transport = $0 as? SimilarityError { return true } else { return false }
        }
        #expect(a.phase == .failed)
        var b = try SimilarityParty(role: .initiator, sessionID: .random(), parameters: params, vectors: TestData.unitVectors(1, 8, &rng))
        await #expect {
            _ = try await SimilaritySession.run(&b, over: SilentTransport())
        } throws: {
            if case .transport = $0 as? SimilarityError { return true } else { return false }
        }
        #expect(b.phase == .failed)
    }

    @Test func responderMismatchReachesTheInitiator() async throws {
        var rng = SplitMix64(seed: 4)
        let sid = SessionID.random()
        var initiator = try SimilarityParty(role: .initiator, sessionID: sid, parameters: try SimilarityParameters(dimension: 8),
                                            vectors: TestData.unitVectors(1, 8, &rng))
        let transport = LoopbackTransport(responder: try SimilarityParty(
            role: .responder, sessionID: sid, parameters: try SimilarityParameters(dimension: 8, fractionBits: 12),
            vectors: TestData.unitVectors(1, 8, &rng)))
        await #expect {
            _ = try await SimilaritySession.run(&initiator, over: transport)
        } throws: {
            guard case .peerAborted(let field, _) = $0 as? SimilarityError else { return false }
            return field == "hello.fractionBits"
        }
        let remote = await transport.responderParty
        #expect(remote.error?.field == "hello.fractionBits")
    }
}

@Suite struct TransportFaultTests {
    /// Flips one bit of the initiator's k-th message on its way to the loopback responder.
    actor Corrupting: PeerTransport {
        let inner: LoopbackTransport
        let target: Int
        var count = 0
        init(_ inner: LoopbackTransport, target: Int) { self.inner = inner; self.target = target }
        func exchange(_ message: [UInt8]) async throws -> [UInt8] {
            var m = message
            if count == target { m[m.count - 1] ^= 1 }
            count += 1
            return try await inner.exchange(m)
        }
    }

    /// Whatever the initiator sends gets corrupted, both ends fail: the responder detects it and
    /// its abort reaches the initiator, even for the final message.
    @Test(arguments: 0..<4)
    func corruptionFailsBothEnds(_ target: Int) async throws {
        var rng = SplitMix64(seed: 9)
        let params = try SimilarityParameters(dimension: 20)
        let sid = SessionID.random()
        var initiator = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params,
                                            vectors: TestData.unitVectors(3, 20, &rng))
        let loop = LoopbackTransport(responder: try SimilarityParty(
            role: .responder, sessionID: sid, parameters: params, vectors: TestData.unitVectors(2, 20, &rng)))
        await #expect(throws: SimilarityError.self) {
            _ = try await SimilaritySession.run(&initiator, over: Corrupting(loop, target: target))
        }
        let remote = await loop.responderParty
        #expect(remote.phase == .failed)
    }
}
