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

    /// Bits of the corrections of the OTs `range`: p·Σ_{m ∈ range} (ℓ − (m mod w)), using
    /// S(x) = Σ_{m<x} (m mod w) = ⌊x/w⌋·w(w−1)/2 + r(r−1)/2 with r = x mod w.
    static func correctionBits(range: Range<Int>, senderCount p: Int, valueBits w: Int, ringBits l: Int) -> Int {
        func s(_ x: Int) -> Int { let r = x % w; return (x / w) * (w * (w - 1) / 2) + r * (r - 1) / 2 }
        return p * (l * range.count - (s(range.upperBound) - s(range.lowerBound)))
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

    /// The sender's corrections for the OTs `range` (bit-packed, ℓ − t bits per element,
    /// OT-major, element-minor), given the rows Q_m of that range; its shares accumulate in
    /// `shares` (p·q words, index i·q + j, modulo 2^64 — reduce mod 2^ℓ at the end).
    static func senderCorrections(
        values x: [[Int64]], receiverCount q: Int, range: Range<Int>, rows: [UInt64], sLo: UInt64, sHi: UInt64,
        parameters: SimilarityParameters, domain: SessionDomain, shares: inout [UInt64],
        progress: (Int, Int) -> Void, isCancelled: () -> Bool
    ) throws(SimilarityError) -> (corrections: [UInt64], bitCount: Int) {
        let p = x.count, n = parameters.dimension, w = parameters.valueBits, l = parameters.ringBits
        let total = otCount(dimension: n, receiverCount: q, valueBits: w)
        precondition(rows.count == 2 * range.count && range.upperBound <= total && shares.count == p * q)
        var xcol = [UInt64](repeating: 0, count: n * p)
        for i in 0..<p { for k in 0..<n { xcol[k * p + i] = UInt64(bitPattern: x[i][k]) } }
        defer { Sodium.wipe(&xcol) }
        var packer = BitPacker(capacityBits: correctionBits(range: range, senderCount: p, valueBits: w, ringBits: l))
        var m0 = [UInt64](repeating: 0, count: p + 1), m1 = [UInt64](repeating: 0, count: p + 1)
        var t = range.lowerBound % w, k = (range.lowerBound / w) % n, j = range.lowerBound / (n * w)
        for local in 0..<range.count {
            let m = range.lowerBound + local
            if local & 1023 == 0 {
                if isCancelled() { throw .cancelled(field: "session", message: "cancelled") }
                progress(m, total)
            }
            let lo = rows[2 * local], hi = rows[2 * local + 1]
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
                shares[i * q + j] = shares[i * q + j] &- (a << shift)
            }
            t += 1
            if t == w { t = 0; k += 1; if k == n { k = 0; j += 1 } }
        }
        progress(range.upperBound, total)
        Sodium.wipe(&m0); Sodium.wipe(&m1)
        return (packer.finished(), packer.bitCount)
    }

    /// The receiver's side for the OTs `range`: v_m = H(m, T_m) + r_m·d_m accumulated into
    /// `shares` (p·q words, index i·q + j, modulo 2^64). `choices` holds all N choice bits,
    /// `rows` the rows of the range, `corrections` the packed corrections of the range.
    static func receiverShares(
        senderCount p: Int, receiverCount q: Int, range: Range<Int>, choices: [UInt64], rows: [UInt64],
        corrections: [UInt64], parameters: SimilarityParameters, domain: SessionDomain, shares: inout [UInt64],
        progress: (Int, Int) -> Void, isCancelled: () -> Bool
    ) throws(SimilarityError) {
        let n = parameters.dimension, w = parameters.valueBits, l = parameters.ringBits
        let total = otCount(dimension: n, receiverCount: q, valueBits: w)
        precondition(rows.count == 2 * range.count && range.upperBound <= total && shares.count == p * q)
        var reader = BitUnpacker(words: corrections)
        var v = [UInt64](repeating: 0, count: p + 1)
        var t = range.lowerBound % w, k = (range.lowerBound / w) % n, j = range.lowerBound / (n * w)
        for local in 0..<range.count {
            let m = range.lowerBound + local
            if local & 1023 == 0 {
                if isCancelled() { throw .cancelled(field: "session", message: "cancelled") }
                progress(m, total)
            }
            let width = l - t
            domain.hash(index: m, lo: rows[2 * local], hi: rows[2 * local + 1], into: &v, count: padWords(p, width))
            let mask: UInt64 = width >= 64 ? ~0 : (1 << UInt64(width)) &- 1
            let choose: UInt64 = 0 &- ((choices[m >> 6] >> UInt64(m & 63)) & 1)
            let shift = UInt64(t)
            for i in 0..<p {
                let d = reader.next(width: width)
                let pad = field(v, i * width, width, mask)
                shares[i * q + j] = shares[i * q + j] &+ (((pad &+ (d & choose)) & mask) << shift)
            }
            t += 1
            if t == w { t = 0; k += 1; if k == n { k = 0; j += 1 } }
        }
        progress(range.upperBound, total)
        Sodium.wipe(&v)
    }
}
