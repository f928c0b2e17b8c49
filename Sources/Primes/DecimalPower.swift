import PrimesKernels
import PrimesKernelsAVX2

/// The decimal digits of 2^p − 1 computed directly in a decimal radix, without a binary-to-decimal
/// conversion: 2^p by left-to-right binary exponentiation on base-1000 numbers (a squaring by
/// `DecimalSquarer` per bit of p, and a doubling for each set bit), then the last digit lowered by one
/// (2^p ends in 2, 4, 6 or 8, so there is no borrow). The last squaring dominates: for p = 77,232,917 it
/// is one real convolution of 2^23 words.
///
/// Every squaring's round-off is checked, and the finished number is compared modulo two primes near 2^32
/// with 2^p − 1 computed by modular exponentiation; any failure returns nil and the caller uses GMP.
enum DecimalPower {
    /// From this exponent on the decimal radix is faster than GMP's `mpz_get_str` (Benchmarks/primes).
    static let threshold: UInt64 = 100_000

    /// ASCII digits of 2^p − 1 (p ≥ 1), or nil when a check failed.
    static func mersenneDigits(_ p: UInt64, baseline: Bool = false) -> [UInt8]? {
        var x: [UInt16] = [1]
        var scratch: [UInt16] = []
        var kernels: [Int: DecimalKernel] = [:]
        func kernel(_ n: Int) -> DecimalKernel {
            if let k = kernels[n] { return k }
            let k: DecimalKernel = MersenneEngine.avx2Available && !baseline
                ? PrimesKernelsAVX2.DecimalSquarer(length: n) : PrimesKernels.DecimalSquarer(length: n)
            kernels = [n: k]   // one length at a time: the previous one is never used again
            return k
        }
        for bit in stride(from: 63 - p.leadingZeroBitCount, through: 0, by: -1) {
            // x ← x²
            let count = x.count
            scratch = [UInt16](repeating: 0, count: 2 * count)
            if count <= 48 {
                schoolbookSquare(x, into: &scratch)
            } else {
                var n = 32
                while n < 2 * count { n *= 2 }
                let k = kernel(n)
                let error = x.withUnsafeBufferPointer { input in
                    scratch.withUnsafeMutableBufferPointer { k.square(input, into: $0) }
                }
                if error > PrimesKernels.DecimalSquarer.roundOffLimit { return nil }
            }
            while scratch.count > 1 && scratch.last == 0 { scratch.removeLast() }
            swap(&x, &scratch)
            if p >> UInt64(bit) & 1 == 1 { double(&x) }
        }
        var out: [UInt8] = []
        out.reserveCapacity(3 * x.count)
        let top = String(x[x.count - 1])
        out.append(contentsOf: top.utf8)
        for w in x.dropLast().reversed() {
            out.append(48 + UInt8(w / 100)); out.append(48 + UInt8(w / 10 % 10)); out.append(48 + UInt8(w % 10))
        }
        out[out.count - 1] -= 1
        return verify(x, p) ? out : nil
    }

    /// x ← 2x in base 1000.
    static func double(_ x: inout [UInt16]) {
        var carry: UInt16 = 0
        for i in x.indices {
            let t = 2 * x[i] + carry
            carry = t >= 1000 ? 1 : 0
            x[i] = t - 1000 * carry
        }
        if carry > 0 { x.append(carry) }
    }

    static func schoolbookSquare(_ x: [UInt16], into result: inout [UInt16]) {
        var acc = [UInt64](repeating: 0, count: 2 * x.count)
        for i in x.indices { for j in x.indices { acc[i + j] += UInt64(x[i]) * UInt64(x[j]) } }
        var carry: UInt64 = 0
        for i in acc.indices {
            let t = acc[i] + carry
            carry = t / 1000
            result[i] = UInt16(t % 1000)
        }
    }

    /// x (= 2^p in base 1000) agrees with 2^p modulo two primes: a wrong digit anywhere would have to
    /// cancel modulo both.
    static func verify(_ x: [UInt16], _ p: UInt64) -> Bool {
        for q: UInt64 in [4_294_967_291, 4_294_967_279] {
            var h: UInt64 = 0
            for w in x.reversed() { h = (h * 1000 + UInt64(w)) % q }
            var r: UInt64 = 1, b: UInt64 = 2, e = p
            while e > 0 { if e & 1 == 1 { r = r * b % q }; b = b * b % q; e >>= 1 }
            if h != r { return false }
        }
        return true
    }
}
