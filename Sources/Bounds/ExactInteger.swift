/// A small unsigned arbitrary-precision integer: just enough for exact comparisons of products of
/// decimal significands and powers of ten (sample sizes), and for exact sums and integer parts of
/// decimals (lattice cut-offs of discrete laws, see `DecimalValue`).
struct ExactInteger: Sendable, Equatable, Comparable {
    /// Little-endian base-2^32 limbs, no trailing zero limbs (zero is []).
    private(set) var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        normalize()
    }

    init(decimalDigits: String) {
        limbs = []
        for ch in decimalDigits.utf8 where ch >= 48 && ch <= 57 {
            self = self.multiplied(bySmall: 10).adding(small: UInt32(ch - 48))
        }
    }

    private mutating func normalize() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    func multiplied(bySmall m: UInt32) -> ExactInteger {
        var out: [UInt32] = []
        out.reserveCapacity(limbs.count + 1)
        var carry: UInt64 = 0
        for limb in limbs {
            let v = UInt64(limb) * UInt64(m) + carry
            out.append(UInt32(truncatingIfNeeded: v))
            carry = v >> 32
        }
        if carry > 0 { out.append(UInt32(carry)) }
        var r = ExactInteger(0)
        r.limbs = out
        r.normalize()
        return r
    }

    func adding(small a: UInt32) -> ExactInteger {
        var out = limbs
        var carry = UInt64(a)
        var i = 0
        while carry > 0 {
            if i == out.count { out.append(0) }
            let v = UInt64(out[i]) + carry
            out[i] = UInt32(truncatingIfNeeded: v)
            carry = v >> 32
            i += 1
        }
        var r = ExactInteger(0)
        r.limbs = out
        r.normalize()
        return r
    }

    static func * (a: ExactInteger, b: ExactInteger) -> ExactInteger {
        if a.limbs.isEmpty || b.limbs.isEmpty { return ExactInteger(0) }
        var out = [UInt32](repeating: 0, count: a.limbs.count + b.limbs.count)
        for (i, x) in a.limbs.enumerated() {
            var carry: UInt64 = 0
            for (j, y) in b.limbs.enumerated() {
                let v = UInt64(x) * UInt64(y) + UInt64(out[i + j]) + carry
                out[i + j] = UInt32(truncatingIfNeeded: v)
                carry = v >> 32
            }
            var k = i + b.limbs.count
            while carry > 0 {
                let v = UInt64(out[k]) + carry
                out[k] = UInt32(truncatingIfNeeded: v)
                carry = v >> 32
                k += 1
            }
        }
        var r = ExactInteger(0)
        r.limbs = out
        r.normalize()
        return r
    }

    /// self × 10^k.
    func timesPowerOfTen(_ k: Int) -> ExactInteger {
        var r = self
        var left = k
        while left >= 9 {
            r = r.multiplied(bySmall: 1_000_000_000)
            left -= 9
        }
        while left > 0 {
            r = r.multiplied(bySmall: 10)
            left -= 1
        }
        return r
    }

    static func < (a: ExactInteger, b: ExactInteger) -> Bool {
        if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count }
        for i in stride(from: a.limbs.count - 1, through: 0, by: -1) where a.limbs[i] != b.limbs[i] {
            return a.limbs[i] < b.limbs[i]
        }
        return false
    }

    var isZero: Bool { limbs.isEmpty }

    static func + (a: ExactInteger, b: ExactInteger) -> ExactInteger {
        var out = [UInt32](repeating: 0, count: max(a.limbs.count, b.limbs.count) + 1)
        var carry: UInt64 = 0
        for i in 0..<out.count {
            let v = UInt64(i < a.limbs.count ? a.limbs[i] : 0) + UInt64(i < b.limbs.count ? b.limbs[i] : 0) + carry
            out[i] = UInt32(truncatingIfNeeded: v)
            carry = v >> 32
        }
        var r = ExactInteger(0)
        r.limbs = out
        r.normalize()
        return r
    }

    /// a − b for a ≥ b.
    static func - (a: ExactInteger, b: ExactInteger) -> ExactInteger {
        precondition(!(a < b), "ExactInteger subtraction below zero")
        var out = a.limbs
        var borrow: Int64 = 0
        for i in 0..<out.count {
            var v = Int64(out[i]) - Int64(i < b.limbs.count ? b.limbs[i] : 0) - borrow
            borrow = 0
            if v < 0 { v += 1 << 32; borrow = 1 }
            out[i] = UInt32(v)
        }
        var r = ExactInteger(0)
        r.limbs = out
        r.normalize()
        return r
    }

    /// (⌊self / d⌋, self mod d) for 0 < d < 2^32.
    func divided(bySmall d: UInt32) -> (quotient: ExactInteger, remainder: UInt32) {
        var out = limbs
        var rem: UInt64 = 0
        for i in stride(from: out.count - 1, through: 0, by: -1) {
            let v = rem << 32 | UInt64(out[i])
            out[i] = UInt32(v / UInt64(d))
            rem = v % UInt64(d)
        }
        var r = ExactInteger(0)
        r.limbs = out
        r.normalize()
        return (r, UInt32(rem))
    }

    /// (⌊self / 10^k⌋, whether the division left a remainder).
    func dividedByPowerOfTen(_ k: Int) -> (quotient: ExactInteger, inexact: Bool) {
        var q = self
        var inexact = false
        var left = k
        while left > 0 && !q.isZero {
            let step = min(left, 9)
            var divisor: UInt32 = 1
            for _ in 0..<step { divisor *= 10 }
            let (next, rem) = q.divided(bySmall: divisor)
            if rem != 0 { inexact = true }
            q = next
            left -= step
        }
        if left > 0 && !self.isZero && q.isZero { inexact = true }
        return (q, inexact)
    }

    /// The value when below 2^62, nil beyond.
    var smallValue: Int64? {
        guard limbs.count <= 2 else { return nil }
        let v = UInt64(limbs.first ?? 0) | UInt64(limbs.count > 1 ? limbs[1] : 0) << 32
        return v < 1 << 62 ? Int64(v) : nil
    }

    /// Decimal digits ("0" for zero).
    var decimalString: String {
        if isZero { return "0" }
        var chunks: [UInt32] = []
        var q = self
        while !q.isZero {
            let (next, rem) = q.divided(bySmall: 1_000_000_000)
            chunks.append(rem)
            q = next
        }
        var out = String(chunks.last!)
        for chunk in chunks.dropLast().reversed() {
            let s = String(chunk)
            out += String(repeating: "0", count: 9 - s.count) + s
        }
        return out
    }

    /// Number of significant bits (0 for zero).
    var bitWidth: Int {
        guard let top = limbs.last else { return 0 }
        return (limbs.count - 1) * 32 + (32 - top.leadingZeroBitCount)
    }

    /// self · 2^k.
    func shiftedLeft(_ k: Int) -> ExactInteger {
        var r = self
        var left = k
        while left >= 31 { r = r.multiplied(bySmall: 1 << 31); left -= 31 }
        return left > 0 ? r.multiplied(bySmall: 1 << UInt32(left)) : r
    }

    /// (⌊self / d⌋, self mod d) for d > 0, by binary long division (the numbers here have a few hundred bits).
    func divided(by d: ExactInteger) -> (quotient: ExactInteger, remainder: ExactInteger) {
        precondition(!d.isZero, "division by zero")
        if self < d { return (ExactInteger(0), self) }
        var q = [UInt32](repeating: 0, count: limbs.count)
        var rem = ExactInteger(0)
        for bit in stride(from: bitWidth - 1, through: 0, by: -1) {
            rem = rem.multiplied(bySmall: 2).adding(small: (limbs[bit / 32] >> UInt32(bit % 32)) & 1)
            if !(rem < d) {
                rem = rem - d
                q[bit / 32] |= 1 << UInt32(bit % 32)
            }
        }
        var quotient = ExactInteger(0)
        quotient.limbs = q
        quotient.normalize()
        return (quotient, rem)
    }

    /// The double nearest to a / b (ties to even), for a, b > 0 whose quotient is within the normal range.
    static func nearestDouble(_ a: ExactInteger, over b: ExactInteger) -> Double {
        if a.isZero { return 0 }
        // Scale so that the quotient has 54 or 55 bits: 53 for the significand, one to round, then a sticky remainder.
        let s = 55 - (a.bitWidth - b.bitWidth)
        let (q0, r0) = s >= 0 ? a.shiftedLeft(s).divided(by: b) : a.divided(by: b.shiftedLeft(-s))
        var q = q0, sticky = !r0.isZero, shift = s
        while q.bitWidth > 54 {
            let (half, bit) = q.divided(bySmall: 2)
            if bit != 0 { sticky = true }
            q = half
            shift -= 1
        }
        // q has 54 bits: drop the last, rounding to nearest, ties to even.
        let (m0, last) = q.divided(bySmall: 2)
        var m = UInt64(m0.limbs.first ?? 0) | UInt64(m0.limbs.count > 1 ? m0.limbs[1] : 0) << 32
        if last == 1 && (sticky || m & 1 == 1) { m += 1 }
        return Double(sign: .plus, exponent: -(shift - 1), significand: Double(m))
    }
}
