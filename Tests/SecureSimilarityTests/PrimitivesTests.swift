import Testing
@testable import SecureSimilarity

@Suite struct PrimitivesTests {
    static func bit(_ w: [UInt64], _ i: Int) -> Bool { (w[i >> 6] >> UInt64(i & 63)) & 1 == 1 }

    @Test func transpose64MatchesNaive() {
        var rng = SplitMix64(seed: 5)
        let a = (0..<64).map { _ in rng.next() }
        var t = a
        BitMatrix.transpose64(&t)
        for r in 0..<64 { for c in 0..<64 {
            #expect(((t[r] >> UInt64(c)) & 1) == ((a[c] >> UInt64(r)) & 1))
        } }
        BitMatrix.transpose64(&t)
        #expect(t == a)
    }

    @Test(arguments: [1, 63, 64, 65, 200, 1000])
    func transposeColumnsMatchesNaive(_ n: Int) {
        var rng = SplitMix64(seed: UInt64(n))
        let wpc = IKNPExtension.wordsPerColumn(n)
        let cols = (0..<(128 * wpc)).map { _ in rng.next() }
        let rows = BitMatrix.transposeColumns(cols, wordsPerColumn: wpc, rowCount: n)
        #expect(rows.count == 2 * n)
        var ok = true
        for m in 0..<n { for c in 0..<128 {
            let fromRow = (rows[2 * m + c / 64] >> UInt64(c % 64)) & 1 == 1
            let fromCol = Self.bit(Array(cols[(c * wpc)..<((c + 1) * wpc)]), m)
            if fromRow != fromCol { ok = false }
        } }
        #expect(ok)
    }

    @Test func bitPackerRoundTrip() {
        var rng = SplitMix64(seed: 11)
        var values: [(UInt64, Int)] = []
        var packer = BitPacker(capacityBits: 0)
        for _ in 0..<5000 {
            let width = Int(rng.next() % 64) + 1
            let v = width == 64 ? rng.next() : rng.next() & ((1 << UInt64(width)) - 1)
            values.append((v, width))
            packer.append(v, width: width)
        }
        let total = values.reduce(0) { $0 + $1.1 }
        #expect(packer.bitCount == total)
        let words = packer.finished()
        #expect(words.count == (total + 63) / 64)
        var reader = BitUnpacker(words: words)
        var ok = true
        for (v, w) in values where reader.next(width: w) != v { ok = false }
        #expect(ok)
    }

    static func domain() throws -> SessionDomain {
        SessionDomain(version: 1, sessionID: SessionID.random(), initiatorNonce: Sodium.randomBytes(16),
                      responderNonce: Sodium.randomBytes(16), parameters: try SimilarityParameters(dimension: 8),
                      senderCount: 1, receiverCount: 1)
    }

    @Test func chouOrlandiKeysAgree() throws {
        try Sodium.ensureInitialised()
        let d = try Self.domain()
        let sender = try ChouOrlandiOT.Sender()
        let choices = (0..<128).map { $0 % 3 == 0 }
        let (points, keys) = try ChouOrlandiOT.receive(senderPoint: sender.point, choices: choices, domain: d)
        let (k0, k1) = try sender.keys(points: points, domain: d)
        for i in 0..<128 {
            #expect(keys[i] == (choices[i] ? k1[i] : k0[i]))
            #expect(keys[i] != (choices[i] ? k0[i] : k1[i]))
        }
        #expect(Set(points).count == 128)
    }

    @Test func chouOrlandiRejectsBadPoints() throws {
        try Sodium.ensureInitialised()
        let d = try Self.domain()
        let identity = [UInt8](repeating: 0, count: 32)
        let nonCanonical = [UInt8](repeating: 0xFF, count: 32)
        for bad in [identity, nonCanonical, [UInt8](repeating: 1, count: 31)] {
            #expect(throws: SimilarityError.self) {
                try ChouOrlandiOT.receive(senderPoint: bad, choices: [Bool](repeating: false, count: 128), domain: d)
            }
        }
        let sender = try ChouOrlandiOT.Sender()
        var points = (0..<128).map { _ in Sodium.baseMultiply(Sodium.scalarRandom())! }
        points[7] = nonCanonical
        #expect(throws: SimilarityError.self) { try sender.keys(points: points, domain: d) }
        points[7] = identity
        #expect(throws: SimilarityError.self) { try sender.keys(points: points, domain: d) }
        points[7] = sender.point   // R − S = identity
        #expect(throws: SimilarityError.self) { try sender.keys(points: points, domain: d) }
    }

    /// IKNP invariant: Q_m = T_m ⊕ r_m·s for every extended OT.
    @Test func iknpCorrelation() throws {
        try Sodium.ensureInitialised()
        let d = try Self.domain()
        let n = 777
        var rng = SplitMix64(seed: 3)
        var r = (0..<IKNPExtension.wordsPerColumn(n)).map { _ in rng.next() }
        r[r.count - 1] &= IKNPExtension.lastWordMask(n)
        let sender = try ChouOrlandiOT.Sender()
        let s = (0..<128).map { _ in rng.next() & 1 == 1 }
        let (points, keys) = try ChouOrlandiOT.receive(senderPoint: sender.point, choices: s, domain: d)
        let (k0, k1) = try sender.keys(points: points, domain: d)
        let (u, t) = IKNPExtension.receiver(k0: k0, k1: k1, choices: r, range: 0..<n, domain: d)
        let q = IKNPExtension.sender(keys: keys, choices: s, u: u, range: 0..<n, domain: d)
        // a later chunk (starting at a 512-OT block) reproduces the same rows
        let (u2, t2) = IKNPExtension.receiver(k0: k0, k1: k1, choices: r, range: 512..<n, domain: d)
        let q2 = IKNPExtension.sender(keys: keys, choices: s, u: u2, range: 512..<n, domain: d)
        #expect(t2 == Array(t[(2 * 512)...]) && q2 == Array(q[(2 * 512)...]))
        var sLo: UInt64 = 0, sHi: UInt64 = 0
        for i in 0..<64 where s[i] { sLo |= 1 << UInt64(i) }
        for i in 0..<64 where s[64 + i] { sHi |= 1 << UInt64(i) }
        var ok = true
        for m in 0..<n {
            let rm: UInt64 = Self.bit(r, m) ? ~0 : 0
            if q[2 * m] != t[2 * m] ^ (rm & sLo) || q[2 * m + 1] != t[2 * m + 1] ^ (rm & sHi) { ok = false }
        }
        #expect(ok)
        // the receiver's rows are not the sender's (s ≠ 0 and some r_m = 1)
        #expect(q != t)
    }

    @Test func tweakedHashIsDomainSeparated() throws {
        let d1 = try Self.domain(), d2 = try Self.domain()
        var a = [UInt64](repeating: 0, count: 12), b = a, c = a
        d1.hash(index: 5, lo: 1, hi: 2, into: &a, count: 12)
        d1.hash(index: 6, lo: 1, hi: 2, into: &b, count: 12)
        d2.hash(index: 5, lo: 1, hi: 2, into: &c, count: 12)
        #expect(a != b && a != c)
        var a2 = [UInt64](repeating: 0, count: 12)
        d1.hash(index: 5, lo: 1, hi: 2, into: &a2, count: 12)
        #expect(a == a2)
        var short = [UInt64](repeating: 0, count: 3)
        d1.hash(index: 5, lo: 1, hi: 2, into: &short, count: 3)
        #expect(short.allSatisfy { $0 != 0 })
    }
}
