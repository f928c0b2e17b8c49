/// Exact squaring of non-negative integers written in base 1000 (three decimal digits per word), by a
/// real cyclic convolution of length N ≥ 2·(number of words) in double precision: zero padding makes the
/// cyclic convolution the plain product.
///
/// Base 1000 keeps the convolution small enough for doubles at the lengths a 41-million-digit number
/// needs: with n words below 1000 each output is at most n·10^6 < 2^43 for n ≤ 8M, and the FFT's error
/// (proportional to ε·log2 N·Σ d²) stays near 0.01, far from the 0.5 that would round wrongly; the caller
/// gets the measured error and refuses the result above `DecimalSquarer.roundOffLimit`.
package final class DecimalSquarer {
    /// N, real words of the convolution (a power of two ≥ 32).
    package let length: Int
    private let fft: ComplexFFT
    private let spectrum: RealSpectrum
    private let buffer: DWTBuffer

    package static let roundOffLimit = 0.25

    package init(length n: Int) {
        precondition(n >= 32 && n & (n - 1) == 0)
        length = n
        fft = ComplexFFT(count: n / 2)
        spectrum = RealSpectrum(points: n / 2)
        buffer = DWTBuffer(count: n / 2)
    }

    /// result ← digits² (base 1000, little-endian; `result` has room for 2·digits.count words, the input at
    /// most N/2 words). Returns the largest distance of a convolution output from an integer.
    package func square(_ digits: UnsafeBufferPointer<UInt16>, into result: UnsafeMutableBufferPointer<UInt16>) -> Double {
        let count = digits.count
        precondition(2 * count <= length && result.count >= 2 * count)
        let re = buffer.re, im = buffer.im, points = length / 2
        for j in 0..<points {
            let w = 2 * j
            re[j] = w < count ? Double(digits[w]) : 0
            im[j] = w + 1 < count ? Double(digits[w + 1]) : 0
        }
        fft.forwardFirstStage(re, im, part: 0, of: 1)
        spectrum.squareTransformed(re, im, fft: fft, range: 0..<points)
        fft.inverseLastStage(re, im, part: 0, of: 1)
        let scale = 1 / Double(points)
        let magic = 6_755_399_441_055_744.0
        var worst = 0.0
        var carry: Int64 = 0
        for j in 0..<count {
            // Words 2j and 2j + 1 of the product (2·count ≤ N, so all of them are in the buffer).
            let v0 = re[j] * scale, v1 = im[j] * scale
            let r0 = (v0 + magic) - magic, r1 = (v1 + magic) - magic
            worst = max(worst, max(abs(v0 - r0), abs(v1 - r1)))
            let t0 = Int64(r0) + carry
            let c0 = t0 / 1000
            result[2 * j] = UInt16(truncatingIfNeeded: t0 - c0 * 1000)
            let t1 = Int64(r1) + c0
            carry = t1 / 1000
            result[2 * j + 1] = UInt16(truncatingIfNeeded: t1 - carry * 1000)
        }
        // x² < 1000^(2·count): nothing is left over.
        return worst
    }
}
