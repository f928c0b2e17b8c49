/// Digit count, leading and trailing digits of N = base^exponent + offset.
public struct PowerDigitsResult: Sendable, Equatable, Codable {
    /// Number of decimal digits of N (N = 0 has one digit). Up to 18·10^18 + 1, hence UInt64.
    public let digits: UInt64
    /// The first min(leading, digits) digits of N.
    public let leadingDigits: String
    /// The last `trailing` digits of N, left-padded with zeros, or all of N when it has fewer digits.
    public let trailingDigits: String
    /// How the answer was obtained: "exact" (GMP on the full number), "interval" (certified MPFR
    /// interval logarithm plus modular exponentiation) or "powerOfTen" (closed form for base 10^j).
    public let method: String
}

/// Exact digit queries on powers: N = base^exponent + offset.
///
/// The digit count of a^b (a ≥ 2 not a power of ten) is floor(b·log10 a) + 1, but evaluating that in
/// floating point is wrong near integers and for huge b (see notes/primes.md §5). Here:
/// - bases 10^j are a closed form (log10 a is rational; an interval refinement would never end);
/// - small results (≤ 2^16 bits) are computed exactly with GMP;
/// - otherwise x = b·log10 a is enclosed in [x⁻, x⁺] with MPFR rounding down and up, and the answer
///   is accepted only when both ends give the same floor and the same leading digits; precision is
///   doubled on failure and an exact computation is the last resort.
///
/// ```swift
/// let r = try PowerDigits.compute(base: "999999999999998", exponent: "1")   // digits 15
/// ```
public enum PowerDigits {
    public static let maxBase: UInt64 = 1_000_000_000_000_000_000
    public static let maxExponent: UInt64 = 1_000_000_000_000_000_000
    public static let maxOffset = 1_000_000
    /// Most leading or trailing digits one request may ask for.
    public static let maxRequestedDigits = 1_000
    /// Results up to this many bits are computed exactly from the start.
    static let exactBits = 65_536.0
    /// Exact last resort when the interval cannot be certified (never needed in practice).
    static let exactFallbackBits = 268_435_456.0

    /// Parses and validates the query parameters (fields "base", "exponent", "offset", "leading",
    /// "trailing") and computes the digits of base^exponent + offset.
    public static func compute(base: String, exponent: String, offset: Int = 0, leading: Int = 20,
                               trailing: Int = 20) throws(PrimesError) -> PowerDigitsResult {
        let b = try PrimesValidation.unsigned(base, field: "base", range: 0...maxBase)
        let e = try PrimesValidation.unsigned(exponent, field: "exponent", range: 0...maxExponent)
        return try compute(base: b, exponent: e, offset: offset, leading: leading, trailing: trailing)
    }

    /// The digits of base^exponent + offset for base ≤ 10^18, exponent ≤ 10^18, |offset| ≤ 10^6,
    /// 0 ≤ leading, trailing ≤ 1000. 0^0 and negative results are rejected.
    public static func compute(base: UInt64, exponent: UInt64, offset: Int = 0, leading: Int = 20,
                               trailing: Int = 20) throws(PrimesError) -> PowerDigitsResult {
        try PrimesValidation.check(base, field: "base", range: 0...maxBase)
        try PrimesValidation.check(exponent, field: "exponent", range: 0...maxExponent)
        try PrimesValidation.check(offset, field: "offset", range: -maxOffset...maxOffset)
        try PrimesValidation.check(leading, field: "leading", range: 0...maxRequestedDigits)
        try PrimesValidation.check(trailing, field: "trailing", range: 0...maxRequestedDigits)
        if base == 0 && exponent == 0 {
            throw .invalid(field: "exponent", message: "0^0 is undefined")
        }
        if base <= 1 || exponent == 0 {
            return try exact(base: base, exponent: exponent, offset: offset, leading: leading, trailing: trailing)
        }
        if let j = powerOfTenExponent(base) {
            let n = UInt64(j) * exponent          // ≤ 18·10^18 < 2^64
            if n <= 64 {
                return try exact(base: base, exponent: exponent, offset: offset, leading: leading, trailing: trailing)
            }
            return powerOfTen(n: n, offset: offset, leading: leading, trailing: trailing)
        }
        let bits = Double(exponent) * log2Upper(base)
        if bits <= exactBits {
            return try exact(base: base, exponent: exponent, offset: offset, leading: leading, trailing: trailing)
        }
        if let certified = interval(base: base, exponent: exponent, offset: offset, leading: leading, trailing: trailing) {
            return certified
        }
        guard bits <= exactFallbackBits else {
            throw .unsupported(field: "exponent",
                               message: "the digits of \(base)^\(exponent) could not be certified within the precision limit")
        }
        return try exact(base: base, exponent: exponent, offset: offset, leading: leading, trailing: trailing)
    }

