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
///
/// With `threads: 2` each squaring is shared by the caller's thread and a worker (`SquaringTeam`): the
/// transforms and the pointwise step split as `ComplexFFT.forward` describes, the carries by halves of the words (the carry out of the lower half is rippled into the upper half afterwards, as
/// the one out of the top word is into word 0).
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
    /// Word j is wide (b_j = ⌊p/N⌋ + 1 bits) exactly when a_j is below this, else narrow (⌊p/N⌋ bits): with
    /// p = qN + r, the weight exponent f_j = ⌈pj/N⌉ − pj/N falls by r/N from word to word (mod 1), and b_j =
    /// q + r/N + f_{j+1} − f_j is q + 1 iff f_j < r/N. The f_j are multiples of 1/N, so comparing a_j with
    /// 2^((r − ½)/N) decides it with room to spare, and the carry step needs no table of word widths.
    private let wideBelow: Double
    /// 2^b and 2^−b for wide and narrow words (the carry step splits in floating point).
    private let wideRadix: Double, narrowRadix: Double
    /// The pointwise step on the packed spectrum.
    private let spectrum: RealSpectrum
    /// The second operand's spectrum in `multiply`.
    private let scratch: DWTBuffer
    /// 1 or 2: threads sharing each squaring.
    package let threads: Int
    /// The worker when `threads` is 2; it calls `squarePart(1)` for the squaring in `current`.
    private var team: SquaringTeam?
    /// The squaring the team is doing: the operand, and each part's carry results.
    private var current: DWTBuffer?
    private let partResults = UnsafeMutablePointer<CarryResult>.allocate(capacity: 16)

    /// Round-off above this is an error: the result may be wrong, redo the operation at a longer length.
    package static let roundOffLimit = 0.4

    package init(exponent p: Int, length n: Int, threads: Int = 1) {
        precondition(n >= 32 && n & (n - 1) == 0 && p > n && p / n <= 48, "unsupported IBDWT length \(n) for p = \(p)")
        precondition(threads == 1 || (threads == 2 && n >= 64), "two threads need length ≥ 64")
        self.threads = threads
        exponent = p
        length = n
        points = n / 2
        fft = ComplexFFT(count: n / 2)
        spectrum = RealSpectrum(points: n / 2)
        weightRe = ComplexFFT.allocate(points); weightIm = ComplexFFT.allocate(points)
        unweightRe = ComplexFFT.allocate(points); unweightIm = ComplexFFT.allocate(points)
        wideBelow = exp2((Double(p % n) - 0.5) / Double(n))
        narrowRadix = Double(sign: .plus, exponent: p / n, significand: 1)
        wideRadix = 2 * narrowRadix
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
            precondition((a < wideBelow) == (Int(bits) == p / n + 1), "word width rule broken at word \(j)")
            if j % 2 == 0 {
                weightRe[j / 2] = a; unweightRe[j / 2] = scale / a; bRe[j / 2] = bits
            } else {
                weightIm[j / 2] = a; unweightIm[j / 2] = scale / a; bIm[j / 2] = bits
            }
        }
        bitsRe = bRe
        bitsIm = bIm
        partResults.initialize(repeating: CarryResult(), count: 16)
        if threads == 2 {
            // The worker must not keep this object alive (deinit stops it): it reaches it unowned.
            let owner = Unowned(self)
            team = SquaringTeam { part in owner.object.squarePart(part) }
        }
    }

    deinit {
        team?.stop()
        partResults.deallocate()
        for p in [weightRe, weightIm, unweightRe, unweightIm] {
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
        guard let team else {
            fft.forwardFirstStage(x.re, x.im, part: 0, of: 1)
            spectrum.squareTransformed(x.re, x.im, fft: fft, range: 0..<points)
            fft.inverseLastStage(x.re, x.im, part: 0, of: 1)
            return finish(x, lower: nil, upper: carry(x, positions: 0..<points), addend: addend)
        }
        current = x
        team.run()
        current = nil
        return finish(x, lower: partResults[0], upper: partResults[8], addend: addend)
    }

    /// One thread's share of a squaring (part 0 or 1; see the type's description).
    private func squarePart(_ part: Int) {
        guard let x = current, let team else { return }
        fft.forwardFirstStage(x.re, x.im, part: part, of: 2)
        team.barrier(part)
        spectrum.squareTransformed(x.re, x.im, fft: fft, range: ComplexFFT.share(0..<points, part, 2))
        team.barrier(part)
        fft.inverseLastStage(x.re, x.im, part: part, of: 2)
        team.barrier(part)
        partResults[8 * part] = carry(x, positions: part == 0 ? 0..<(points / 2) : (points / 2)..<points)
    }

    /// x ← x · y (mod 2^p − 1); y is unchanged. Returns the round-off error.
    @discardableResult
    package func multiply(_ x: DWTBuffer, by y: DWTBuffer) -> Double {
        scratch.copy(from: y)
        fft.forward(scratch.re, scratch.im)
        fft.forward(x.re, x.im)
        spectrum.multiply(x.re, x.im, scratch.re, scratch.im)
        fft.inverse(x.re, x.im)
        return finish(x, lower: nil, upper: carry(x, positions: 0..<points), addend: 0)
    }

    // MARK: - Carries

    /// 1.5·2^52: adding and subtracting it rounds a double of magnitude < 2^51 to the nearest integer.
    private static let roundingConstant = 6_755_399_441_055_744.0
    /// 2^50: unweighted outputs above this (in a pair of words) are reported as infinite round-off.
    private static let magnitudeLimit = 1_125_899_906_842_624.0

    /// What `carry` found in its positions: the largest squared round-off, the largest squared magnitude
    /// of an output, and the carry out of the last word (to be added at the next word).
    struct CarryResult {
        var worst = 0.0, largest = 0.0, out: Int64 = 0
    }

    /// Adds the carries out of the words' lower half (when it was done apart) at word N/2 and out of the
    /// top word, with `addend`, at word 0 (2^p ≡ 1); returns the round-off error of the operation (infinite
    /// when an output was too large to round).
    private func finish(_ x: DWTBuffer, lower: CarryResult?, upper: CarryResult, addend: Int64) -> Double {
        let worst = max(upper.worst, lower?.worst ?? 0), largest = max(upper.largest, lower?.largest ?? 0)
        if !(largest < Self.magnitudeLimit * Self.magnitudeLimit) { return .infinity }
        if let lower { propagate(x, lower.out, fromWord: length / 2) }
        propagate(x, upper.out + addend, fromWord: 0)
        return worst.squareRoot()
    }

    /// Unweights and rounds the inverse transform at `positions` (a range of multiples of 4), propagates
    /// carries and weights the digits again; the carry out of the last position is returned, not added.
    ///
    /// The carries are propagated in floating point, four positions (eight words) per vector, without a
    /// sequential chain: each word's integer r splits exactly into a balanced digit d and a carry
    /// c = round(r·2^−b) (all values are integers below 2^51, so every step is exact); the carry enters
    /// the next word (even word j → odd word j, odd word j → even word j + 1), and one more split of
    /// that sum leaves carries of a few units, which are added to the next digit and kept there. The
    /// digits are then balanced to within a few units, which is all the next transform needs. The carry
    /// out of the top word wraps to word 0 (2^p ≡ 1) and is rippled in with the addend at the end.
    private func carry(_ x: DWTBuffer, positions: Range<Int>) -> CarryResult {
        typealias V = SIMD4<Double>
        let re = x.re, im = x.im
        let magic = V(repeating: Self.roundingConstant)
        // The largest squared round-off (of one word's or the sum over an even and odd word, an upper bound).
        var worst = 0.0, largest = 0.0
        // Carries out of the previous vector's last odd word, first and second split.
        var previous1 = 0.0, previous2 = 0.0
        let threshold = V(repeating: wideBelow), wide = V(repeating: wideRadix), narrow = V(repeating: narrowRadix)
        let inverseWide = 1 / wide, inverseNarrow = 1 / narrow
        var j = positions.lowerBound
        while j < positions.upperBound {
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
            let ar = ComplexFFT.load(weightRe, j), ai = ComplexFFT.load(weightIm, j)
            let wideR = ar .< threshold, wideI = ai .< threshold
            let radR = narrow.replacing(with: wide, where: wideR), radI = narrow.replacing(with: wide, where: wideI)
            let invR = inverseNarrow.replacing(with: inverseWide, where: wideR), invI = inverseNarrow.replacing(with: inverseWide, where: wideI)
            // First split; the odd words' carries go to the next position's even word.
            let (dr1, di1, ci1) = Self.split(rr, ri, radR, invR, radI, invI)
            let shifted1 = V(previous1, ci1[0], ci1[1], ci1[2])
            previous1 = ci1[3]
            // Second split: carries of a few units at most.
            let (dr2, di2, ci2) = Self.split(dr1 + shifted1, di1, radR, invR, radI, invI)
            let shifted2 = V(previous2, ci2[0], ci2[1], ci2[2])
            previous2 = ci2[3]
            ComplexFFT.store((dr2 + shifted2) * ar, re, j)
            ComplexFFT.store(di2 * ai, im, j)
            j += 4
        }
        // Both carries out of the last word (the small second one is already part of the value).
        return CarryResult(worst: worst, largest: largest, out: Int64(previous1) + Int64(previous2))
    }

    /// Splits the integers of four even words and the odd words after them into balanced digits (exactly:
    /// every value is an integer below 2^51): each even word's carry goes into its odd word, and the odd
    /// words' carries are returned for the next position's even words.
    @inline(__always) private static func split(_ even: SIMD4<Double>, _ odd: SIMD4<Double>, _ radixEven: SIMD4<Double>, _ inverseEven: SIMD4<Double>,
                                                _ radixOdd: SIMD4<Double>, _ inverseOdd: SIMD4<Double>) -> (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>) {
        let magic = SIMD4<Double>(repeating: roundingConstant)
        let carryEven = ((even * inverseEven) + magic) - magic
        let sum = odd + carryEven
        let carryOdd = ((sum * inverseOdd) + magic) - magic
        return (even - carryEven * radixEven, sum - carryOdd * radixOdd, carryOdd)
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

/// An unowned reference that may cross to the worker thread: `MersenneDWT` stops its worker in deinit and
/// runs it only inside `square`, so the object outlives every use.
private struct Unowned<Object: AnyObject>: @unchecked Sendable {
    unowned(unsafe) let object: Object
    init(_ object: Object) { self.object = object }
}
