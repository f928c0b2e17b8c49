import Foundation
import Testing
@testable import SecureSimilarity

@Suite struct WireRobustnessTests {
    /// Runs a conversation, letting `mutate` alter message number k before delivery.
    static func run(
        _ i: inout SimilarityParty, _ r: inout SimilarityParty, mutateAt k: Int, _ mutate: ([UInt8]) -> [UInt8]
    ) -> SimilarityError? {
        do {
            var message: [UInt8]? = try i.start()
            var index = 0
            var toResponder = true
            while let m0 = message {
                let m = index == k ? mutate(m0) : m0
                message = toResponder ? try r.receive(m) : try i.receive(m)
                toResponder.toggle()
                index += 1
            }
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [(2, 1, 16, RingMode.compact), (1, 3, 16, .full), (4, 4, 8, .compact), (5, 2, 30, .full)])
    func messageSizesAreExact(_ config: (Int, Int, Int, RingMode)) throws {
        let (p, q, f, ring) = config
        let n = 37
        var rng = SplitMix64(seed: 8)
        let a = TestData.unitVectors(p, n, &rng), b = TestData.unitVectors(q, n, &rng)
        let context: [UInt8] = Array("encoder:hashing-256".utf8)
        let (ini, _, messages) = try TestData.session(a, b, f: f, ring: ring, context: context)
        let sender = max(p, q) == p && p >= q ? p : q        // the side with more vectors (initiator on ties)
        let receiver = p * q / sender
        let w = f + 2, l = ring == .full ? 64 : 2 * f + 3
        let ots = receiver * n * w
        let dBits = n * p * q * (w * l - w * (w - 1) / 2)
        let h = ProtocolMessage.headerBytes
        var expected: [Int] = [h + 63 + context.count]
        if ini.isOTSender {
            expected += [h + 24 + 32, h + 4096]
        } else {
            expected += [h + 24 + 4096]
        }
        expected += [h + 128 * ((ots + 7) / 8), h + 8 * p * q + (dBits + 7) / 8 + 32, h + 8 * p * q + 32, h + 32]
        #expect(messages.map { $0.1.count } == expected)
        #expect(messages.count == (ini.isOTSender ? 7 : 6))
        // alternate strictly, starting with the initiator
        for (k, m) in messages.enumerated() {
            #expect(m.0 == (k % 2 == 0 ? .initiatorToResponder : .responderToInitiator))
            #expect(try ProtocolMessage.parseHeader(m.1).sequence == UInt32(k))
        }
    }

    @Test func totalBytesWithinFivePercentOfFormula() throws {
        var rng = SplitMix64(seed: 2)
        let n = 384, f = 16
        let a = TestData.unitVectors(2, n, &rng), b = TestData.unitVectors(1, n, &rng)
        for ring in RingMode.allCases {
            let (_, _, messages) = try TestData.session(a, b, f: f, ring: ring)
            let w = f + 2, l = ring == .full ? 64 : 2 * f + 3
            let formulaBits = 256 + 128 * 256 + 128 * n * 1 * w + n * 2 * (w * l - w * (w - 1) / 2) + 2 * 64 * 2
            let total = messages.reduce(0) { $0 + $1.1.count }
            #expect(abs(Double(total) / Double(formulaBits / 8) - 1) < 0.05)
        }
    }

    /// No message carries an input coordinate in the clear: neither its fixed-point value nor its
    /// IEEE-754 double, as 8 little-endian bytes. The search itself is checked on a planted copy.
    @Test(arguments: [(2, 1), (1, 2)])
    func noCoordinateInTheClear(_ counts: (Int, Int)) throws {
        var rng = SplitMix64(seed: 77)
        let n = 256, f = 16
        let a = TestData.unitVectors(counts.0, n, &rng), b = TestData.unitVectors(counts.1, n, &rng)
        let (_, _, messages) = try TestData.session(a, b, f: f, ring: .full)
        var patterns = Set<[UInt8]>()
        func le(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> UInt64(8 * $0)) } }
        for v in a + b {
            for x in v {
                let fx = FixedPoint.encode(x, fractionBits: f)
                if abs(fx) >= 256 { patterns.insert(le(UInt64(bitPattern: fx))) }
                patterns.insert(le(x.bitPattern))
            }
        }
        func contains(_ hay: [UInt8], _ needles: Set<[UInt8]>) -> Bool {
            guard hay.count >= 8 else { return false }
            for s in 0...(hay.count - 8) where needles.contains(Array(hay[s..<(s + 8)])) { return true }
            return false
        }
        for (_, m) in messages { #expect(!contains(m, patterns)) }
        // negative control: a planted coordinate is found
        let planted = messages[3].1 + le(UInt64(bitPattern: FixedPoint.encode(a[0][0], fractionBits: f)))
        #expect(contains(planted, patterns))
    }

