import CGMP
import Foundation

/// The thin wrapper around GMP's `mpz_t`: every unsafe pointer and every `__gmpz_*` call of the
/// Primes target lives in this file.
///
/// GMP's `mpz_*` names are C macros that Swift does not import, so the real `__gmpz_*` symbols are
/// called. Each value owns one heap-allocated `__mpz_struct`, so in-place operations such as
/// `x = x - 1` (`__gmpz_sub_ui(x, x, 1)`) are legal; `deinit` clears and frees it.
///
/// A `BigInt` is a mutable reference: it is never shared between threads (the type is deliberately
/// not `Sendable`); the public API of the target only hands out strings, bytes and fixed-width integers.
///
/// ```swift
/// let m = BigInt.power(2, 89); m.subtract(1)      // M89
/// m.decimalString()                              // "618970019642690137449562111"
/// ```
final class BigInt {
    let raw: UnsafeMutablePointer<__mpz_struct>

    init() {
        raw = .allocate(capacity: 1)
        __gmpz_init(raw)
    }

    convenience init(_ value: UInt64) {
        self.init()
        __gmpz_set_ui(raw, UInt(value))
    }

    /// Parses an optionally signed decimal string of ASCII digits (no spaces, no "+" sign accepted
    /// twice); returns nil for anything else.
    convenience init?(decimal text: String) {
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        guard !body.isEmpty, body.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        self.init()
        let status = text.withCString { __gmpz_set_str(raw, $0, 10) }
        if status != 0 { return nil }
    }

    /// A copy of `other`.
    convenience init(copying other: BigInt) {
        self.init()
        __gmpz_set(raw, other.raw)
    }

