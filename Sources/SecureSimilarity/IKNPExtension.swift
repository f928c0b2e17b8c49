/// IKNP correlated-OT extension (κ = 128) from 128 base OTs with reversed roles.
///
/// Receiver (choice bits r ∈ {0,1}^N, base-OT keys k0_i, k1_i): t_i = G(k0_i),
/// u_i = t_i ⊕ G(k1_i) ⊕ r, sends the 128 columns u_i (16·N bytes) and keeps the rows T_m of
/// the matrix whose columns are t_i. Sender (base-OT choices s, keys k_{s_i}):
/// q_i = G(k_{s_i}) ⊕ s_i·u_i = t_i ⊕ s_i·r, so its rows satisfy Q_m = T_m ⊕ r_m·s.
/// Hashing H(m, Q_m) and H(m, Q_m ⊕ s) then gives the sender two pads of which the receiver
/// knows exactly the one selected by r_m.
enum IKNPExtension {
    static let kappa = 128

    /// Words per column for N OTs.
    static func wordsPerColumn(_ n: Int) -> Int { (n + 63) / 64 }

    /// Bytes per column on the wire.
    static func bytesPerColumn(_ n: Int) -> Int { (n + 7) / 8 }

    /// Mask of the valid bits in the last word of a column of N bits.
    static func lastWordMask(_ n: Int) -> UInt64 {
        let rem = n % 64
        return rem == 0 ? ~0 : (1 << UInt64(rem)) &- 1
    }

    /// OTs per ChaCha20 block (64 bytes): chunks of the extension start at multiples of this, so
    /// each chunk's PRG output is the keystream from block start/512 on.
    static let otsPerBlock = 512

    /// The receiver's columns u_i restricted to the OTs `range` (padding bits zero) and the rows
    /// T_m of those OTs. `choices` holds all N choice bits.
    static func receiver(
        k0: [[UInt8]], k1: [[UInt8]], choices r: [UInt64], range: Range<Int>, domain: SessionDomain
    ) -> (u: [UInt64], rows: [UInt64]) {
        precondition(k0.count == kappa && k1.count == kappa && range.lowerBound % otsPerBlock == 0)
        let n = range.count, wpc = wordsPerColumn(n)
        let block = UInt32(range.lowerBound / otsPerBlock), firstWord = range.lowerBound / 64
        precondition(firstWord + wpc <= r.count)
        var t = [UInt64](repeating: 0, count: kappa * wpc)
        var u = [UInt64](repeating: 0, count: kappa * wpc)
        let last = lastWordMask(n)
        for i in 0..<kappa {
            let base = i * wpc
            domain.prg(key: k0[i], block: block, into: &t, offset: base, count: wpc)
            domain.prg(key: k1[i], block: block, into: &u, offset: base, count: wpc)
            for w in 0..<wpc { u[base + w] ^= t[base + w] ^ r[firstWord + w] }
            u[base + wpc - 1] &= last
        }
        let rows = BitMatrix.transposeColumns(t, wordsPerColumn: wpc, rowCount: n)
        Sodium.wipe(&t)
        return (u, rows)
    }

    /// The sender's rows Q_m of the OTs `range` from its base-OT keys, choice bits s and the
    /// received columns u of that range.
    static func sender(
        keys: [[UInt8]], choices s: [Bool], u: [UInt64], range: Range<Int>, domain: SessionDomain
    ) -> [UInt64] {
        let n = range.count, wpc = wordsPerColumn(n)
        precondition(keys.count == kappa && s.count == kappa && u.count == kappa * wpc && range.lowerBound % otsPerBlock == 0)
        let block = UInt32(range.lowerBound / otsPerBlock)
        var q = [UInt64](repeating: 0, count: kappa * wpc)
        for i in 0..<kappa {
            let base = i * wpc
            domain.prg(key: keys[i], block: block, into: &q, offset: base, count: wpc)
            let mask: UInt64 = s[i] ? ~0 : 0
            for w in 0..<wpc { q[base + w] ^= u[base + w] & mask }
        }
        let rows = BitMatrix.transposeColumns(q, wordsPerColumn: wpc, rowCount: n)
        Sodium.wipe(&q)
        return rows
    }

    /// Serialises the columns: column i as its first ⌈N/8⌉ bytes.
    static func encodeColumns(_ u: [UInt64], count n: Int, into w: inout WireWriter) {
        let wpc = wordsPerColumn(n), bpc = bytesPerColumn(n)
        for i in 0..<kappa { w.words(u, from: i * wpc, byteCount: bpc) }
    }

    /// Parses 128 columns of N bits; padding bits must be zero.
    static func decodeColumns(_ r: inout WireReader, count n: Int) throws(SimilarityError) -> [UInt64] {
        let wpc = wordsPerColumn(n), bpc = bytesPerColumn(n)
        let last = lastWordMask(n)
        var u = [UInt64]()
        u.reserveCapacity(kappa * wpc)
        for i in 0..<kappa {
            let col = try r.words(byteCount: bpc, "extension.u[\(i)]")
            guard col[wpc - 1] & ~last == 0 else {
                throw .malformedMessage(field: "extension.u[\(i)]", message: "non-zero padding bits")
            }
            u.append(contentsOf: col)
        }
        return u
    }
}
