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