    // MARK: - Exact

    /// N computed in full with GMP. The digit count corrects `mpz_sizeinbase`, which may be one too
    /// large, by comparing with 10^(d−1). Leading digits: floor(N / 10^(d−k)); trailing: N mod 10^k.
    static func exact(base: UInt64, exponent: UInt64, offset: Int, leading: Int, trailing: Int) throws(PrimesError) -> PowerDigitsResult {
        let n = BigInt.power(base, exponent)
        n.add(signed: offset)
        if n.signum < 0 {
            throw .invalid(field: "offset", message: "base^exponent + offset is negative (\(n.decimalString()))")
        }
        let d = exactDigitCount(n)
        let lead: String
        if leading >= d {
            lead = n.decimalString()
        } else if leading == 0 {
            lead = ""
        } else {
            let q = BigInt(copying: n)
            q.divideFloor(by: BigInt.power(10, UInt64(d - leading)))
            lead = q.decimalString()
        }
        let trail: String
        if trailing >= d {
            trail = n.decimalString()
        } else if trailing == 0 {
            trail = ""
        } else {
            let r = BigInt(copying: n)
            r.reduce(modulo: BigInt.power(10, UInt64(trailing)))
            trail = zeroPadded(r.decimalString(), to: trailing)
        }
        return PowerDigitsResult(digits: UInt64(d), leadingDigits: lead, trailingDigits: trail, method: "exact")
    }

    /// Exact number of decimal digits of n ≥ 0.
    static func exactDigitCount(_ n: BigInt) -> Int {
        let estimate = n.decimalSizeEstimate
        if estimate > 1 && n.compare(BigInt.power(10, UInt64(estimate - 1))) < 0 { return estimate - 1 }
        return estimate
    }

    // MARK: - Powers of ten

    /// N = 10^n + c with n > 64 ≥ digits of |c|: a closed form.
    /// c ≥ 0: "1", then n − len(c) zeros, then c (no digits of c when c = 0); n + 1 digits.
    /// c < 0: 10^n − |c| = "9" repeated n − 7 times followed by 10^7 − |c| padded to 7 digits; n digits.
    static func powerOfTen(n: UInt64, offset: Int, leading: Int, trailing: Int) -> PowerDigitsResult {
        let head: String, fill: Character, tail: String, total: UInt64
        if offset >= 0 {
            tail = offset == 0 ? "" : String(offset)
            head = "1"; fill = "0"
            total = n + 1
        } else {
            tail = zeroPadded(String(10_000_000 - (-offset)), to: 7)
            head = ""; fill = "9"
            total = n
        }
        let fillCount = total - UInt64(head.count) - UInt64(tail.count)
        func prefix(_ k: Int) -> String {
            var s = String(head.prefix(k))
            let fromFill = min(UInt64(k - s.count), fillCount)
            s += String(repeating: fill, count: Int(fromFill))
            s += tail.prefix(k - s.count)
            return s
        }
        func suffix(_ k: Int) -> String {
            var s = String(tail.suffix(k))
            let fromFill = min(UInt64(k - s.count), fillCount)
            s = String(repeating: fill, count: Int(fromFill)) + s
            return String(head.suffix(k - s.count)) + s
        }
        return PowerDigitsResult(digits: total, leadingDigits: prefix(leading), trailingDigits: suffix(trailing),
                                 method: "powerOfTen")
    }

    /// j when base = 10^j (j ≥ 1), else nil.
    static func powerOfTenExponent(_ base: UInt64) -> Int? {
        var b = base, j = 0
        while b >= 10 && b % 10 == 0 { b /= 10; j += 1 }
        return b == 1 && j > 0 ? j : nil
    }

    // MARK: - Certified interval

