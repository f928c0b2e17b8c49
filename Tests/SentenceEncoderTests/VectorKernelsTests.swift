import Foundation
import Testing
@testable import SentenceEncoder

/// The vectorised erf, exp and softmax against Foundation's double-precision functions.
@Suite struct VectorKernelsTests {
    @Test func erfAndGeluAreAccurate() {
        var worstErf = 0.0, worstGelu = 0.0
        var x: Float = -9
        while x <= 9 {
            let v = (0..<16).map { x + Float($0) * 0.0003 }
            let e = v.map(VectorKernels.erf)
            var g = v
            g.withUnsafeMutableBufferPointer { VectorKernels.gelu($0.baseAddress!, rows: 1, columns: 16, stride: 16) }
            for k in 0..<16 {
                let d = Double(v[k])
                worstErf = max(worstErf, abs(Double(e[k]) - Foundation.erf(d)))
                worstGelu = max(worstGelu, abs(Double(g[k]) - d * 0.5 * (1 + Foundation.erf(d / 2.0.squareRoot()))))
            }
            x += 0.0049
        }
        #expect(worstErf < 6e-7)
        #expect(worstGelu < 3e-6)
    }

    @Test func expIsAccurate() {
        var worst = 0.0
        var x: Float = -87
        while x <= 0 {
            let v = (0..<16).map { x + Float($0) * 0.0007 }
            let e = v.map(VectorKernels.exp)
            for k in 0..<16 { worst = max(worst, abs(Double(e[k]) / Foundation.exp(Double(v[k])) - 1)) }
            x += 0.011
        }
        #expect(worst < 1e-6)
        #expect(VectorKernels.exp(-1000) < 1e-37 && VectorKernels.exp(-1000) >= 0)
    }

    @Test func softmaxSumsToOne() {
        for n in [1, 2, 15, 16, 17, 130, 256] {
            var row = (0..<n).map { Float(sin(Double($0)) * 20) }
            row.withUnsafeMutableBufferPointer { VectorKernels.softmax($0.baseAddress!, n: n) }
            let total = row.reduce(0, +)
            #expect(abs(total - 1) < 1e-5)
            #expect(row.allSatisfy { $0 >= 0 && $0.isFinite })
        }
    }
}