    /// Integer from little-endian bytes (least significant byte first), non-negative.
    convenience init(littleEndianBytes bytes: [UInt8]) {
        self.init()
        bytes.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress, buffer.count > 0 {
                __gmpz_import(raw, buffer.count, -1, 1, -1, 0, base)
            }
        }
    }

    deinit {
        __gmpz_clear(raw)
        raw.deallocate()
    }

    // MARK: - Construction

    /// base^exponent for machine-word operands.
    static func power(_ base: UInt64, _ exponent: UInt64) -> BigInt {
        let r = BigInt()
        __gmpz_ui_pow_ui(r.raw, UInt(base), UInt(exponent))
        return r
    }

    /// 2^p − 1, built by setting bit p and subtracting one.
    static func mersenne(_ p: UInt64) -> BigInt {
        let r = BigInt()
        __gmpz_setbit(r.raw, UInt(p))
        __gmpz_sub_ui(r.raw, r.raw, 1)
        return r
    }

    /// base^exponent mod modulus (modulus > 0).
    static func powerMod(_ base: BigInt, _ exponent: UInt64, _ modulus: BigInt) -> BigInt {
        let r = BigInt()
        __gmpz_powm_ui(r.raw, base.raw, UInt(exponent), modulus.raw)
        return r
    }

    // MARK: - Queries

    /// −1, 0 or +1.
    var signum: Int {
        let size = raw.pointee._mp_size
        return size > 0 ? 1 : (size < 0 ? -1 : 0)
    }

    var isZero: Bool { raw.pointee._mp_size == 0 }

    /// Number of bits of |x| (0 for zero).
    var bitWidth: Int { isZero ? 0 : Int(__gmpz_sizeinbase(raw, 2)) }

    /// GMP's digit estimate for base 10: exact or one too large (it may overestimate by 1).
    var decimalSizeEstimate: Int { Int(__gmpz_sizeinbase(raw, 10)) }

    /// The least significant 64 bits of |x|.
    var low64: UInt64 { UInt64(__gmpz_getlimbn(raw, 0)) }

    /// |x| as UInt64 when it fits.
    var uint64Value: UInt64? {
        guard signum >= 0, bitWidth <= 64 else { return nil }
        return UInt64(__gmpz_get_ui(raw))
    }

    func compare(_ other: BigInt) -> Int { Int(__gmpz_cmp(raw, other.raw)).signum() }
    func compare(_ value: UInt64) -> Int { Int(__gmpz_cmp_ui(raw, UInt(value))).signum() }

    /// Remainder of |x| by a small divisor.
    func remainder(dividingBy d: UInt64) -> UInt64 {
        UInt64(__gmpz_fdiv_ui(raw, UInt(d)))
    }

    /// Little-endian bytes of |x| (empty for zero).
    func littleEndianBytes() -> [UInt8] {
        if isZero { return [] }
        let count = (bitWidth + 7) / 8
        var bytes = [UInt8](repeating: 0, count: count)
        var written = 0
        bytes.withUnsafeMutableBufferPointer { buffer in
            _ = __gmpz_export(buffer.baseAddress, &written, -1, 1, -1, 0, raw)
        }
        return Array(bytes.prefix(written))
    }

    /// The decimal representation (with "-" for negatives).
    func decimalString() -> String {
        guard let chars = __gmpz_get_str(nil, 10, raw) else { return "0" }
        defer { free(chars) }
        return String(cString: chars)
    }

    /// Writes the decimal digits of a non-negative value into a freshly allocated buffer and hands the
    /// ASCII bytes (without terminator) to `body`. Used for multi-megabyte expansions, which should not
    /// be copied into a Swift String.
    func withDecimalDigits<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let capacity = decimalSizeEstimate + 2
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        _ = __gmpz_get_str(buffer, 10, raw)
        let length = strlen(buffer)
        return try buffer.withMemoryRebound(to: UInt8.self, capacity: length) {
            try body(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    // MARK: - In-place arithmetic

    func set(_ other: BigInt) { __gmpz_set(raw, other.raw) }
    func set(_ value: UInt64) { __gmpz_set_ui(raw, UInt(value)) }
    func add(_ value: UInt64) { __gmpz_add_ui(raw, raw, UInt(value)) }
    func subtract(_ value: UInt64) { __gmpz_sub_ui(raw, raw, UInt(value)) }

    /// x ← x + value for a signed machine word.
    func add(signed value: Int) {
        if value >= 0 { add(UInt64(value)) } else { subtract(UInt64(value.magnitude)) }
    }

    /// x ← floor(x / d) for d > 0.
    func divideFloor(by d: BigInt) { __gmpz_fdiv_q(raw, raw, d.raw) }

    /// x ← x mod m in [0, m).
    func reduce(modulo m: BigInt) { __gmpz_fdiv_r(raw, raw, m.raw) }

    // MARK: - Lucas–Lehmer kernel

    /// One Lucas–Lehmer step s ← s² − 2 mod 2^p − 1, for 0 ≤ s ≤ 2^p − 1 = `modulus`.
    ///
    /// The reduction is shift-and-add: since 2^p ≡ 1, t = hi·2^p + lo ≡ hi + lo, computed as
    /// `(t >> p) + (t & (2^p − 1))`; for t = s² < 2^(2p) the sum is < 2^(p+1), so one conditional
    /// subtraction of the modulus finishes it. `square` and `high` are scratch values.
    func lucasLehmerStep(p: UInt64, modulus: BigInt, square: BigInt, high: BigInt) {
        __gmpz_mul(square.raw, raw, raw)
        __gmpz_tdiv_q_2exp(high.raw, square.raw, UInt(p))
        __gmpz_tdiv_r_2exp(square.raw, square.raw, UInt(p))
        __gmpz_add(raw, square.raw, high.raw)
        if __gmpz_cmp(raw, modulus.raw) >= 0 { __gmpz_sub(raw, raw, modulus.raw) }
        __gmpz_sub_ui(raw, raw, 2)
        if raw.pointee._mp_size < 0 { __gmpz_add(raw, raw, modulus.raw) }
    }

    /// s ← s² + addend mod 2^p − 1 for 0 ≤ s ≤ 2^p − 1 = `modulus` and |addend| < 2^p − 1: the Lucas–Lehmer
    /// step with addend −2, the PRP squaring with 0. Same shift-and-add reduction as `lucasLehmerStep`.
    func mersenneSquare(p: UInt64, modulus: BigInt, addend: Int64, square: BigInt, high: BigInt) {
        __gmpz_mul(square.raw, raw, raw)
        reduceMersenne(p: p, modulus: modulus, product: square, high: high, addend: addend)
    }

    /// s ← s·other mod 2^p − 1 (both reduced).
    func mersenneMultiply(by other: BigInt, p: UInt64, modulus: BigInt, product: BigInt, high: BigInt) {
        __gmpz_mul(product.raw, raw, other.raw)
        reduceMersenne(p: p, modulus: modulus, product: product, high: high, addend: 0)
    }

    private func reduceMersenne(p: UInt64, modulus: BigInt, product: BigInt, high: BigInt, addend: Int64) {
        __gmpz_tdiv_q_2exp(high.raw, product.raw, UInt(p))
        __gmpz_tdiv_r_2exp(product.raw, product.raw, UInt(p))
        __gmpz_add(raw, product.raw, high.raw)
        if __gmpz_cmp(raw, modulus.raw) >= 0 { __gmpz_sub(raw, raw, modulus.raw) }
        if addend < 0 { __gmpz_sub_ui(raw, raw, UInt(addend.magnitude)) } else if addend > 0 { __gmpz_add_ui(raw, raw, UInt(addend)) }
        if raw.pointee._mp_size < 0 { __gmpz_add(raw, raw, modulus.raw) }
        if __gmpz_cmp(raw, modulus.raw) >= 0 { __gmpz_sub(raw, raw, modulus.raw) }
    }

    /// Integer from little-endian 64-bit limbs.
    convenience init(limbs: [UInt64]) {
        self.init()
        limbs.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress, buffer.count > 0 { __gmpz_import(raw, buffer.count, -1, 8, 0, 0, base) }
        }
    }

    /// The low `count` little-endian 64-bit limbs of |x| (zero-padded).
    func limbs(count: Int) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: max(count, (bitWidth + 63) / 64, 1))
        var written = 0
        out.withUnsafeMutableBufferPointer { buffer in
            _ = __gmpz_export(buffer.baseAddress, &written, -1, 8, 0, 0, raw)
        }
        return Array(out.prefix(max(count, 1)))
    }

    /// The Jacobi symbol (x | n) for odd n > 0: −1, 0 or +1.
    func jacobi(_ n: BigInt) -> Int { Int(__gmpz_jacobi(raw, n.raw)) }

    /// x ← x · value mod m (value a machine word).
    func multiply(_ value: UInt64, modulo m: BigInt) {
        __gmpz_mul_ui(raw, raw, UInt(value))
        __gmpz_fdiv_r(raw, raw, m.raw)
    }

    /// x ← x · y mod m.
    func multiply(_ y: BigInt, modulo m: BigInt) {
        __gmpz_mul(raw, raw, y.raw)
        __gmpz_fdiv_r(raw, raw, m.raw)
    }

    /// The inverse of x modulo m, nil when gcd(x, m) ≠ 1.
    func inverse(modulo m: BigInt) -> BigInt? {
        let r = BigInt()
        return __gmpz_invert(r.raw, raw, m.raw) != 0 ? r : nil
    }

    /// gcd(x, value) for a machine word.
    func gcd(_ value: UInt64) -> UInt64 { UInt64(__gmpz_gcd_ui(nil, raw, UInt(value))) }

    // MARK: - Primality

    /// GMP's `mpz_probab_prime_p` with 24 repetitions. In GMP ≥ 6.2 the first 24 Miller–Rabin rounds
    /// are replaced by one Baillie–PSW test (strong base-2 Miller–Rabin + strong Lucas–Selfridge), so
    /// this is exactly trial division + BPSW: 2 = certainly prime (small n), 1 = BPSW probable prime,
    /// 0 = composite.
    func baillieGMPTest() -> Int {
        Int(__gmpz_probab_prime_p(raw, 24))
    }
}
