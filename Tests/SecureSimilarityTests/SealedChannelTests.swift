import Testing
@testable import SecureSimilarity

@Suite struct SealedChannelTests {
    @Test func identityRoundTrip() throws {
        let id = IdentityKeyPair.generate()
        let restored = try IdentityKeyPair(serialized: id.serialized())
        #expect(restored.publicKey == id.publicKey)
        #expect(try IdentityKeyPair.parsePublicKey(id.publicKeyHex) == id.publicKey)
        #expect(try IdentityKeyPair.parsePublicKey(id.publicKeyHex.uppercased()) == id.publicKey)
        #expect(id.fingerprint.count == 39 && id.fingerprint.split(separator: ":").count == 8)
        #expect(id.fingerprint != IdentityKeyPair.generate().fingerprint)
        var corrupt = id.serialized()
        corrupt[40] ^= 1
        #expect(throws: SimilarityError.self) { try IdentityKeyPair(serialized: corrupt) }
        #expect(throws: SimilarityError.self) { try IdentityKeyPair(serialized: Array(id.serialized().prefix(60))) }
        #expect(throws: SimilarityError.self) { try IdentityKeyPair.parsePublicKey("abc") }
        #expect(throws: SimilarityError.self) { try IdentityKeyPair.parsePublicKey(String(repeating: "0", count: 64)) }
        #expect(throws: SimilarityError.self) { try IdentityKeyPair.parsePublicKey(String(repeating: "g", count: 64)) }
    }

    static func pair() throws -> (SealedChannel, SealedChannel, IdentityKeyPair, IdentityKeyPair) {
        let alice = IdentityKeyPair.generate(), bob = IdentityKeyPair.generate()
        let sid = SessionID.random()
        return (try SealedChannel(identity: alice, peerPublicKey: bob.publicKey, sessionID: sid),
                try SealedChannel(identity: bob, peerPublicKey: alice.publicKey, sessionID: sid), alice, bob)
    }

    @Test func conversationBothWays() throws {
        var (a, b, alice, _) = try Self.pair()
        for k in 0..<5 {
            let m = [UInt8](repeating: UInt8(k), count: 100 * k)
            let sealed = a.seal(m)
            #expect(sealed.count == m.count + SealedChannel.overheadBytes)
            #expect(try SealedChannel.envelope(of: sealed) ==
                    SealedChannel.Envelope(senderPublicKey: alice.publicKey, sessionID: a.sessionID, sequence: UInt64(k)))
            #expect(try b.open(sealed) == m)
            let reply = b.seal(m.reversed())
            #expect(try a.open(reply) == m.reversed())
        }
        // plaintext does not appear in the sealed bytes
        let secret = Array("the cat is always walking over my keyboard".utf8)
        let sealed = a.seal(secret)
        #expect(!sealed.indices.dropLast(secret.count - 1).contains { Array(sealed[$0..<($0 + secret.count)]) == secret })
        #expect(try b.open(sealed) == secret)
    }

    @Test func rejectsReplayReorderTamperAndStrangers() throws {
        var (a, b, _, bob) = try Self.pair()
        let m0 = a.seal([1, 2, 3]), m1 = a.seal([4, 5, 6])
        // reorder
        var b1 = b
        #expect { try b1.open(m1) } throws: {
            guard case .authenticationFailed(let f, let msg) = $0 as? SimilarityError else { return false }
            return f == "sealed.sequence" && msg.contains("out-of-order")
        }
        #expect(try b.open(m0) == [1, 2, 3])
        // replay
        #expect { try b.open(m0) } throws: {
            guard case .authenticationFailed(_, let msg) = $0 as? SimilarityError else { return false }
            return msg.contains("replayed")
        }
        // tamper with every region: header, ciphertext, tag
        for position in [5, 40, SealedChannel.headerBytes, m1.count - 1] {
            var t = m1
            t[position] ^= 0x20
            var bb = b
            #expect(throws: SimilarityError.self) { try bb.open(t) }
        }
        // an impostor with its own key, claiming to be Alice, cannot produce a valid message
        let mallory = IdentityKeyPair.generate()
        var m = try SealedChannel(identity: mallory, peerPublicKey: bob.publicKey, sessionID: a.sessionID)
        var forged = m.seal([7])
        #expect { try b.open(forged) } throws: { ($0 as? SimilarityError)?.field == "sealed.sender" }
        // … even when it writes Alice's public key into the header
        let alicePK = try SealedChannel.envelope(of: m1).senderPublicKey
        forged.replaceSubrange(4..<36, with: alicePK)
        forged[52] = 1
        #expect { try b.open(forged) } throws: { ($0 as? SimilarityError)?.field == "sealed" }
        #expect(try b.open(m1) == [4, 5, 6])
        #expect(throws: SimilarityError.self) { try b.open(Array(m1.prefix(20))) }
        #expect(throws: SimilarityError.self) { try SealedChannel(identity: bob, peerPublicKey: bob.publicKey, sessionID: .random()) }
    }

    @Test func sessionsAreIsolated() throws {
        let alice = IdentityKeyPair.generate(), bob = IdentityKeyPair.generate()
        var s1 = try SealedChannel(identity: alice, peerPublicKey: bob.publicKey, sessionID: .random())
        let sid2 = SessionID.random()
        var r2 = try SealedChannel(identity: bob, peerPublicKey: alice.publicKey, sessionID: sid2)
        var m = s1.seal([9, 9])
        #expect { try r2.open(m) } throws: { ($0 as? SimilarityError)?.field == "sealed.sessionId" }
        // relabelled with the other session id: authentication fails (sid is bound into the key and AD)
        m.replaceSubrange(36..<52, with: sid2.bytes)
        #expect { try r2.open(m) } throws: { ($0 as? SimilarityError)?.field == "sealed" }
    }
}

