/// Gilboa product sharing over correlated OT: additive shares of every inner product
/// z_ij = Σ_k x_ik·y_jk in Z_2^ℓ.
///
/// The receiver writes y_jk in w = f + 2 bit two's complement,
/// y = −2^(w−1)·y_{w−1} + Σ_{t<w−1} 2^t·y_t, and uses bit y_t as the choice bit of OT
/// m = (j·n + k)·w + t. The sender's correlation for that OT is the vector
/// Δ_m = σ_t·(x_1k, …, x_pk) mod 2^(ℓ−t), σ_t = −1 for the sign bit t = w − 1, else +1, so one
/// OT serves all p sender vectors. With pads m0 = H(m, Q_m), m1 = H(m, Q_m ⊕ s) (masked to ℓ − t
/// bits) the sender sends d_m = m0 + Δ_m − m1 and keeps zA_ij = −Σ_{k,t} 2^t·m0_m[i]. The
/// receiver computes v_m = H(m, T_m) + r_m·d_m = m0 + r_m·Δ_m and zB_ij = Σ_{k,t} 2^t·v_m[i].
/// Then zA + zB = Σ_k Σ_t 2^t·σ_t·y_{jk,t}·x_ik = Σ_k x_ik·y_jk (mod 2^ℓ): the t-th OT needs only
/// ℓ − t bits because its value is multiplied by 2^t. The pads are likewise drawn as ℓ − t bit
/// fields: element i of H(m, ·) is bits [i·(ℓ−t), (i+1)·(ℓ−t)) of the hash output, so each OT
/// hashes ⌈p·(ℓ−t)/64⌉ words instead of p.
enum GilboaProduct {
    /// Bits [start, start + width) of `words` (little-endian bit order), width in 1...64.
    @inline(__always)
    static func field(_ words: [UInt64], _ start: Int, _ width: Int, _ mask: UInt64) -> UInt64 {
        let index = start >> 6, offset = start & 63
        var v = words[index] >> UInt64(offset)
        if offset + width > 64 { v |= words[index + 1] << UInt64(64 - offset) }
        return v & mask
    }

    /// Words of hash output for one OT: ⌈p·width/64⌉.
    @inline(__always)
    static func padWords(_ p: Int, _ width: Int) -> Int { (p * width + 63) / 64 }

    /// Number of extended OTs: N = q·n·w.
    static func otCount(dimension n: Int, receiverCount q: Int, valueBits w: Int) -> Int { q * n * w }

    /// Bits of all corrections: n·p·q·(w·ℓ − w(w−1)/2).
    static func correctionBits(dimension n: Int, senderCount p: Int, receiverCount q: Int,
                               valueBits w: Int, ringBits l: Int) -> Int {
        n * p * q * (w * l - w * (w - 1) / 2)
    }

    /// The receiver's choice bits, OT m = (j·n + k)·w + t at bit m.
    static func choiceBits(values y: [[Int64]], valueBits w: Int) -> [UInt64] {
        let n = y.first?.count ?? 0
        let total = y.count * n * w
        var bits = [UInt64](repeating: 0, count: (total + 63) / 64)
        var m = 0
        for row in y {
            for v in row {
                let u = UInt64(bitPattern: v)
                for t in 0..<w {
                    bits[m >> 6] |= ((u >> UInt64(t)) & 1) << UInt64(m & 63)
                    m += 1
                }
            }
        }
        return bits
    }

