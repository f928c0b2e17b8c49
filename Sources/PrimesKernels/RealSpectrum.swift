/// The pointwise step of a cyclic convolution of real signals of length N = 2M packed into complex
/// signals of length M (even samples real, odd samples imaginary), on the bit-reversed spectrum that
/// `ComplexFFT.forward` leaves.
///
/// For the pair of positions holding Z_k and Z_{M−k}: E = (Z_k + conj Z_{M−k})/2, O = (Z_k − conj Z_{M−k})/(2i),
/// so the real signal's spectrum is X_k = E + W^k·O and X_{k+M} = E − W^k·O (W = e^{−2πi/N}). Squaring both and
/// packing again gives Z'_k = E² + W^{2k}·O² + i·2EO and Z'_{M−k} = conj(E² + W^{2k}·O²) + i·conj(2EO); a product
/// of two signals has E_a·E_b + W^{2k}·O_a·O_b and E_a·O_b + O_a·E_b instead. In bit-reversed order the partner of
/// position i in [2^j, 2^(j+1)) is 3·2^j − 1 − i; positions 0 and 1 (k = 0 and M/2) are their own partners.
package final class RealSpectrum {
    let points: Int
    /// W^k for k = bitreverse(i) at spectrum position i.
    private let rootRe: UnsafeMutablePointer<Double>, rootIm: UnsafeMutablePointer<Double>

    package init(points: Int) {
        self.points = points
        rootRe = ComplexFFT.allocate(points)
        rootIm = ComplexFFT.allocate(points)
        let levels = points.trailingZeroBitCount
        for i in 0..<points {
            var k = 0, v = i
            for _ in 0..<levels { k = k << 1 | (v & 1); v >>= 1 }
            (rootRe[i], rootIm[i]) = ComplexFFT.unitRoot(k, 2 * points)
        }
    }

    deinit {
        rootRe.deallocate()
        rootIm.deallocate()
    }

    /// The forward transform after its first stage, the squaring, and the inverse transform up to its last
    /// stage, on `range`: the whole spectrum, or its lower or upper half when two threads share the work
    /// (every position pairs with one in its own level [2^j, 2^(j+1)), so the top level and the levels below
    /// it are independent). Block by block (see `ComplexFFT.blockPoints`): the levels below one block
    /// together, then in each level a block and the block holding its partners, transformed, squared and
    /// transformed back while they are in the cache.
    package func squareTransformed(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, fft: ComplexFFT, range: Range<Int>) {
        let block = min(ComplexFFT.blockPoints, range.count)
        fft.forwardMiddle(re, im, range, block: block)
        var lo = range.lowerBound
        if lo == 0 {
            fft.forwardBlock(re, im, 0..<block)
            squareBelow(re, im, end: block)
            fft.inverseBlock(re, im, 0..<block)
            lo = block
        }
        while lo < range.upperBound {
            let blocks = lo / block
            if blocks == 1 {
                fft.forwardBlock(re, im, lo..<(2 * lo))
                squareLevel(re, im, lo, lo..<(lo + lo / 2))
                fft.inverseBlock(re, im, lo..<(2 * lo))
            } else {
                // Partners of block k are in block blocks − 1 − k of the level: i ↦ 3·lo − 1 − i.
                for k in 0..<(blocks / 2) {
                    let a = (lo + k * block)..<(lo + (k + 1) * block), b = (2 * lo - (k + 1) * block)..<(2 * lo - k * block)
                    fft.forwardBlock(re, im, a)
                    fft.forwardBlock(re, im, b)
                    squareLevel(re, im, lo, a)
                    fft.inverseBlock(re, im, a)
                    fft.inverseBlock(re, im, b)
                }
            }
            lo *= 2
        }
        fft.inverseMiddle(re, im, range, block: block)
    }

    /// Squares positions 0 and 1 and every level below `end` (a power of two).
    private func squareBelow(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, end: Int) {
        let e = re[0], o = im[0]
        re[0] = e * e + o * o; im[0] = 2 * e * o
        let e1 = re[1], o1 = im[1]
        re[1] = e1 * e1 - o1 * o1; im[1] = 2 * e1 * o1
        var lo = 2
        while lo < end {
            squareLevel(re, im, lo, lo..<(lo + lo / 2))
            lo *= 2
        }
    }

    /// Squares the pairs of level [lo, 2·lo) whose first member is in `positions` (within [lo, lo + lo/2);
    /// multiples of 4 from lo = 8 on).
    private func squareLevel(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, _ lo: Int, _ positions: Range<Int>) {
        let mirror = 3 * lo - 1
        if lo < 8 {
            for i in positions {
                let p = mirror - i
                typealias V = SIMD4<Double>
                let (zr, zi, pr, pi) = Self.squarePair(V(repeating: re[i]), V(repeating: im[i]), V(repeating: re[p]),
                                                       V(repeating: im[p]), V(repeating: rootRe[i]), V(repeating: rootIm[i]))
                re[i] = zr[0]; im[i] = zi[0]; re[p] = pr[0]; im[p] = pi[0]
            }
        } else {
            var i = positions.lowerBound
            while i < positions.upperBound {
                let p = mirror - i - 3
                let (zr, zi, pr, pi) = Self.squarePair(ComplexFFT.load(re, i), ComplexFFT.load(im, i),
                                                       Self.reversed(ComplexFFT.load(re, p)), Self.reversed(ComplexFFT.load(im, p)),
                                                       ComplexFFT.load(rootRe, i), ComplexFFT.load(rootIm, i))
                ComplexFFT.store(zr, re, i); ComplexFFT.store(zi, im, i)
                ComplexFFT.store(Self.reversed(pr), re, p); ComplexFFT.store(Self.reversed(pi), im, p)
                i += 4
            }
        }
    }

    @inline(__always) static func reversed(_ v: SIMD4<Double>) -> SIMD4<Double> { SIMD4(v[3], v[2], v[1], v[0]) }

    /// The squaring step for positions i and its partner (scalars or vectors of four pairs).
    @inline(__always) static func squarePair<T: SIMD>(_ zr: T, _ zi: T, _ pr: T, _ pi: T, _ wr: T, _ wi: T) -> (T, T, T, T)
        where T.Scalar == Double {
        let er = 0.5 * (zr + pr), ei = 0.5 * (zi - pi)
        let or = 0.5 * (zi + pi), oi = -0.5 * (zr - pr)
        let w2r = wr * wr - wi * wi, w2i = 2 * wr * wi
        let e2r = er * er - ei * ei, e2i = 2 * er * ei
        let o2r = or * or - oi * oi, o2i = 2 * or * oi
        let nr = e2r + (w2r * o2r - w2i * o2i), ni = e2i + (w2r * o2i + w2i * o2r)
        let mr = 2 * (er * or - ei * oi), mi = 2 * (er * oi + ei * or)
        return (nr - mi, ni + mr, nr + mi, mr - ni)
    }

    /// Multiplies the packed spectrum in place by another one (unchanged).
    package func multiply(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>,
                                   _ bre: UnsafeMutablePointer<Double>, _ bim: UnsafeMutablePointer<Double>) {
        do {
            let ea = re[0], oa = im[0], eb = bre[0], ob = bim[0]
            re[0] = ea * eb + oa * ob; im[0] = ea * ob + oa * eb
            let ea1 = re[1], oa1 = im[1], eb1 = bre[1], ob1 = bim[1]
            re[1] = ea1 * eb1 - oa1 * ob1; im[1] = ea1 * ob1 + oa1 * eb1
        }
        var lo = 2
        while lo < points {
            let mirror = 3 * lo - 1
            for i in lo..<(lo + lo / 2) {
                let p = mirror - i
                let zr = re[i], zi = im[i], pr = re[p], pi = im[p]
                let ear = 0.5 * (zr + pr), eai = 0.5 * (zi - pi)
                let oar = 0.5 * (zi + pi), oai = -0.5 * (zr - pr)
                let yr = bre[i], yi = bim[i], qr = bre[p], qi = bim[p]
                let ebr = 0.5 * (yr + qr), ebi = 0.5 * (yi - qi)
                let obr = 0.5 * (yi + qi), obi = -0.5 * (yr - qr)
                let wr = rootRe[i], wi = rootIm[i]
                let w2r = wr * wr - wi * wi, w2i = 2 * wr * wi
                let eer = ear * ebr - eai * ebi, eei = ear * ebi + eai * ebr
                let oor = oar * obr - oai * obi, ooi = oar * obi + oai * obr
                let nr = eer + (w2r * oor - w2i * ooi), ni = eei + (w2r * ooi + w2i * oor)
                let mr = (ear * obr - eai * obi) + (oar * ebr - oai * ebi)
                let mi = (ear * obi + eai * obr) + (oar * ebi + oai * ebr)
                re[i] = nr - mi; im[i] = ni + mr
                re[p] = nr + mi; im[p] = mr - ni
            }
            lo *= 2
        }
    }
}
