/// The element-wise parts of the transformer on float32 rows, 16 lanes at a time: LayerNorm with the residual
/// add, the exact (erf) GELU, and a softmax with a vectorised exp. Pure Swift; pointers come from `BertModel`'s
/// workspace. Row lengths here are multiples of 16 (hidden 384, feed-forward 1536) except softmax rows.
enum VectorKernels {
    typealias V = SIMD16<Float>
    static let lanes = 16

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }

    /// x ← LayerNorm(x + y)·γ + β over one row of n (a multiple of 16) values; mean and variance in two passes.
    @inline(__always)
    static func addLayerNorm(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>?, n: Int,
                             gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float) {
        var sum = V()
        var i = 0
        while i < n {
            var v = load(x + i)
            if let y { v += load(y + i); store(v, x + i) }
            sum += v
            i += lanes
        }
        let mean = sum.sum() / Float(n)
        var sq = V()
        i = 0
        while i < n {
            let d = load(x + i) - V(repeating: mean)
            sq += d * d
            i += lanes
        }
        let scale = 1 / (sq.sum() / Float(n) + epsilon).squareRoot()
        i = 0
        while i < n {
            let d = (load(x + i) - V(repeating: mean)) * scale
            store(d * load(gamma + i) + load(beta + i), x + i)
            i += lanes
        }
    }

    /// erf(x) as a rational function of x (odd numerator, even denominator, degrees 13 and 8) on [−4, 4], ±1
    /// beyond: the minimax approximation Eigen and XNNPACK use for float, absolute error below 5e−7 in float32.
    /// Written as plain scalar code with selects (no calls, no branches) so that loops over it vectorise.
    @inline(__always)
    static func erf(_ a: Float) -> Float {
        let x = a > 4 ? 4 : (a < -4 ? -4 : a)
        let x2 = x * x
        var p: Float = -2.72614225801306e-10
        p = p * x2 + 2.77068142495902e-08
        p = p * x2 - 2.10102402082508e-06
        p = p * x2 - 5.69250639462346e-05
        p = p * x2 - 7.34990630326855e-04
        p = p * x2 - 2.95459980854025e-03
        p = p * x2 - 1.60960333262415e-02
        p = p * x
        var q: Float = -1.45660718464996e-05
        q = q * x2 - 2.13374055278905e-04
        q = q * x2 - 1.68282697438203e-03
        q = q * x2 - 7.37332916720468e-03
        q = q * x2 - 1.42647390514189e-02
        return p / q
    }

    /// x ← x·Φ(x) = x/2·(1 + erf(x/√2)) on a rows × columns block with the given row stride.
    static func gelu(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int) {
        for r in 0..<rows {
            let row = x + r * stride
            for i in 0..<columns {
                let v = row[i]
                row[i] = 0.5 * v * (1 + erf(v * 0.70710678118654752))
            }
        }
    }

    /// eˣ for x in [−87, 88] (clamped there): n = round(x·log₂e), r = x − n·ln 2 (in two parts), e^r by the Cephes
    /// polynomial, times 2ⁿ built in the exponent bits. Relative error about 2 ulp; plain scalar code that vectorises.
    @inline(__always)
    static func exp(_ a: Float) -> Float {
        let x = a > 88 ? 88 : (a < -87 ? -87 : a)
        let shifter: Float = 12582912                     // 1.5·2²³: adding it rounds to an integer in the low bits
        let t = x * 1.44269504088896341 + shifter
        let n = t - shifter
        var r = x - n * 0.693359375
        r = r - n * -2.12194440e-4
        var p: Float = 1.9875691500e-4
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * (r * r) + r + 1
        let scale = Float(bitPattern: (t.bitPattern &- (0x4B40_0000 - 127)) &<< 23)
        return p * scale
    }

    /// Softmax of one row of n values in place (every value finite).
    static func softmax(_ x: UnsafeMutablePointer<Float>, n: Int) {
        var m = x[0]
        for i in 1..<max(n, 1) where x[i] > m { m = x[i] }
        for i in 0..<n { x[i] = exp(x[i] - m) }
        var sum = V()
        var i = 0
        while i + lanes <= n { sum += load(x + i); i += lanes }
        var total = sum.sum()
        while i < n { total += x[i]; i += 1 }
        let inv = 1 / total
        for k in 0..<n { x[k] *= inv }
    }
}
