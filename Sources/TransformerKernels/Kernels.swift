/// The transformer's numeric kernels, written once for any instruction set (`KernelISA`) and specialised in that
/// instruction set's module: the register-tiled matrix product with its fused epilogues (bias, residual, GELU),
/// LayerNorm and softmax over rows, and the erf and exp they use.
///
/// Everything here is `@inlinable` and generic over `ISA` (also what needs no vector), so that every function
/// compiled from it carries the instruction set in its name: a specialisation made in the AVX-512 module can never
/// stand in for one that portable code calls.
public enum Kernels<ISA: KernelISA> {
    public typealias V = ISA.Vector

    @inlinable @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

    @inlinable @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

    @inlinable @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }

    // MARK: matrix product

    /// C = A·B (+ bias, + C, then GELU) as `MatrixProduct` describes: B's columns in panels of two vectors (one
    /// at the right edge when n is an odd number of vectors), each panel against every row tile of A while it
    /// is hot in the cache; the rows split into tiles of at most `ISA.tileRows`, as even as they go (18 rows are
    /// two tiles of 9, not 12 + 6).
    @inlinable
    public static func product(_ p: MatrixProduct) {
        let w = V.scalarCount, tileRows = ISA.tileRows
        precondition(p.n % w == 0 && p.k > 0, "matrix product: width not a multiple of \(w) or empty inner dimension")
        guard p.m > 0, p.n > 0 else { return }
        let tiles = (p.m + tileRows - 1) / tileRows
        let base = p.m / tiles, extra = p.m % tiles
        var j = 0
        while j < p.n {
            let two = p.n - j >= 2 * w
            let width = two ? 2 * w : w
            var t = Tile(k: p.k, a: p.a, lda: p.lda, b: p.ldb == 0 ? p.b + j * p.k : p.b + j, ldb: p.ldb == 0 ? width : p.ldb,
                         c: p.c + j, ldc: p.ldc, bias: p.bias.map { $0 + j }, accumulate: p.accumulate)
            for index in 0..<tiles {
                let rows = base + (index < extra ? 1 : 0)
                tile(rows, two, t)
                t.a += rows * p.lda
                t.c += rows * p.ldc
            }
            if p.gelu {
                for i in 0..<p.m { gelu(p.c + i * p.ldc + j, count: width) }
            }
            j += width
        }
    }

    /// One register tile's operands: A's rows, B's panel, C's block, and what the epilogue adds.
    @usableFromInline
    struct Tile {
        @usableFromInline var k: Int
        @usableFromInline var a: UnsafePointer<Float>
        @usableFromInline var lda: Int
        @usableFromInline var b: UnsafePointer<Float>
        @usableFromInline var ldb: Int
        @usableFromInline var c: UnsafeMutablePointer<Float>
        @usableFromInline var ldc: Int
        @usableFromInline var bias: UnsafePointer<Float>?
        @usableFromInline var accumulate: Bool

        @inlinable
        init(k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
             bias: UnsafePointer<Float>?, accumulate: Bool) {
            self.k = k; self.a = a; self.lda = lda; self.b = b; self.ldb = ldb; self.c = c; self.ldc = ldc
            self.bias = bias; self.accumulate = accumulate
        }
    }

    /// `registerTile` with its shape as constants, so that each shape compiles to straight-line code whose
    /// accumulators all live in registers.
    @inlinable @inline(__always)
    static func tile(_ rows: Int, _ two: Bool, _ t: Tile) {
        let most = ISA.tileRows
        switch rows {
        case 1: two ? registerTile(1, true, t) : registerTile(1, false, t)
        case 2: two ? registerTile(2, true, t) : registerTile(2, false, t)
        case 3: two ? registerTile(3, true, t) : registerTile(3, false, t)
        case 4: two ? registerTile(4, true, t) : registerTile(4, false, t)
        case 5 where most >= 5: two ? registerTile(5, true, t) : registerTile(5, false, t)
        case 6 where most >= 6: two ? registerTile(6, true, t) : registerTile(6, false, t)
        case 7 where most >= 7: two ? registerTile(7, true, t) : registerTile(7, false, t)
        case 8 where most >= 8: two ? registerTile(8, true, t) : registerTile(8, false, t)
        case 9 where most >= 9: two ? registerTile(9, true, t) : registerTile(9, false, t)
        case 10 where most >= 10: two ? registerTile(10, true, t) : registerTile(10, false, t)
        case 11 where most >= 11: two ? registerTile(11, true, t) : registerTile(11, false, t)
        case 12 where most >= 12: two ? registerTile(12, true, t) : registerTile(12, false, t)
        default: preconditionFailure("register tile of \(rows) rows")
        }
    }

    /// C[rows × (1 or 2 vectors)] = A[rows × k]·B[k × same] over the whole inner dimension in registers (one
    /// B row of one or two vectors, each A value broadcast), then + bias, + C, stored once.
    @inlinable @inline(__always)
    static func registerTile(_ rows: Int, _ two: Bool, _ t: Tile) {
        let w = V.scalarCount
        var acc = InlineArray<24, V>(repeating: V())
        var a = t.a, b = t.b
        for _ in 0..<t.k {
            let b0 = load(b), b1 = two ? load(b + w) : V()
            for i in 0..<rows {
                let s = V(repeating: a[i &* t.lda])
                acc[2 &* i] = ISA.multiplyAdd(s, b0, acc[2 &* i])
                if two { acc[2 &* i &+ 1] = ISA.multiplyAdd(s, b1, acc[2 &* i &+ 1]) }
            }
            a += 1
            b += t.ldb
        }
        for i in 0..<rows {
            let c = t.c + i &* t.ldc
            var lo = acc[2 &* i], hi = acc[2 &* i &+ 1]
            if let bias = t.bias {
                lo += load(bias)
                if two { hi += load(bias + w) }
            }
            if t.accumulate {
                lo += load(c)
                if two { hi += load(c + w) }
            }
            store(lo, c)
            if two { store(hi, c + w) }
        }
    }

    // MARK: rows

    /// Rows x[r] ← (x[r] − mean)/√(variance + ε)·γ + β, n (a multiple of the vector width) values a row; mean
    /// and variance in two passes over the row.
    @inlinable
    public static func layerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int, stride: Int,
                                 gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float) {
        let w = V.scalarCount
        precondition(n % w == 0 && n > 0, "LayerNorm: row length not a multiple of \(w)")
        for r in 0..<rows {
            let row = x + r * stride
            var sum = V()
            var i = 0
            while i < n { sum += load(row + i); i += w }
            let mean = V(repeating: sum.sum() / Float(n))
            var squares = V()
            i = 0
            while i < n {
                let d = load(row + i) - mean
                squares = ISA.multiplyAdd(d, d, squares)
                i += w
            }
            let scale = V(repeating: 1 / (squares.sum() / Float(n) + epsilon).squareRoot())
            i = 0
            while i < n {
                store(ISA.multiplyAdd((load(row + i) - mean) * scale, load(gamma + i), load(beta + i)), row + i)
                i += w
            }
        }
    }

    /// Rows x[r][0..<n] ← softmax(x[r][0..<n]) (every value finite), row stride `stride`.
    @inlinable
    public static func softmax(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int, stride: Int) {
        let w = V.scalarCount
        for r in 0..<rows {
            let row = x + r * stride
            let m = maximum(row, count: n)
            for i in 0..<n { row[i] = exp(row[i] - m) }
            var sum = V()
            var i = 0
            while i + w <= n { sum += load(row + i); i += w }
            var total = sum.sum()
            while i < n { total += row[i]; i += 1 }
            let inverse = 1 / total
            for i in 0..<n { row[i] *= inverse }
        }
    }

    /// The largest of count ≥ 1 finite floats. Compared as integers (the bits of a negative float reversed), a
    /// maximum the compiler vectorises, which a floating-point comparison is not without fast-math.
    @inlinable @inline(__always)
    static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        let bits = UnsafeRawPointer(x).assumingMemoryBound(to: Int32.self)
        var m = Int32.min
        for i in 0..<count {
            let v = bits[i]
            let key = v ^ ((v >> 31) & 0x7FFF_FFFF)
            m = key > m ? key : m
        }
        return Float(bitPattern: UInt32(bitPattern: m ^ ((m >> 31) & 0x7FFF_FFFF)))
    }

    /// x ← x·Φ(x) = x/2·(1 + erf(x/√2)) on count values.
    @inlinable @inline(__always)
    public static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            let v = x[i]
            x[i] = 0.5 * v * (1 + erf(v * 0.70710678118654752))
        }
    }

    /// erf(x) as a rational function of x (odd numerator, even denominator, degrees 13 and 8) on [−4, 4], ±1
    /// beyond: the minimax approximation Eigen and XNNPACK use for float, absolute error below 5e−7 in float32.
    /// Plain scalar code with selects (no calls, no branches), so that loops over it vectorise.
    @inlinable @inline(__always)
    public static func erf(_ a: Float) -> Float {
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

    /// eˣ for x in [−87, 88] (clamped there): n = round(x·log₂e), r = x − n·ln 2 (in two parts), e^r by the
    /// Cephes polynomial, times 2ⁿ built in the exponent bits. Relative error about 2 ulp; scalar code that
    /// vectorises.
    @inlinable @inline(__always)
    public static func exp(_ a: Float) -> Float {
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
}