    /// Bit flips, truncations and extensions of any message fail the session with a typed error;
    /// any party that still completes has the correct result.
    @Test func fuzzedMessagesAreRejected() throws {
        var rng = SplitMix64(seed: 12)
        for messageIndex in 0..<7 {
            for trial in 0..<5 {
                var (i, r, a, b) = try TestData.parties(p: 2, q: 1, n: 12, seed: UInt64(trial))
                let pick = rng.next()
                let error = Self.run(&i, &r, mutateAt: messageIndex) { m in
                    var m = m
                    switch trial {
                    case 0: m.removeLast(Int(pick % UInt64(min(m.count, 40))) + 1)            // truncated
                    case 1: m += [UInt8](repeating: UInt8(pick & 0xFF), count: Int(pick % 9) + 1)   // extended
                    case 2: m = Array(m.prefix(Int(pick % UInt64(ProtocolMessage.headerBytes))))    // header cut
                    default:
                        let bit = Int(pick % UInt64(8 * m.count))
                        m[bit / 8] ^= 1 << UInt8(bit % 8)                                          // one bit flipped
                    }
                    return m
                }
                #expect(error != nil, "message \(messageIndex) trial \(trial) was accepted")
                #expect(i.phase == .failed || r.phase == .failed)
                let expected = TestData.plaintext(a, b, f: 16)
                if i.phase == .done { #expect(i.result?.fixedPoint == expected) }
                if r.phase == .done { #expect(r.result?.fixedPoint == expected.transposedMatrix()) }
            }
        }
    }

    @Test func randomGarbageIsRejectedCleanly() throws {
        var rng = SplitMix64(seed: 5)
        for len in [0, 1, 27, 28, 29, 100, 5000] {
            var (_, r, _, _) = try TestData.parties()
            let garbage = (0..<len).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(throws: SimilarityError.self) { try r.receive(garbage) }
            #expect(r.phase == .failed)
            #expect(throws: SimilarityError.self) { try r.receive(garbage) }
        }
    }

    @Test func replayedOutOfOrderAndForeignMessagesAreRejected() throws {
        var (i, r, _, _) = try TestData.parties()
        let m0 = try i.start()
        let m1 = try #require(try r.receive(m0))
        // replay of the hello
        var r2 = r
        #expect { try r2.receive(m0) } throws: {
            guard case .unexpectedMessage(let field, let message) = $0 as? SimilarityError else { return false }
            return field == "message.sequence" && message.contains("replayed")
        }
        let m2 = try #require(try i.receive(m1))
        // the initiator gets its own message back (sequence 2 while expecting 3): out of order
        var i2 = i
        #expect { try i2.receive(m2) } throws: {
            guard case .unexpectedMessage(let field, _) = $0 as? SimilarityError else { return false }
            return field == "message.sequence"
        }
        // a message of another session
        var foreign = m2
        foreign[8] ^= 1
        var r3 = r
        #expect { try r3.receive(foreign) } throws: { ($0 as? SimilarityError)?.field == "message.sessionId" }
        // a future message (sequence 4 while expecting 2)
        var future = m2
        future[4] = 4
        var r4 = r
        #expect { try r4.receive(future) } throws: {
            guard case .unexpectedMessage(_, let message) = $0 as? SimilarityError else { return false }
            return message.contains("out-of-order")
        }
        // wrong type at the right sequence
        var wrongType = m2
        wrongType[3] = MessageType.finish.rawValue
        var r5 = r
        #expect { try r5.receive(wrongType) } throws: { ($0 as? SimilarityError)?.field == "message.type" }
        // unknown version, magic, type
        for (offset, value) in [(2, UInt8(9)), (0, UInt8(0)), (3, UInt8(99))] {
            var bad = m2
            bad[offset] = value
            var rr = r
            #expect { try rr.receive(bad) } throws: {
                if case .malformedMessage = $0 as? SimilarityError { return true } else { return false }
            }
        }
        // the untouched conversation still completes
        var next: [UInt8]? = try r.receive(m2)
        var toInitiator = true
        while let m = next {
            next = toInitiator ? try i.receive(m) : try r.receive(m)
            toInitiator.toggle()
        }
        #expect(i.phase == .done && r.phase == .done)
        #expect(throws: SimilarityError.self) { try r.receive(m2) }   // after the end
    }

    @Test func oversizedMessagesAreRejected() throws {
        var (i, r, _, _) = try TestData.parties(limits: SimilarityLimits(maxMessageBytes: 1 << 20))
        let m0 = try i.start()
        let huge = m0 + [UInt8](repeating: 0, count: 1 << 20)
        #expect { try r.receive(huge) } throws: {
            guard case .malformedMessage(_, let message) = $0 as? SimilarityError else { return false }
            return message.contains("oversized")
        }
    }

    @Test func parameterMismatchesFailAtTheHello() throws {
        let mismatches: [(SimilarityParameters, String)] = [
            (try SimilarityParameters(dimension: 17), "hello.dimension"),
            (try SimilarityParameters(dimension: 16, fractionBits: 20), "hello.fractionBits"),
            (try SimilarityParameters(dimension: 16, ring: .full), "hello.ring"),
            (try SimilarityParameters(dimension: 16, context: [1, 2, 3]), "hello.context"),
        ]
        for (params, field) in mismatches {
            var rng = SplitMix64(seed: 1)
            let sid = SessionID.random()
            var i = try SimilarityParty(role: .initiator, sessionID: sid, parameters: try SimilarityParameters(dimension: 16),
                                        vectors: TestData.unitVectors(1, 16, &rng))
            var r = try SimilarityParty(role: .responder, sessionID: sid, parameters: params,
                                        vectors: TestData.unitVectors(1, params.dimension, &rng))
            let hello = try i.start()
            #expect { try r.receive(hello) } throws: {
                guard case .parameterMismatch(let f, _) = $0 as? SimilarityError else { return false }
                return f == field
            }
            // the responder's abort reaches the initiator as a typed error naming the field
            let abort = try #require(r.abortMessage())
            #expect { try i.receive(abort) } throws: {
                guard case .peerAborted(let f, let message) = $0 as? SimilarityError else { return false }
                return f == field && message.contains("differ")
            }
            #expect(i.phase == .failed)
        }
    }

    @Test func limitsAreEnforced() throws {
        var rng = SplitMix64(seed: 1)
        let params = try SimilarityParameters(dimension: 8)
        let sid = SessionID.random()
        let limits = SimilarityLimits(maxVectorsPerSide: 4, maxProducts: 6)
        #expect { try SimilarityParty(role: .initiator, sessionID: sid, parameters: params,
                                      vectors: TestData.unitVectors(5, 8, &rng), limits: limits) } throws: {
            ($0 as? SimilarityError)?.field == "vectors"
        }
        var i = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params, vectors: TestData.unitVectors(3, 8, &rng))
        var r = try SimilarityParty(role: .responder, sessionID: sid, parameters: params,
                                    vectors: TestData.unitVectors(3, 8, &rng), limits: limits)
        #expect { try r.receive(try i.start()) } throws: { ($0 as? SimilarityError)?.field == "hello.count" }
        // message-size limit
        var i2 = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params, vectors: TestData.unitVectors(3, 8, &rng))
        var r2 = try SimilarityParty(role: .responder, sessionID: sid, parameters: params,
                                     vectors: TestData.unitVectors(3, 8, &rng), limits: SimilarityLimits(maxMessageBytes: 2000))
        #expect { try r2.receive(try i2.start()) } throws: {
            guard case .parameterMismatch(_, let m) = $0 as? SimilarityError else { return false }
            return m.contains("limit")
        }
        #expect { try SimilarityParty(role: .initiator, sessionID: sid, parameters: try SimilarityParameters(dimension: 9000),
                                      vectors: [[1] + [Double](repeating: 0, count: 8999)]) } throws: {
            ($0 as? SimilarityError)?.field == "dimension"
        }
    }

    @Test func onlyAnIdleInitiatorStarts() throws {
        var (i, r, _, _) = try TestData.parties()
        #expect(throws: SimilarityError.self) { try r.start() }
        _ = try i.start()
        #expect(throws: SimilarityError.self) { try i.start() }
        var (i2, _, _, _) = try TestData.parties()
        #expect(throws: SimilarityError.self) { try i2.receive([1, 2, 3]) }
    }
}