    /// The sender's corrections (bit-packed, ℓ − t bits per element, OT-major, element-minor)
    /// and its shares zA (p·q words, index i·q + j, reduced mod 2^ℓ).
    static func senderCorrections(
        values x: [[Int64]], receiverCount q: Int, rows: [UInt64], sLo: UInt64, sHi: UInt64,
        parameters: SimilarityParameters, domain: SessionDomain,
        progress: (Int, Int) -> Void, isCancelled: () -> Bool
    ) throws(SimilarityError) -> (shares: [UInt64], corrections: [UInt64], bitCount: Int) {
        let p = x.count, n = parameters.dimension, w = parameters.valueBits, l = parameters.ringBits
        let total = otCount(dimension: n, receiverCount: q, valueBits: w)
        precondition(rows.count == 2 * total)
        var xcol = [UInt64](repeating: 0, count: n * p)
        for i in 0..<p { for k in 0..<n { xcol[k * p + i] = UInt64(bitPattern: x[i][k]) } }
        defer { Sodium.wipe(&xcol) }
        var packer = BitPacker(capacityBits: correctionBits(dimension: n, senderCount: p, receiverCount: q, valueBits: w, ringBits: l))
        var shares = [UInt64](repeating: 0, count: p * q)
        var m0 = [UInt64](repeating: 0, count: p + 1), m1 = [UInt64](repeating: 0, count: p + 1)
        var acc = [UInt64](repeating: 0, count: p)
        let ringMask: UInt64 = l >= 64 ? ~0 : (1 << UInt64(l)) &- 1
        var m = 0
        for j in 0..<q {
            for i in 0..<p { acc[i] = 0 }
            for k in 0..<n {
                if k & 255 == 0 {
                    if isCancelled() { throw .cancelled(field: "session", message: "cancelled") }
                    progress(m, total)
                }
                for t in 0..<w {
                    let lo = rows[2 * m], hi = rows[2 * m + 1]
                    let width = l - t
                    let words = padWords(p, width)
                    domain.hash(index: m, lo: lo, hi: hi, into: &m0, count: words)
                    domain.hash(index: m, lo: lo ^ sLo, hi: hi ^ sHi, into: &m1, count: words)
                    let mask: UInt64 = width >= 64 ? ~0 : (1 << UInt64(width)) &- 1
                    let negate = t == w - 1
                    let shift = UInt64(t)
                    for i in 0..<p {
                        let xv = xcol[k * p + i]
                        let delta = negate ? 0 &- xv : xv
                        let a = field(m0, i * width, width, mask)
                        let b = field(m1, i * width, width, mask)
                        packer.append((a &+ delta &- b) & mask, width: width)
                        acc[i] = acc[i] &- (a << shift)
                    }
                    m += 1
                }
            }
            for i in 0..<p { shares[i * q + j] = acc[i] & ringMask }
        }
        progress(total, total)
        Sodium.wipe(&m0); Sodium.wipe(&m1); Sodium.wipe(&acc)
        return (shares, packer.finished(), packer.bitCount)
    }

    /// The receiver's shares zB (p·q words, index i·q + j, reduced mod 2^ℓ).
    static func receiverShares(
        senderCount p: Int, receiverCount q: Int, choices: [UInt64], rows: [UInt64], corrections: [UInt64],
        parameters: SimilarityParameters, domain: SessionDomain,
        progress: (Int, Int) -> Void, isCancelled: () -> Bool
    ) throws(SimilarityError) -> [UInt64] {
        let n = parameters.dimension, w = parameters.valueBits, l = parameters.ringBits
        let total = otCount(dimension: n, receiverCount: q, valueBits: w)
        precondition(rows.count == 2 * total)
        var reader = BitUnpacker(words: corrections)
        var shares = [UInt64](repeating: 0, count: p * q)
        var v = [UInt64](repeating: 0, count: p + 1)
        var acc = [UInt64](repeating: 0, count: p)
        let ringMask: UInt64 = l >= 64 ? ~0 : (1 << UInt64(l)) &- 1
        var m = 0
        for j in 0..<q {
            for i in 0..<p { acc[i] = 0 }
            for k in 0..<n {
                if k & 255 == 0 {
                    if isCancelled() { throw .cancelled(field: "session", message: "cancelled") }
                    progress(m, total)
                }
                for t in 0..<w {
                    let width = l - t
                    domain.hash(index: m, lo: rows[2 * m], hi: rows[2 * m + 1], into: &v, count: padWords(p, width))
                    let mask: UInt64 = width >= 64 ? ~0 : (1 << UInt64(width)) &- 1
                    let choose: UInt64 = 0 &- ((choices[m >> 6] >> UInt64(m & 63)) & 1)
                    let shift = UInt64(t)
                    for i in 0..<p {
                        let d = reader.next(width: width)
                        let pad = field(v, i * width, width, mask)
                        acc[i] = acc[i] &+ (((pad &+ (d & choose)) & mask) << shift)
                    }
                    m += 1
                }
            }
            for i in 0..<p { shares[i * q + j] = acc[i] & ringMask }
        }
        progress(total, total)
        Sodium.wipe(&v); Sodium.wipe(&acc)
        return shares
    }
}
