/// A small unsigned arbitrary-precision integer: just enough for exact comparisons of products of
/// decimal significands and powers of ten in the sample-size formulas.
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
}
