import Foundation

/// Facts about M_p = 2^p − 1 without computing it in full.
public struct MersenneFacts: Sendable, Equatable, Codable {
    public let exponent: UInt64
    /// Whether M_p is one of the 52 known Mersenne primes.
    public let known: Bool
    /// Its rank among the known Mersenne primes, when known.
    public let rank: Int?
    public let digits: UInt64
    public let leadingDigits: String
    /// Zero-padded to the requested count (all digits when M_p is shorter).
    public let trailingDigits: String
    public let lastDigit: Int
}

/// Mersenne numbers 2^p − 1: facts for any p ≤ 10^9 in milliseconds, and the full decimal expansion.
///
/// ```swift
/// let f = try Mersenne.facts(exponent: 77_232_917)        // digits 23_249_425, lastDigit 1
/// try Mersenne.writeDecimalExpansion(exponent: 521) { chunk in out.append(chunk) }
/// ```
public enum Mersenne {
    public static let maxExponent: UInt64 = 1_000_000_000
    /// Largest p whose full decimal expansion is produced (M136279841 has 41,024,320 digits; this
    /// bound keeps peak memory near 0.5 GB).
    public static let maxExpansionExponent: UInt64 = 150_000_000

    /// Parses the path parameter "exponent" and returns the facts of 2^p − 1.
    public static func facts(exponent: String, leading: Int = 20, trailing: Int = 20) throws(PrimesError) -> MersenneFacts {
        let p = try PrimesValidation.unsigned(exponent, field: "exponent", range: 1...maxExponent)
        return try facts(exponent: p, leading: leading, trailing: trailing)
    }

    /// Digits of 2^p − 1 (1 ≤ p ≤ 10^9; leading, trailing ≤ 1000).
    ///
    /// digits(2^p − 1) = digits(2^p) = floor(p·log10 2) + 1 since 2^p is never a power of ten; the
    /// leading digits come from a certified MPFR enclosure of p·log10 2, the trailing ones from
    /// 2^p mod 10^k. The last digit is 1 for p ≡ 1 (mod 4), 7 for p ≡ 3, 5 for p ≡ 0, 3 for p ≡ 2
    /// (2^p mod 10 cycles 2, 4, 8, 6), except M1 = 1.
    public static func facts(exponent p: UInt64, leading: Int = 20, trailing: Int = 20) throws(PrimesError) -> MersenneFacts {
        try PrimesValidation.check(p, field: "exponent", range: 1...maxExponent)
        let r = try PowerDigits.compute(base: 2, exponent: p, offset: -1, leading: leading, trailing: trailing)
        let last = p == 1 ? 1 : [5, 1, 3, 7][Int(p % 4)]
        let entry = KnownMersennePrimes.entry(exponent: p)
        return MersenneFacts(exponent: p, known: entry != nil, rank: entry?.rank, digits: r.digits,
                             leadingDigits: r.leadingDigits, trailingDigits: r.trailingDigits, lastDigit: last)
    }

    /// The exact number of decimal digits of 2^p − 1 (so the caller knows Content-Length before
    /// streaming the expansion).
    public static func decimalDigitCount(exponent p: UInt64) throws(PrimesError) -> UInt64 {
        try PrimesValidation.check(p, field: "exponent", range: 1...maxExponent)
        return try PowerDigits.compute(base: 2, exponent: p, offset: -1, leading: 1, trailing: 0).digits
    }

    /// Writes the decimal digits of 2^p − 1 (ASCII, no sign, no newline) to `sink` in chunks of
    /// `chunkSize` bytes, in order. From p = `DecimalPower.threshold` the number is computed directly in
    /// base 1000 by FFT squarings (`DecimalPower`, checked, GMP as the fallback); below, the digits are
    /// GMP's `mpz_get_str`. The computation is one uninterruptible step; `isCancelled` is checked before
    /// it and between chunks.
    ///
    /// `progress(done, total)` counts digits written out of `decimalDigitCount(exponent:)`.
    /// Returns the number of digits written.
    @discardableResult
    public static func writeDecimalExpansion(exponent p: UInt64, chunkSize: Int = 1 << 20,
                                             progress: (Int, Int) -> Void = { _, _ in },
                                             isCancelled: () -> Bool = { false },
                                             to sink: (Data) throws -> Void) throws -> Int {
        try PrimesValidation.check(p, field: "exponent", range: 1...maxExpansionExponent)
        try PrimesValidation.check(chunkSize, field: "chunkSize", range: 1...(1 << 30))
        let total = Int(try decimalDigitCount(exponent: p))
        progress(0, total)
        if isCancelled() { throw PrimesError.cancelled }
        func emit(_ digits: UnsafeBufferPointer<UInt8>) throws -> Int {
            guard digits.count == total else {
                throw PrimesError.unsupported(field: "exponent", message: "digit count mismatch: wrote \(digits.count), expected \(total)")
            }
            var offset = 0
            while offset < digits.count {
                if isCancelled() { throw PrimesError.cancelled }
                let end = min(offset + chunkSize, digits.count)
                try sink(Data(UnsafeBufferPointer(rebasing: digits[offset..<end])))
                offset = end
                progress(offset, total)
            }
            return offset
        }
        if p >= DecimalPower.threshold, let digits = DecimalPower.mersenneDigits(p) {
            return try digits.withUnsafeBufferPointer { try emit($0) }
        }
        let m = BigInt.mersenne(p)
        return try m.withDecimalDigits { try emit($0) }
    }

    /// Convenience: the expansion written to an open file handle.
    @discardableResult
    public static func writeDecimalExpansion(exponent p: UInt64, to handle: FileHandle,
                                             progress: (Int, Int) -> Void = { _, _ in },
                                             isCancelled: () -> Bool = { false }) throws -> Int {
        try writeDecimalExpansion(exponent: p, progress: progress, isCancelled: isCancelled) { chunk in
            try handle.write(contentsOf: chunk)
        }
    }

    /// The whole expansion as a String (small p only; for tests and inline answers).
    public static func decimalString(exponent p: UInt64) throws -> String {
        var bytes = Data()
        try writeDecimalExpansion(exponent: p) { bytes.append($0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
