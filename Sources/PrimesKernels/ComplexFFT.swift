import Foundation

/// A complex FFT of power-of-two length on split arrays (real parts in one buffer, imaginary parts
/// in another), for the weighted transforms of `MersenneDWT` and `DecimalPower`.
///
/// The forward transform is decimation in frequency: natural order in, bit-reversed order out. The
/// inverse is decimation in time: bit-reversed order in, natural order out, unnormalised (it returns
/// `count` times the inverse DFT). A convolution never needs the bit-reversal permutation: the
/// pointwise step works on the bit-reversed spectrum (see `MersenneDWT` for how it finds the pairs
/// k, count − k there).
///
/// Stages are radix 4 (one radix-2 stage first when log2(count) is odd), so the data is swept
/// log4(count) times per transform; every stage but the last works on `SIMD4<Double>` vectors of
/// four consecutive points with their twiddles stored next to each other in the order they are read.
/// The twiddles are computed once, in double precision, from `cos`/`sin` of 2πj/n for each j.
///
/// The buffers are raw pointers for speed; this type and `MersenneDWT`/`DecimalPower` are the only
/// users, and every buffer they pass is 64-byte aligned and `count` doubles long.
package final class ComplexFFT: @unchecked Sendable {
    typealias V4 = SIMD4<Double>

    /// Number of complex points (a power of two, at least 16).
    package let count: Int
    /// Span of the leading radix-2 stage (count / 2), or 0 when log2(count) is even.
    private let radix2Span: Int
    /// Quarter spans q of the radix-4 stages in forward order: count/4 (or count/8), …, 4, 1.
    private let quarters: [Int]
    /// Offset into `twiddles` of each radix-4 stage's table (q ≥ 4); the radix-2 table is at 0.
    private let offsets: [Int]
    private let twiddles: UnsafeMutablePointer<Double>
    private let twiddleCount: Int

    package init(count: Int) {
        precondition(count >= 16 && count & (count - 1) == 0, "FFT length must be a power of two ≥ 16")
        self.count = count
        let log2n = count.trailingZeroBitCount
        radix2Span = log2n % 2 == 1 ? count / 2 : 0
        var qs: [Int] = []
        var q = (radix2Span > 0 ? count / 2 : count) / 4
        while q >= 1 { qs.append(q); q /= 4 }
        quarters = qs
        // Radix-2 table: per block of 4 j's, [re×4, im×4]. Radix-4 tables: per block, [w1 re×4, w1 im×4,
        // w2 re×4, w2 im×4, w3 re×4, w3 im×4].
        var size = radix2Span > 0 ? 2 * radix2Span : 0
        var offs: [Int] = []
        for q in qs {
            offs.append(size)
            if q >= 4 { size += 6 * q }
        }
        offsets = offs
        twiddleCount = max(size, 8)
        twiddles = ComplexFFT.allocate(twiddleCount)
        if radix2Span > 0 {
            let h = radix2Span
            for j in 0..<h {
                let (c, s) = ComplexFFT.unitRoot(j, 2 * h)
                twiddles[(j / 4) * 8 + j % 4] = c
                twiddles[(j / 4) * 8 + 4 + j % 4] = s
            }
        }
        for (q, base) in zip(qs, offs) where q >= 4 {
            for j in 0..<q {
                let block = base + (j / 4) * 24, lane = j % 4
                for m in 1...3 {
                    let (c, s) = ComplexFFT.unitRoot(m * j, 4 * q)
                    twiddles[block + (m - 1) * 8 + lane] = c
                    twiddles[block + (m - 1) * 8 + 4 + lane] = s
                }
            }
        }
    }

    deinit { twiddles.deallocate() }

    /// e^{−2πi·k/n} as (real, imaginary). The angle is reduced to within π/4 of a multiple of π/2
    /// before `cos`/`sin`, so every table entry is correct to about one ulp.
    static func unitRoot(_ k: Int, _ n: Int) -> (Double, Double) {
        let r = ((k % n) + n) % n
        let m = (4 * r + n / 2) / n                    // nearest quarter turn, 0…4
        let phi = 2 * Double.pi * Double(4 * r - m * n) / Double(4 * n)
        let c = cos(phi), s = sin(phi)
        let (cosTheta, sinTheta): (Double, Double)
        switch m % 4 {
        case 0: (cosTheta, sinTheta) = (c, s)
        case 1: (cosTheta, sinTheta) = (-s, c)
        case 2: (cosTheta, sinTheta) = (-c, -s)
        default: (cosTheta, sinTheta) = (s, -c)
        }
        return (cosTheta, -sinTheta)
    }

    /// A 64-byte aligned buffer of `count` doubles, zeroed.
    static func allocate(_ count: Int) -> UnsafeMutablePointer<Double> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 8) * 8, alignment: 64)
        let p = raw.bindMemory(to: Double.self, capacity: max(count, 8))
        p.initialize(repeating: 0, count: max(count, 8))
        return p
    }

    @inline(__always) static func load(_ p: UnsafeMutablePointer<Double>, _ i: Int) -> V4 {
        UnsafeRawPointer(p + i).load(as: V4.self)
    }

    @inline(__always) static func store(_ v: V4, _ p: UnsafeMutablePointer<Double>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: V4.self)
    }

    // MARK: - Forward (decimation in frequency)

    /// In place: natural order in, bit-reversed order out.
    package func forward(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>) {
        forwardFirstStage(re, im, part: 0, of: 1)
        forwardMiddle(re, im, 0..<count, block: 0)
    }

    // Two threads share one transform, and the transform keeps to the cache, in the same way. The first
    // stage of the forward transform (and the last of the inverse) spans the whole array: two threads split
    // its columns. Every later stage works on groups of at most count/2 consecutive points, so each thread
    // keeps to its own half of the array (`forwardMiddle`); and once the groups are at most a block
    // (`blockPoints`), all the remaining stages are done one block at a time (`forwardBlock`), so a block is
    // read from memory once instead of once per stage. `RealSpectrum.squareTransformed` orders the blocks
    // so that the pointwise step finds both members of each pair in the cache as well.

    /// Points per block: 64 KB of real and 64 KB of imaginary parts (with the twiddles of its stages, well
    /// within a 512 KB level-2 cache).
    package static let blockPoints = 4096

    /// The forward transform's first stage, columns `part` of `parts` (1 or 2; count ≥ 32 for 2).
    package func forwardFirstStage(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, part: Int, of parts: Int) {
        if radix2Span > 0 {
            radix2Forward(re, im, Self.share(0..<radix2Span, part, parts))
        } else {
            radix4Forward(re, im, quarters[0], twiddles + offsets[0], 0..<count, columns: Self.share(0..<quarters[0], part, parts))
        }
    }

    /// Index in `quarters` of the stages after the first one: all radix-4 stages after a radix-2 one, else
    /// all but the first.
    private var laterStages: Range<Int> { (radix2Span > 0 ? 0 : 1)..<quarters.count }

    /// The stages after the first whose groups are longer than `block` points, on `range` (whole groups).
    package func forwardMiddle(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, _ range: Range<Int>, block: Int) {
        for index in laterStages where 4 * quarters[index] > block { forwardStage(re, im, index, range) }
    }

    /// The stages after the first whose groups are at most `range.count` points, on `range`.
    package func forwardBlock(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, _ range: Range<Int>) {
        for index in laterStages where 4 * quarters[index] <= range.count { forwardStage(re, im, index, range) }
    }

    @inline(__always) private func forwardStage(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, _ index: Int, _ range: Range<Int>) {
        let q = quarters[index]
        if q == 1 { radix4ForwardLast(re, im, range) } else { radix4Forward(re, im, q, twiddles + offsets[index], range, columns: 0..<q) }
    }

    /// Share `part` of `parts` (1 or 2) of a range whose length is a multiple of 8.
    @inline(__always) static func share(_ range: Range<Int>, _ part: Int, _ parts: Int) -> Range<Int> {
        if parts == 1 { return range }
        let middle = range.lowerBound + range.count / 2
        return part == 0 ? range.lowerBound..<middle : middle..<range.upperBound
    }

    private func radix2Forward(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, _ cols: Range<Int>) {
        let h = radix2Span
        var j = cols.lowerBound
        while j < cols.upperBound {
            let t = twiddles + (j / 4) * 8
            let wr = Self.load(t, 0), wi = Self.load(t, 4)
            let ar = Self.load(re, j), ai = Self.load(im, j)
            let br = Self.load(re, j + h), bi = Self.load(im, j + h)
            Self.store(ar + br, re, j); Self.store(ai + bi, im, j)
            let dr = ar - br, di = ai - bi
            Self.store(dr * wr - di * wi, re, j + h); Self.store(dr * wi + di * wr, im, j + h)
            j += 4
        }
    }

    /// One radix-4 DIF stage with quarter span q ≥ 4 over the groups in `range`, columns `columns` of each.
    private func radix4Forward(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, _ q: Int,
                               _ tw: UnsafeMutablePointer<Double>, _ range: Range<Int>, columns: Range<Int>) {
        var g = range.lowerBound
        while g < range.upperBound {
            var j = columns.lowerBound
            while j < columns.upperBound {
                let t = tw + (j / 4) * 24
                let i0 = g + j, i1 = i0 + q, i2 = i1 + q, i3 = i2 + q
                let a0r = Self.load(re, i0), a0i = Self.load(im, i0)
                let a1r = Self.load(re, i1), a1i = Self.load(im, i1)
                let a2r = Self.load(re, i2), a2i = Self.load(im, i2)
                let a3r = Self.load(re, i3), a3i = Self.load(im, i3)
                let t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i
                let t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1r - a3r, t3i = a1i - a3i
                Self.store(t0r + t2r, re, i0); Self.store(t0i + t2i, im, i0)
                // y2 = (t0 − t2)·w², to i1
                let y2r = t0r - t2r, y2i = t0i - t2i
                let w2r = Self.load(t, 8), w2i = Self.load(t, 12)
                Self.store(y2r * w2r - y2i * w2i, re, i1); Self.store(y2r * w2i + y2i * w2r, im, i1)
                // y1 = (t1 − i·t3)·w¹, to i2
                let y1r = t1r + t3i, y1i = t1i - t3r
                let w1r = Self.load(t, 0), w1i = Self.load(t, 4)
                Self.store(y1r * w1r - y1i * w1i, re, i2); Self.store(y1r * w1i + y1i * w1r, im, i2)
                // y3 = (t1 + i·t3)·w³, to i3
                let y3r = t1r - t3i, y3i = t1i + t3r
                let w3r = Self.load(t, 16), w3i = Self.load(t, 20)
                Self.store(y3r * w3r - y3i * w3i, re, i3); Self.store(y3r * w3i + y3i * w3r, im, i3)
                j += 4
            }
            g += 4 * q
        }
    }

    /// The last radix-4 stage (q = 1, no twiddles): 4-point DFTs of consecutive points, four groups at
    /// a time through a 4×4 transpose.
    private func radix4ForwardLast(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, _ range: Range<Int>) {
        var g = range.lowerBound
        while g < range.upperBound {
            let (a0r, a1r, a2r, a3r) = Self.transpose(Self.load(re, g), Self.load(re, g + 4), Self.load(re, g + 8), Self.load(re, g + 12))
            let (a0i, a1i, a2i, a3i) = Self.transpose(Self.load(im, g), Self.load(im, g + 4), Self.load(im, g + 8), Self.load(im, g + 12))
            let t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i
            let t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1r - a3r, t3i = a1i - a3i
            let (o0r, o1r, o2r, o3r) = Self.transpose(t0r + t2r, t0r - t2r, t1r + t3i, t1r - t3i)
            let (o0i, o1i, o2i, o3i) = Self.transpose(t0i + t2i, t0i - t2i, t1i - t3r, t1i + t3r)
            Self.store(o0r, re, g); Self.store(o1r, re, g + 4); Self.store(o2r, re, g + 8); Self.store(o3r, re, g + 12)
            Self.store(o0i, im, g); Self.store(o1i, im, g + 4); Self.store(o2i, im, g + 8); Self.store(o3i, im, g + 12)
            g += 16
        }
    }

    @inline(__always) static func transpose(_ a: V4, _ b: V4, _ c: V4, _ d: V4) -> (V4, V4, V4, V4) {
        (V4(a[0], b[0], c[0], d[0]), V4(a[1], b[1], c[1], d[1]), V4(a[2], b[2], c[2], d[2]), V4(a[3], b[3], c[3], d[3]))
    }

    // MARK: - Inverse (decimation in time)

    /// In place: bit-reversed order in, natural order out, times `count`.
    package func inverse(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>) {
        inverseMiddle(re, im, 0..<count, block: 0)
        inverseLastStage(re, im, part: 0, of: 1)
    }

    /// The inverse of `forwardBlock`: the stages before the last whose groups are at most `range.count` points.
    package func inverseBlock(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, _ range: Range<Int>) {
        for index in laterStages.reversed() where 4 * quarters[index] <= range.count { inverseStage(re, im, index, range) }
    }

    /// The inverse of `forwardMiddle`: the stages before the last whose groups are longer than `block` points.
    package func inverseMiddle(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, _ range: Range<Int>, block: Int) {
        for index in laterStages.reversed() where 4 * quarters[index] > block { inverseStage(re, im, index, range) }
    }

    @inline(__always) private func inverseStage(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, _ index: Int, _ range: Range<Int>) {
        let q = quarters[index]
        if q == 1 { radix4InverseFirst(re, im, range) } else { radix4Inverse(re, im, q, twiddles + offsets[index], range, columns: 0..<q) }
    }

    /// The inverse transform's last stage, columns `part` of `parts`.
    package func inverseLastStage(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, part: Int, of parts: Int) {
        if radix2Span > 0 {
            radix2Inverse(re, im, Self.share(0..<radix2Span, part, parts))
        } else {
            radix4Inverse(re, im, quarters[0], twiddles + offsets[0], 0..<count, columns: Self.share(0..<quarters[0], part, parts))
        }
    }

    private func radix4Inverse(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, _ q: Int,
                               _ tw: UnsafeMutablePointer<Double>, _ range: Range<Int>, columns: Range<Int>) {
        var g = range.lowerBound
        while g < range.upperBound {
            var j = columns.lowerBound
            while j < columns.upperBound {
                let t = tw + (j / 4) * 24
                let i0 = g + j, i1 = i0 + q, i2 = i1 + q, i3 = i2 + q
                let z0r = Self.load(re, i0), z0i = Self.load(im, i0)
                // z2 = x[i1]·conj(w²), z1 = x[i2]·conj(w¹), z3 = x[i3]·conj(w³)
                let x1r = Self.load(re, i1), x1i = Self.load(im, i1)
                let w2r = Self.load(t, 8), w2i = Self.load(t, 12)
                let z2r = x1r * w2r + x1i * w2i, z2i = x1i * w2r - x1r * w2i
                let x2r = Self.load(re, i2), x2i = Self.load(im, i2)
                let w1r = Self.load(t, 0), w1i = Self.load(t, 4)
                let z1r = x2r * w1r + x2i * w1i, z1i = x2i * w1r - x2r * w1i
                let x3r = Self.load(re, i3), x3i = Self.load(im, i3)
                let w3r = Self.load(t, 16), w3i = Self.load(t, 20)
                let z3r = x3r * w3r + x3i * w3i, z3i = x3i * w3r - x3r * w3i
                let s02r = z0r + z2r, s02i = z0i + z2i, d02r = z0r - z2r, d02i = z0i - z2i
                let s13r = z1r + z3r, s13i = z1i + z3i, d13r = z1r - z3r, d13i = z1i - z3i
                Self.store(s02r + s13r, re, i0); Self.store(s02i + s13i, im, i0)
                Self.store(s02r - s13r, re, i2); Self.store(s02i - s13i, im, i2)
                // a1 = d02 + i·d13, a3 = d02 − i·d13
                Self.store(d02r - d13i, re, i1); Self.store(d02i + d13r, im, i1)
                Self.store(d02r + d13i, re, i3); Self.store(d02i - d13r, im, i3)
                j += 4
            }
            g += 4 * q
        }
    }

    private func radix4InverseFirst(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, _ range: Range<Int>) {
        var g = range.lowerBound
        while g < range.upperBound {
            // Inputs per group: y0, y2, y1, y3 at offsets 0, 1, 2, 3.
            let (z0r, z2r, z1r, z3r) = Self.transpose(Self.load(re, g), Self.load(re, g + 4), Self.load(re, g + 8), Self.load(re, g + 12))
            let (z0i, z2i, z1i, z3i) = Self.transpose(Self.load(im, g), Self.load(im, g + 4), Self.load(im, g + 8), Self.load(im, g + 12))
            let s02r = z0r + z2r, s02i = z0i + z2i, d02r = z0r - z2r, d02i = z0i - z2i
            let s13r = z1r + z3r, s13i = z1i + z3i, d13r = z1r - z3r, d13i = z1i - z3i
            let (o0r, o1r, o2r, o3r) = Self.transpose(s02r + s13r, d02r - d13i, s02r - s13r, d02r + d13i)
            let (o0i, o1i, o2i, o3i) = Self.transpose(s02i + s13i, d02i + d13r, s02i - s13i, d02i - d13r)
            Self.store(o0r, re, g); Self.store(o1r, re, g + 4); Self.store(o2r, re, g + 8); Self.store(o3r, re, g + 12)
            Self.store(o0i, im, g); Self.store(o1i, im, g + 4); Self.store(o2i, im, g + 8); Self.store(o3i, im, g + 12)
            g += 16
        }
    }

    private func radix2Inverse(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, _ cols: Range<Int>) {
        let h = radix2Span
        var j = cols.lowerBound
        while j < cols.upperBound {
            let t = twiddles + (j / 4) * 8
            let wr = Self.load(t, 0), wi = Self.load(t, 4)
            let ar = Self.load(re, j), ai = Self.load(im, j)
            let xr = Self.load(re, j + h), xi = Self.load(im, j + h)
            let br = xr * wr + xi * wi, bi = xi * wr - xr * wi
            Self.store(ar + br, re, j); Self.store(ai + bi, im, j)
            Self.store(ar - br, re, j + h); Self.store(ai - bi, im, j + h)
            j += 4
        }
    }
}