    /// Leading digits and digit count from an MPFR enclosure of x = exponent · log10(base), trailing
    /// digits from base^exponent mod 10^k. Returns nil when no precision up to 16× the initial one
    /// separates the interval from a digit boundary.
    ///
    /// With d − 1 = floor(x) and k' = max(leading, 1): the first k' digits of base^exponent are
    /// floor(10^(x − floor x + k' − 1)); adding the offset c moves that mantissa by c·10^(k'−d), whose
    /// size is below 10^(6+k'−d) ≤ 2^(−3(d−k'−7)), and the enclosure is widened by that on the side of c.
    static func interval(base: UInt64, exponent: UInt64, offset: Int, leading: Int, trailing: Int) -> PowerDigitsResult? {
        let k = max(leading, 1)
        // x < 2^(bits(exponent) + 6) since log10(base) < 19, so this leaves k digits plus 40 guard bits
        // after the binary point.
        var precision = (64 - exponent.leadingZeroBitCount) + 6 + Int((Double(k) * 3.3219280948873626).rounded(.up)) + 40
        for _ in 0..<5 {
            if let lead = certifiedLeading(base: base, exponent: exponent, offset: offset, k: k, precision: precision) {
                let trail = trailingDigits(base: base, exponent: exponent, offset: offset, count: trailing)
                return PowerDigitsResult(digits: lead.digits, leadingDigits: leading == 0 ? "" : lead.leading,
                                         trailingDigits: trail, method: "interval")
            }
            precision *= 2
        }
        return nil
    }

    static func certifiedLeading(base: UInt64, exponent: UInt64, offset: Int, k: Int, precision: Int) -> (digits: UInt64, leading: String)? {
        let lo = BigFloat(precision: precision), hi = BigFloat(precision: precision)
        // log10(base) correctly rounded to nearest is within half an ulp: one ulp either side encloses it.
        lo.setLog10(of: base, .nearest)
        hi.set(lo, .nearest)
        lo.nextBelow(); hi.nextAbove()
        lo.multiply(by: exponent, .down); hi.multiply(by: exponent, .up)
        guard lo.isFinite, hi.isFinite else { return nil }
        let floorLo = lo.floor(), floorHi = hi.floor()
        guard floorLo.compare(floorHi) == 0, let whole = floorLo.uint64Value else { return nil }
        let d = whole + 1
        guard d > UInt64(k) + 8 else { return nil }
        lo.subtract(floorLo, .down); hi.subtract(floorHi, .up)
        lo.add(UInt64(k - 1), .down); hi.add(UInt64(k - 1), .up)
        // 10^lo correctly rounded to nearest, one ulp down, is a lower bound of 10^lo. For the upper
        // bound 10^hi = 10^lo · 10^δ with δ = hi − lo ≤ 2^-40: 10^δ = e^(δ ln 10) ≤ 1 + 3δ.
        let delta = BigFloat(precision: precision)
        delta.set(hi, .up); delta.subtract(lo, .up)
        let limit = BigFloat(precision: 64)
        limit.setPowerOfTwo(-10)
        guard delta.compare(limit) <= 0 else { return nil }
        delta.multiply(by: 3, .up); delta.add(1, .up)
        lo.exp10(.nearest)
        hi.set(lo, .nearest)
        lo.nextBelow(); hi.nextAbove()
        hi.multiply(by: delta, .up)
        if offset != 0 {
            let gap = d - UInt64(k) - 7
            let t = gap >= UInt64(precision + 64) / 3 ? precision + 64 : Int(3 * gap)
            let delta = BigFloat(precision: precision)
            delta.setPowerOfTwo(-t)
            if offset > 0 { hi.add(delta, .up) } else { lo.subtract(delta, .down) }
        }
        let a = lo.floor(), b = hi.floor()
        guard a.compare(b) == 0 else { return nil }
        // Both ends inside [10^(k−1), 10^k): the offset did not change the digit count.
        guard a.compare(BigInt.power(10, UInt64(k - 1))) >= 0, a.compare(BigInt.power(10, UInt64(k))) < 0 else { return nil }
        return (d, a.decimalString())
    }

    /// The last `count` digits of base^exponent + offset, assuming that number has more than `count`
    /// digits: (base^exponent mod 10^count + offset) mod 10^count, zero-padded.
    static func trailingDigits(base: UInt64, exponent: UInt64, offset: Int, count: Int) -> String {
        guard count > 0 else { return "" }
        let modulus = BigInt.power(10, UInt64(count))
        let r = BigInt.powerMod(BigInt(base), exponent, modulus)
        r.add(signed: offset)
        r.reduce(modulo: modulus)
        return zeroPadded(r.decimalString(), to: count)
    }

    /// An upper bound of log2(base) for choosing between exact and interval evaluation.
    static func log2Upper(_ base: UInt64) -> Double {
        Double(64 - base.leadingZeroBitCount)
    }

    static func zeroPadded(_ s: String, to width: Int) -> String {
        s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
