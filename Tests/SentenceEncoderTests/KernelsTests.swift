import Foundation
import Testing
import TransformerKernels
@testable import SentenceEncoder

/// Every build of the transformer kernels this machine runs (`TransformerKernel.available`: portable always,
/// AVX2 and AVX-512 where the processor has them) against double-precision references: matrix products of every
/// tile shape and edge, packed and plain, with each epilogue; LayerNorm; softmax; and the erf, exp and GELU.
@Suite struct KernelsTests {
    /// A deterministic generator (SplitMix64), values uniform in [−1, 1).
    struct Numbers {
        var state: UInt64
        mutating func next() -> Float {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476C_E5B9_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Float(Double(z >> 40) / Double(1 << 24) * 2 - 1)
        }
        mutating func array(_ n: Int, scale: Float = 1) -> [Float] { (0..<n).map { _ in next() * scale } }
    }

    static var sets: [KernelSet] { TransformerKernel.available.map { $0.kernels(on: .current) } }

    static func gelu(_ x: Double) -> Double { x * 0.5 * (1 + Foundation.erf(x / 2.0.squareRoot())) }

    /// C = A·B (+ bias, + C, GELU) for shapes covering every tile height, one- and two-vector panels, a single
    /// inner index, and B both packed and plain with a wider row stride.
    @Test(arguments: sets.map(\.name))
    func productsMatchTheReference(_ name: String) throws {
        let set = try #require(Self.sets.first { $0.name == name })
        let w = set.vectorWidth
        var numbers = Numbers(state: 7)
        var checked = 0
        for m in [1, 2, 3, 5, 6, 7, 11, 12, 13, 18, 25, 97] {
            for n in [w, 2 * w, 3 * w, 48, 80] where n % w == 0 {
                for k in [1, 7, 32, 130] {
                    for variant in 0..<4 {
                        let packed = variant % 2 == 0, epilogue = variant / 2   // 0: bias; 1: bias + C, then GELU
                        let lda = k + 3, ldb = n + 5, ldc = n + 2
                        let a = numbers.array(m * lda), b = numbers.array(k * ldb), bias = numbers.array(n)
                        var c = numbers.array(m * ldc)
                        let before = c
                        // B as the model keeps weights: W[n × k] = Bᵀ, packed
                        var weights = [Float](repeating: 0, count: n * k)
                        for p in 0..<k { for j in 0..<n { weights[j * k + p] = b[p * ldb + j] } }
                        var panels = [Float](repeating: .nan, count: n * k)
                        PanelPacking.pack(weights, n: n, k: k, panel: set.panelWidth, into: &panels)
                        a.withUnsafeBufferPointer { a in
                            (packed ? panels : b).withUnsafeBufferPointer { b in
                                bias.withUnsafeBufferPointer { bias in
                                    c.withUnsafeMutableBufferPointer { c in
                                        set.product(MatrixProduct(m: m, n: n, k: k, a: a.baseAddress!, lda: lda, b: b.baseAddress!,
                                                                  ldb: packed ? 0 : ldb, c: c.baseAddress!, ldc: ldc, bias: bias.baseAddress!,
                                                                  accumulate: epilogue == 1, gelu: epilogue == 1))
                                    }
                                }
                            }
                        }
                        for i in 0..<m {
                            for j in 0..<n {
                                var sum = Double(bias[j]), magnitude = abs(Double(bias[j]))
                                for p in 0..<k {
                                    sum += Double(a[i * lda + p]) * Double(b[p * ldb + j])
                                    magnitude += abs(Double(a[i * lda + p]) * Double(b[p * ldb + j]))
                                }
                                if epilogue == 1 { sum += Double(before[i * ldc + j]); sum = Self.gelu(sum); magnitude += 1 }
                                let got = Double(c[i * ldc + j])
                                if abs(got - sum) > 1e-6 * magnitude + 1e-6 {
                                    Issue.record("\(name) m \(m) n \(n) k \(k) packed \(packed) epilogue \(epilogue): C[\(i)][\(j)] \(got) ≠ \(sum)")
                                    return
                                }
                                checked += 1
                            }
                            // the row stride's gap is not written
                            for j in n..<ldc { #expect(c[i * ldc + j] == before[i * ldc + j]) }
                        }
                    }
                }
            }
        }
        #expect(checked > 100_000)
    }

    @Test(arguments: sets.map(\.name))
    func layerNormAndSoftmaxMatchTheReference(_ name: String) throws {
        let set = try #require(Self.sets.first { $0.name == name })
        var numbers = Numbers(state: 11)
        let n = 384, stride = 400, rows = 5
        var x = numbers.array(rows * stride, scale: 3)
        let gamma = numbers.array(n), beta = numbers.array(n), original = x
        set.layerNorm(&x, rows, n, stride, gamma, beta, 1e-12)
        for r in 0..<rows {
            let row = original[(r * stride)..<(r * stride + n)].map(Double.init)
            let mean = row.reduce(0, +) / Double(n)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
            for i in 0..<n {
                let expected = (row[i] - mean) / (variance + 1e-12).squareRoot() * Double(gamma[i]) + Double(beta[i])
                #expect(abs(Double(x[r * stride + i]) - expected) < 2e-5)
            }
            for i in n..<stride { #expect(x[r * stride + i] == original[r * stride + i]) }
        }
        // softmax: lengths around the vector width, values far from zero either way (the maximum is subtracted)
        for length in [1, 2, 15, 16, 17, 33, 130, 256] {
            for offset: Float in [0, -500, 700] {
                let stride = length + 3
                var s = numbers.array(2 * stride, scale: 20).map { $0 + offset }
                if length > 3 { s[2] = -0.0; s[stride + 1] = 0 }
                let original = s
                set.softmax(&s, 2, length, stride)
                for r in 0..<2 {
                    let row = original[(r * stride)..<(r * stride + length)].map(Double.init)
                    let top = row.max()!
                    let total = row.map { Foundation.exp($0 - top) }.reduce(0, +)
                    for i in 0..<length {
                        let expected = Foundation.exp(row[i] - top) / total
                        #expect(abs(Double(s[r * stride + i]) - expected) < 1e-6, "\(name) softmax length \(length) offset \(offset)")
                    }
                    for i in length..<stride { #expect(s[r * stride + i] == original[r * stride + i]) }
                }
            }
        }
    }

    @Test func erfAndGeluAreAccurate() {
        typealias K = Kernels<PortableISA>
        var worstErf = 0.0, worstGelu = 0.0
        var x: Float = -9
        while x <= 9 {
            let v = (0..<16).map { x + Float($0) * 0.0003 }
            var g = v
            g.withUnsafeMutableBufferPointer { K.gelu($0.baseAddress!, count: 16) }
            for k in 0..<16 {
                let d = Double(v[k])
                worstErf = max(worstErf, abs(Double(K.erf(v[k])) - Foundation.erf(d)))
                worstGelu = max(worstGelu, abs(Double(g[k]) - Self.gelu(d)))
            }
            x += 0.0049
        }
        #expect(worstErf < 6e-7)
        #expect(worstGelu < 3e-6)
    }

    @Test func expIsAccurate() {
        typealias K = Kernels<PortableISA>
        var worst = 0.0
        var x: Float = -87
        while x <= 0 {
            for k in 0..<16 {
                let v = x + Float(k) * 0.0007
                worst = max(worst, abs(Double(K.exp(v)) / Foundation.exp(Double(v)) - 1))
            }
            x += 0.011
        }
        #expect(worst < 1e-6)
        #expect(K.exp(-1000) < 1e-37 && K.exp(-1000) >= 0)
    }

    /// Panels of `panel` columns, the last half as wide when the columns are an odd number of half-panels.
    @Test func packingLaysOutPanels() {
        let n = 48, k = 3
        let w = (0..<(n * k)).map(Float.init)                      // W[j][p] = j·k + p
        var out = [Float](repeating: -1, count: n * k)
        PanelPacking.pack(w, n: n, k: k, panel: 32, scale: 2, into: &out)
        // first panel: columns 0..<32, 32 values per inner index
        #expect(out[0] == 0 && out[1] == 2 * 3 && out[31] == 2 * 93 && out[32] == 2 * 1)
        // second panel (16 wide) at 32·k
        #expect(out[32 * k] == 2 * 96 && out[32 * k + 15] == 2 * 141 && out[32 * k + 16] == 2 * 97)
        #expect(!out.contains(-1))
    }
}
