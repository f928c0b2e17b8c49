import Foundation
import Testing
@testable import SecureSimilarity

/// `SimilaritySession.run`, the blocking driver the Service runs on its session threads, with the
/// responder served on a second thread through `InMemoryTransportPair`.
@Suite struct TransportTests {
    @Test func sessionRunsOnTwoThreadsWithProgress() throws {
        var (initiator, responder, a, b) = try TestData.parties(p: 1, q: 3, n: 300, seed: 21)
        let pair = InMemoryTransportPair.serving(responder)
        var transport = pair.end
        var reports: [(Int, Int)] = []
        let result = try SimilaritySession.run(&initiator, over: &transport, progress: { reports.append(($0, $1)) })
        let remote = pair.finish()
        #expect(pair.ranOnTwoThreads)
        #expect(result.fixedPoint == TestData.plaintext(a, b, f: 16))
        #expect(remote.phase == .done)
        #expect(remote.result == result.transposed())
        // the initiator (1 vector) is the OT receiver here; it reports progress on the shares step
        #expect(!initiator.isOTSender && remote.isOTSender)
        #expect(reports.last.map { $0.0 == $0.1 } == true)
        let recorded = pair.recorded
        #expect(recorded.count == 6)
        #expect(initiator.bytesSent == remote.bytesReceived && initiator.bytesReceived == remote.bytesSent)
        #expect(initiator.messagesSent == 3 && remote.messagesSent == 3 && initiator.messagesReceived == 3)
        #expect(initiator.bytesSent + initiator.bytesReceived == recorded.reduce(0) { $0 + $1.1.count })
    }

    /// The in-process transport of the `loopback` peer carries the same conversation.
    @Test func loopbackTransportMatchesTheTwoThreadRun() throws {
        var (initiator, responder, a, b) = try TestData.parties(p: 2, q: 2, n: 64, seed: 22)
        var transport = LoopbackTransport(responder: responder, recording: true)
        let result = try SimilaritySession.run(&initiator, over: &transport)
        #expect(result.fixedPoint == TestData.plaintext(a, b, f: 16))
        #expect(transport.responder.phase == .done && transport.responder.result == result.transposed())
        #expect(transport.recorded.count == initiator.messagesSent + transport.responder.messagesSent)
        #expect(initiator.bytesSent + initiator.bytesReceived == transport.recorded.reduce(0) { $0 + $1.1.count })
    }

    @Test func cancellationFailsBothEnds() throws {
        var (initiator, responder, _, _) = try TestData.parties(p: 2, q: 1, n: 600, seed: 2)
        let pair = InMemoryTransportPair.serving(responder)
        var transport = pair.end
        var calls = 0
        #expect {
            _ = try SimilaritySession.run(&initiator, over: &transport, isCancelled: { calls += 1; return calls > 2 })
        } throws: {
            if case .cancelled = $0 as? SimilarityError { return true } else { return false }
        }
        #expect(initiator.phase == .failed)
        let remote = pair.finish()
        #expect(remote.phase == .failed)
        if case .peerAborted = remote.error {} else { Issue.record("responder did not get the abort: \(String(describing: remote.error))") }
    }

    struct FailingTransport: BlockingPeerTransport {
        func exchange(_ message: [UInt8]) throws(SimilarityError) -> [UInt8] {
            throw .transport(field: "peer", message: "the peer could not be reached")
        }
    }

    struct SilentTransport: BlockingPeerTransport {
        func exchange(_ message: [UInt8]) throws(SimilarityError) -> [UInt8] { [] }
    }

    @Test func transportFailuresAreTyped() throws {
        var rng = SplitMix64(seed: 3)
        let params = try SimilarityParameters(dimension: 8)
        var a = try SimilarityParty(role: .initiator, sessionID: .random(), parameters: params, vectors: TestData.unitVectors(1, 8, &rng))
        var failing = FailingTransport()
        #expect {
            _ = try SimilaritySession.run(&a, over: &failing)
        } throws: {
            if case .transport = $0 as? SimilarityError { return true } else { return false }
        }
        #expect(a.phase == .failed)
        var b = try SimilarityParty(role: .initiator, sessionID: .random(), parameters: params, vectors: TestData.unitVectors(1, 8, &rng))
        var silent = SilentTransport()
        #expect {
            _ = try SimilaritySession.run(&b, over: &silent)
        } throws: {
            guard case .transport(_, let message) = $0 as? SimilarityError else { return false }
            return message.contains("no message")
        }
        #expect(b.phase == .failed)
    }

    /// A peer slower than the transport's deadline fails the session instead of hanging it.
    @Test func slowPeerFailsAtTheDeadline() throws {
        var (initiator, responder, _, _) = try TestData.parties(p: 1, q: 1, n: 8, seed: 5)
        let pair = InMemoryTransportPair.serving(responder, timeout: 0.2, delay: 1)
        var transport = pair.end
        let started = Date()
        #expect {
            _ = try SimilaritySession.run(&initiator, over: &transport)
        } throws: {
            guard case .transport(_, let message) = $0 as? SimilarityError else { return false }
            return message.contains("no answer")
        }
        #expect(Date().timeIntervalSince(started) < 0.9)
        #expect(initiator.phase == .failed)
        _ = pair.finish()
    }

    @Test func onlyTheInitiatorDrives() throws {
        var rng = SplitMix64(seed: 6)
        var responder = try SimilarityParty(role: .responder, sessionID: .random(), parameters: try SimilarityParameters(dimension: 8),
                                            vectors: TestData.unitVectors(1, 8, &rng))
        var silent = SilentTransport()
        #expect { _ = try SimilaritySession.run(&responder, over: &silent) } throws: { ($0 as? SimilarityError)?.field == "role" }
    }

    @Test func responderMismatchReachesTheInitiator() throws {
        var (initiator, responder, _, _) = try TestData.parties(
            p: 1, q: 1, n: 8, responderParameters: try SimilarityParameters(dimension: 8, fractionBits: 12), seed: 4)
        let pair = InMemoryTransportPair.serving(responder)
        var transport = pair.end
        #expect {
            _ = try SimilaritySession.run(&initiator, over: &transport)
        } throws: {
            guard case .peerAborted(let field, _) = $0 as? SimilarityError else { return false }
            return field == "hello.fractionBits"
        }
        #expect(pair.finish().error?.field == "hello.fractionBits")
    }
}