/// Sealed conversations over `SealedPeerTransport`, the responder's `SealedResponder` served on a
/// second thread through `InMemoryTransportPair`.
@Suite struct SealedTransportTests {
    @Test func sealedSessionEndToEnd() throws {
        let alice = IdentityKeyPair.generate(), bob = IdentityKeyPair.generate()
        let sid = SessionID.random()
        var rng = SplitMix64(seed: 31)
        let n = 64
        let a = TestData.unitVectors(2, n, &rng), b = TestData.unitVectors(1, n, &rng)
        let params = try SimilarityParameters(dimension: n)
        var initiator = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params, vectors: a)
        let pair = InMemoryTransportPair.serving(SealedResponder(
            channel: try SealedChannel(identity: bob, peerPublicKey: alice.publicKey, sessionID: sid),
            party: try SimilarityParty(role: .responder, sessionID: sid, parameters: params, vectors: b)))
        var transport = SealedPeerTransport(
            channel: try SealedChannel(identity: alice, peerPublicKey: bob.publicKey, sessionID: sid), carrier: pair.end)
        let result = try SimilaritySession.run(&initiator, over: &transport)
        #expect(result.fixedPoint == TestData.plaintext(a, b, f: 16))
        let remote = pair.finish().party
        #expect(remote.phase == .done && remote.result == result.transposed())
        // every captured message is sealed: the cleartext protocol magic never appears at the start
        let captured = pair.recorded.map(\.1)
        #expect(captured.count == 8)
        #expect(captured.allSatisfy { Array($0.prefix(3)) == Array("ISC".utf8) })
    }

    /// A responder that expects a one-byte header before each opened message, as the Service's peer endpoint does.
    struct HeaderedResponder: Sendable {
        var channel: SealedChannel
        var party: SimilarityParty
        var headers: [UInt8] = []
    }

    /// The header (the Service's message kind) travels inside the seal, before each message; replies carry none.
    @Test func headerTravelsInsideTheSeal() throws {
        let alice = IdentityKeyPair.generate(), bob = IdentityKeyPair.generate()
        let sid = SessionID.random()
        var rng = SplitMix64(seed: 32)
        let params = try SimilarityParameters(dimension: 16)
        let a = TestData.unitVectors(1, 16, &rng), b = TestData.unitVectors(2, 16, &rng)
        var initiator = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params, vectors: a)
        let responder = HeaderedResponder(
            channel: try SealedChannel(identity: bob, peerPublicKey: alice.publicKey, sessionID: sid),
            party: try SimilarityParty(role: .responder, sessionID: sid, parameters: params, vectors: b))
        let pair = InMemoryTransportPair(peer: responder) { r, sealed throws(SimilarityError) in
            let plain = try r.channel.open(sealed)
            r.headers.append(plain.first ?? 0)
            return r.channel.seal(try r.party.receive(Array(plain.dropFirst())) ?? [])
        }
        var transport = SealedPeerTransport(
            channel: try SealedChannel(identity: alice, peerPublicKey: bob.publicKey, sessionID: sid), carrier: pair.end, header: [7])
        let result = try SimilaritySession.run(&initiator, over: &transport)
        #expect(result.fixedPoint == TestData.plaintext(a, b, f: 16))
        let remote = pair.finish()
        #expect(remote.headers.count == initiator.messagesSent && remote.headers.allSatisfy { $0 == 7 })
        #expect(remote.party.phase == .done)
    }

    @Test func wrongKeyIsRefusedWithoutTouchingTheSession() throws {
        let alice = IdentityKeyPair.generate(), bob = IdentityKeyPair.generate(), mallory = IdentityKeyPair.generate()
        let sid = SessionID.random()
        var rng = SplitMix64(seed: 1)
        let params = try SimilarityParameters(dimension: 8)
        var responder = SealedResponder(
            channel: try SealedChannel(identity: bob, peerPublicKey: alice.publicKey, sessionID: sid),
            party: try SimilarityParty(role: .responder, sessionID: sid, parameters: params, vectors: TestData.unitVectors(1, 8, &rng)))
        var impostor = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params, vectors: TestData.unitVectors(1, 8, &rng))
        var malloryChannel = try SealedChannel(identity: mallory, peerPublicKey: bob.publicKey, sessionID: sid)
        #expect { try responder.handle(malloryChannel.seal(try impostor.start())) } throws: {
            if case .authenticationFailed = $0 as? SimilarityError { return true } else { return false }
        }
        #expect(responder.party.phase == .awaitingHello)
    }

    @Test func mismatchTravelsSealedToTheInitiator() throws {
        let alice = IdentityKeyPair.generate(), bob = IdentityKeyPair.generate()
        let sid = SessionID.random()
        var rng = SplitMix64(seed: 2)
        var initiator = try SimilarityParty(role: .initiator, sessionID: sid,
                                            parameters: try SimilarityParameters(dimension: 8, context: [1]),
                                            vectors: TestData.unitVectors(1, 8, &rng))
        let pair = InMemoryTransportPair.serving(SealedResponder(
            channel: try SealedChannel(identity: bob, peerPublicKey: alice.publicKey, sessionID: sid),
            party: try SimilarityParty(role: .responder, sessionID: sid,
                                       parameters: try SimilarityParameters(dimension: 8, context: [2]),
                                       vectors: TestData.unitVectors(1, 8, &rng))))
        var transport = SealedPeerTransport(
            channel: try SealedChannel(identity: alice, peerPublicKey: bob.publicKey, sessionID: sid), carrier: pair.end)
        #expect {
            _ = try SimilaritySession.run(&initiator, over: &transport)
        } throws: {
            guard case .peerAborted(let field, _) = $0 as? SimilarityError else { return false }
            return field == "hello.context"
        }
        #expect(initiator.phase == .failed)
        #expect(pair.finish().party.error?.field == "hello.context")
    }

    /// A responder that does not know the initiator's key refuses its first message: the session
    /// fails at the initiator with a transport error and the responder's party is untouched.
    @Test func unpinnedInitiatorIsRefused() throws {
        let alice = IdentityKeyPair.generate(), bob = IdentityKeyPair.generate(), mallory = IdentityKeyPair.generate()
        let sid = SessionID.random()
        var rng = SplitMix64(seed: 7)
        let params = try SimilarityParameters(dimension: 8)
        var impostor = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params, vectors: TestData.unitVectors(1, 8, &rng))
        let pair = InMemoryTransportPair.serving(SealedResponder(
            channel: try SealedChannel(identity: bob, peerPublicKey: alice.publicKey, sessionID: sid),
            party: try SimilarityParty(role: .responder, sessionID: sid, parameters: params, vectors: TestData.unitVectors(1, 8, &rng))))
        var transport = SealedPeerTransport(
            channel: try SealedChannel(identity: mallory, peerPublicKey: bob.publicKey, sessionID: sid), carrier: pair.end)
        #expect {
            _ = try SimilaritySession.run(&impostor, over: &transport)
        } throws: {
            if case .transport = $0 as? SimilarityError { return true } else { return false }
        }
        #expect(impostor.phase == .failed)
        #expect(pair.finish().party.phase == .awaitingHello)
    }
}
