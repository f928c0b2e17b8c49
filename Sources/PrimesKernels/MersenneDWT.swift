import Foundation

/// Squaring and multiplication modulo 2^p − 1 by the Crandall–Fagin irrational-base discrete weighted
/// transform (IBDWT), in double precision.
///
/// A residue is written in N words of variable width: word j holds b_j = ⌈p(j+1)/N⌉ − ⌈pj/N⌉ bits (the
/// floor or the ceiling of p/N) at bit position ⌈pj/N⌉, as a balanced digit in [−2^(b_j−1), 2^(b_j−1)).
/// Multiplying word j by the weight a_j = 2^(⌈pj/N⌉ − pj/N) turns the weighted cyclic convolution of
/// length N into multiplication modulo 2^p − 1: no zero padding and no separate reduction. The N real
/// words are packed into N/2 complex points (even words real, odd words imaginary); one complex FFT of
/// length N/2 and a split step give the real signal's spectrum.
///
/// Each product's inverse transform is unweighted, rounded to integers (the largest distance to the
/// nearest integer is returned as the round-off error of that operation), and the carries are
/// propagated into balanced digits again; the carry out of the top word wraps to word 0 since 2^p ≡ 1.
///
/// ```swift
/// let dwt = MersenneDWT(exponent: 86_243, length: 4096)
/// let x = dwt.makeBuffer(); dwt.load(x, limbs: [4])
/// let error = dwt.square(x, addend: -2)     // one Lucas–Lehmer step; error ≲ 0.3
/// ```
package final class MersenneDWT {
    /// p.
    package let exponent: Int
    /// N, the number of real words (a power of two).
    package let length: Int
    /// N/2, the number of complex points.
    package let points: Int
    package let fft: ComplexFFT
    /// a_j for even words (index j/2) and odd words.
    private let weightRe: UnsafeMutablePointer<Double>, weightIm: UnsafeMutablePointer<Double>
    /// 1/(a_j · N/2): unweighting and the inverse transform's normalisation in one factor.
    private let unweightRe: UnsafeMutablePointer<Double>, unweightIm: UnsafeMutablePointer<Double>
    /// b_j for even and odd words.
    private let bitsRe: [UInt8], bitsIm: [UInt8]
    /// 2^b_j and 2^−b_j for even and odd words (the carry step splits in floating point).
    private let radixRe: UnsafeMutablePointer<Double>, radixIm: UnsafeMutablePointer<Double>
    private let inverseRadixRe: UnsafeMutablePointer<Double>, inverseRadixIm: UnsafeMutablePointer<Double>
    /// The pointwise step on the packed spectrum.
    private let spectrum: RealSpectrum
    /// The second operand's spectrum in `multiply`.
    private let scratch: DWTBuffer

    /// Round-off above this is an error: the result may be wrong, redo the operation at a longer length.
    package static let roundOffLimit = 0.4

    package init(exponent p: Int, length n: Int) {
        precondition(n >= 32 && n & (n - 1) == 0 && p > n && p / n <= 48, "unsupported IBDWT length \(n) for p = \(p)")
        exponent = p
        length = n
        points = n / 2
        fft = ComplexFFT(count: n / 2)
        spectrum = RealSpectrum(points: n / 2)
        weightRe = ComplexFFT.allocate(points); weightIm = ComplexFFT.allocate(points)
        unweightRe = ComplexFFT.allocate(points); unweightIm = ComplexFFT.allocate(points)
        radixRe = ComplexFFT.allocate(points); radixIm = ComplexFFT.allocate(points)
        inverseRadixRe = ComplexFFT.allocate(points); inverseRadixIm = ComplexFFT.allocate(points)
        scratch = DWTBuffer(count: n / 2)
        var bRe = [UInt8](repeating: 0, count: n / 2), bIm = bRe
        // ⌈p·j/N⌉ without overflow: p < 2^31 and N ≤ 2^26 here.
        func position(_ j: Int) -> Int { (p * j + n - 1) / n }
        let scale = 1 / Double(n / 2)
        for j in 0..<n {
            let bits = UInt8(position(j + 1) - position(j))
            // a_j = 2^(⌈pj/N⌉ − pj/N) = 2^(((−pj) mod N)/N)
            let fraction = Double((n - (p * j) % n) % n) / Double(n)
            let a = exp2(fraction)
            let radix = Double(sign: .plus, exponent: Int(bits), significand: 1)
            if j % 2 == 0 {
                weightRe[j / 2] = a; unweightRe[j / 2] = scale / a; bRe[j / 2] = bits
                radixRe[j / 2] = radix; inverseRadixRe[j / 2] = 1 / radix
            } else {
                weightIm[j / 2] = a; unweightIm[j / 2] = scale / a; bIm[j / 2] = bits
                radixIm[j / 2] = radix; inverseRadixIm[j / 2] = 1 / radix
            }
        }
        bitsRe = bRe
        bitsIm = bIm
    }

    deinit {
        for p in [weightRe, weightIm, unweightRe, unweightIm, radixRe, radixIm, inverseRadixRe, inverseRadixIm] {
            p.deallocate()
        }
    }

    package func makeBuffer() -> DWTBuffer { DWTBuffer(count: points) }

    /// y ← x.
    package func copy(_ x: DWTBuffer, to y: DWTBuffer) { y.copy(from: x) }

    // MARK: - Arithmetic

    /// x ← x² + addend (mod 2^p − 1). Returns the round-off error (see `roundOffLimit`).
    @discardableResult
    package func square(_ x: DWTBuffer, addend: Int64 = 0) -> Double {
        fft.forward(x.re, x.im)
        spectrum.square(x.re, x.im)
        fft.inverse(x.re, x.im)
        return carry(x, addend: addend)
    }

    /// x ← x · y (mod 2^p − 1); y is unchanged. Returns the round-off error.
    @discardableResult
    package func multiply(_ x: DWTBuffer, by y: DWTBuffer) -> Double {
        scratch.copy(from: y)
        fft.forward(scratch.re, scratch.im)
        fft.forward(x.re, x.im)
        spectrum.multiply(x.re, x.im, scratch.re, scratch.im)
        fft.inverse(x.re, x.im)
        return carry(x, addend: 0)
    }

    // MARK: - Carries

    /// 1.5·2^52: adding and subtracting it rounds a double of magnitude < 2^51 to the nearest integer.
    private static let roundingConstant = 6_755_399_441_055_744.0
    /// 2^50: unweighted outputs above this (in a pair of words) are reported as infinite round-off.
    private static let magnitudeLimit = 1_125_899_906_842_624.0

    /// Unweights and rounds the inverse transform, adds `addend` to word 0, propagates carries and
    /// weights the digits again; returns the largest distance of an unweighted output from an integer.
    ///
    /// The carries are propagated in floating point, four positions (eight words) per vector, without a
    /// sequential chain: each word's integer r splits exactly into a balanced digit d and a carry
    /// c = round(r·2^−b) (all values are integers below 2^51, so every step is exact); the carry enters
    /// the next word (even word j → odd word j, odd word j → even word j + 1), and one more split of
    /// that sum leaves carries of a few units, which are added to the next digit and kept there. The
    /// digits are then balanced to within a few units, which is all the next transform needs. The carry
    /// out of the top word wraps to word 0 (2^p ≡ 1) and is rippled in with the addend at the end.
    private func carry(_ x: DWTBuffer, addend: Int64) -> Double {
        typealias V = SIMD4<Double>
        let re = x.re, im = x.im
        let magic = V(repeating: Self.roundingConstant)
        // The largest squared round-off (of one word's or the sum over an even and odd word, an upper bound).
        var worst = 0.0, largest = 0.0
        // Carries out of the previous vector's last odd word, first and second split.
        var previous1 = 0.0, previous2 = 0.0
        var j = 0
        while j < points {
            let vr = ComplexFFT.load(re, j) * ComplexFFT.load(unweightRe, j)
            let vi = ComplexFFT.load(im, j) * ComplexFFT.load(unweightIm, j)
            let rr = (vr + magic) - magic, ri = (vi + magic) - magic
            let er = vr - rr, ei = vi - ri
            let e2 = er * er + ei * ei
            worst = max(worst, max(max(e2[0], e2[1]), max(e2[2], e2[3])))
            // Rounding by the constant needs |v| < 2^51; beyond that the product is lost (a far too short
            // length), and the error would read as 0.
            let m2 = vr * vr + vi * vi
            largest = max(largest, max(max(m2[0], m2[1]), max(m2[2], m2[3])))
            let radR = ComplexFFT.load(radixRe, j), radI = ComplexFFT.load(radixIm, j)
            let invR = ComplexFFT.load(inverseRadixRe, j), invI = ComplexFFT.load(inverseRadixIm, j)
            // First split of the even words; their carries go to the odd words of the same positions.
            let cr1 = ((rr * invR) + magic) - magic
            let dr1 = rr - cr1 * radR
            let ti = ri + cr1
            let ci1 = ((ti * invI) + magic) - magic
            let di1 = ti - ci1 * radI
            // Odd words' carries go to the next position's even word.
            let shifted1 = V(previous1, ci1[0], ci1[1], ci1[2])
            previous1 = ci1[3]
            let tr = dr1 + shifted1
            // Second split: carries of a few units at most.
            let cr2 = ((tr * invR) + magic) - magic
            let dr2 = tr - cr2 * radR
            let ti2 = di1 + cr2
            let ci2 = ((ti2 * invI) + magic) - magic
            let di2 = ti2 - ci2 * radI
            let shifted2 = V(previous2, ci2[0], ci2[1], ci2[2])
            previous2 = ci2[3]
            ComplexFFT.store((dr2 + shifted2) * ComplexFFT.load(weightRe, j), re, j)
            ComplexFFT.store(di2 * ComplexFFT.load(weightIm, j), im, j)
            j += 4
        }
        if !(largest < Self.magnitudeLimit * Self.magnitudeLimit) { return .infinity }
        // The top word's carries re-enter at word 0 with the addend; the small second carry is already
        // part of the value, so add both and ripple.
        propagate(x, Int64(previous1) + Int64(previous2) + addend, fromWord: 0)
        return worst.squareRoot()
    }

    /// Adds `carry` to the balanced digit of word `start` and ripples it upward (wrapping) until absorbed.
    private func propagate(_ x: DWTBuffer, _ carry: Int64, fromWord start: Int) {
        var carry = carry, w = start
        while carry != 0 {
            let (value, weight, bits) = w % 2 == 0 ? (x.re, weightRe, bitsRe) : (x.im, weightIm, bitsIm)
            let j = w / 2
            let d = Int64(((value[j] / weight[j]) + Self.roundingConstant) - Self.roundingConstant)
            let t = d + carry
            let b = Int64(bits[j])
            carry = (t + (1 << (b - 1))) >> b
            value[j] = Double(t - (carry << b)) * weight[j]
            w = (w + 1) % length
        }
    }

    // MARK: - Conversion

    /// The integer digits (balanced) of x, word by word.
    private func digits(_ x: DWTBuffer) -> [Int64] {
        var d = [Int64](repeating: 0, count: length)
        for j in 0..<points {
            d[2 * j] = Int64(((x.re[j] / weightRe[j]) + Self.roundingConstant) - Self.roundingConstant)
            d[2 * j + 1] = Int64(((x.im[j] / weightIm[j]) + Self.roundingConstant) - Self.roundingConstant)
        }
        return d
    }

    private func bits(_ w: Int) -> Int { Int(w % 2 == 0 ? bitsRe[w / 2] : bitsIm[w / 2]) }

    /// x as the canonical residue in [0, 2^p − 1): little-endian 64-bit limbs, ⌈p/64⌉ of them.
    package func limbs(_ x: DWTBuffer) -> [UInt64] {
        var d = digits(x)
        var out = [UInt64](repeating: 0, count: (exponent + 63) / 64)
        while true {
            // Non-negative digits: borrow from the next word; a borrow out of the top re-enters word 0.
            var carry: Int64 = 0
            for w in 0..<length {
                let b = Int64(bits(w))
                let t = d[w] + carry
                let u = t & ((1 << b) - 1)
                carry = (t - u) >> b
                d[w] = u
            }
            if carry == 0 { break }
            d[0] += carry
        }
        var position = 0
        for w in 0..<length {
            let b = bits(w)
            let u = UInt64(d[w])
            out[position / 64] |= u << UInt64(position % 64)
            if position % 64 + b > 64 { out[position / 64 + 1] |= u >> UInt64(64 - position % 64) }
            position += b
        }
        // 2^p − 1 itself is the residue 0.
        let topBits = exponent - 64 * (out.count - 1)
        let topMask: UInt64 = topBits == 64 ? ~0 : (1 << UInt64(topBits)) - 1
        if out.dropLast().allSatisfy({ $0 == ~0 }) && out[out.count - 1] == topMask {
            for i in out.indices { out[i] = 0 }
        }
        return out
    }

    /// Loads the residue given as little-endian 64-bit limbs (any value below 2^p; extra limbs are
    /// ignored, missing ones are zero) into x.
    package func load(_ x: DWTBuffer, limbs value: [UInt64]) {
        var d = [Int64](repeating: 0, count: length)
        var position = 0
        for w in 0..<length {
            let b = bits(w)
            let limb = position / 64, shift = position % 64
            var u = limb < value.count ? value[limb] >> UInt64(shift) : 0
            if shift + b > 64, limb + 1 < value.count { u |= value[limb + 1] << UInt64(64 - shift) }
            d[w] = Int64(u & ((1 << UInt64(b)) - 1))
            position += b
        }
        // Balance: each digit into [−2^(b−1), 2^(b−1)), carrying upward and around.
        var carry: Int64 = 0
        repeat {
            for w in 0..<length {
                let b = Int64(bits(w))
                let t = d[w] + carry
                carry = (t + (1 << (b - 1))) >> b
                d[w] = t - (carry << b)
            }
        } while carry != 0
        for j in 0..<points {
            x.re[j] = Double(d[2 * j]) * weightRe[j]
            x.im[j] = Double(d[2 * j + 1]) * weightIm[j]
        }
    }
}
