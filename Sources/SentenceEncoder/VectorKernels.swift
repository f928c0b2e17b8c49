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
    @inline(__always)
    static func erf(_ a: V) -> V {
        let x = a.clamped(lowerBound: V(repeating: -4), upperBound: V(repeating: 4))
        let x2 = x * x
        var p = V(repeating: -2.72614225801306e-10)
        p = p * x2 + V(repeating: 2.77068142495902e-08)
        p = p * x2 + V(repeating: -2.10102402082508e-06)
        p = p * x2 + V(repeating: -5.69250639462346e-05)
        p = p * x2 + V(repeating: -7.34990630326855e-04)
        p = p * x2 + V(repeating: -2.95459980854025e-03)
        p = p * x2 + V(repeating: -1.60960333262415e-02)
        p = p * x
        var q = V(repeating: -1.45660718464996e-05)
        q = q * x2 + V(repeating: -2.13374055278905e-04)
        q = q * x2 + V(repeating: -1.68282697438203e-03)
        q = q * x2 + V(repeating: -7.37332916720468e-03)
        q = q * x2 + V(repeating: -1.42647390514189e-02)
        return p / q
    }

    /// x ← x·Φ(x) = x/2·(1 + erf(x/√2)) on n values (a multiple of 16), row by row with stride.
    static func gelu(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int) {
        let half = V(repeating: 0.5), one = V(repeating: 1), invSqrt2 = V(repeating: 0.70710678118654752)
        for r in 0..<rows {
            let row = x + r * stride
            var i = 0
            while i < columns {
                let v = load(row + i)
                store(half * v * (one + erf(v * invSqrt2)), row + i)
                i += lanes
            }
        }
    }

    /// eˣ for x ≤ 88: n = round(x·log₂e), r = x − n·ln 2 (in two parts), e^r by the Cephes polynomial, times 2ⁿ
    /// built in the exponent bits; below −87 the result is 0. Relative error about 2 ulp.
    @inline(__always)
    static func exp(_ a: V) -> V {
        let x = a.clamped(lowerBound: V(repeating: -87), upperBound: V(repeating: 88))
        let shifter = V(repeating: 12582912)              // 1.5·2²³: adding it rounds to an integer in the low bits
        let t = x * V(repeating: 1.44269504088896341) + shifter
        let n = t - shifter
        var r = x - n * V(repeating: 0.693359375)
        r = r - n * V(repeating: -2.12194440e-4)
        var p = V(repeating: 1.9875691500e-4)
        p = p * r + V(repeating: 1.3981999507e-3)
        p = p * r + V(repeating: 8.3334519073e-3)
        p = p * r + V(repeating: 4.1665795894e-2)
        p = p * r + V(repeating: 1.6666665459e-1)
        p = p * r + V(repeating: 5.0000001201e-1)
        p = p * (r * r) + r + V(repeating: 1)
        let bits = unsafeBitCast(t, to: SIMD16<Int32>.self) &- SIMD16<Int32>(repeating: 0x4B40_0000 - 127)
        let scale = unsafeBitCast(bits &<< 23, to: V.self)
        let result = p * scale
        return result.replacing(with: V(), where: a .< V(repeating: -87))
    }

    /// Softmax of one row of n values in place.
    static func softmax(_ x: UnsafeMutablePointer<Float>, n: Int) {
        var m = -Float.infinity
        var i = 0
        if n >= lanes {
            var mv = V(repeating: -.infinity)
            while i + lanes <= n { mv = pointwiseMax(mv, load(x + i)); i += lanes }
            m = mv.max()
        }
        while i < n { m = max(m, x[i]); i += 1 }
        let mv = V(repeating: m)
        var sum = V()
        i = 0
        while i + lanes <= n {
            let e = exp(load(x + i) - mv)
            store(e, x + i)
            sum += e
            i += lanes
        }
        var total = sum.sum()
        if i < n {
            var tail = V(repeating: -.infinity)
            for k in 0..<(n - i) { tail[k] = x[i + k] }
            let e = exp(tail - mv)
            for k in 0..<(n - i) { x[i + k] = e[k]; total += e[k] }
        }
        let inv = 1 / total
        i = 0
        while i + lanes <= n { store(load(x + i) * inv, x + i); i += lanes }
        while i < n { x[i] *= inv; i += 1 }
    }
}
