#if arch(x86_64)
import TransformerKernels

/// AVX-512 (F, CD, BW, DQ, VL: Intel Skylake-X, AMD Zen 4 and later): sixteen floats a vector, 32 vector
/// registers. This module is compiled with `-target-cpu skylake-avx512`; its code runs only where `CPUFeatures`
/// found what that CPU name implies.
public enum AVX512ISA: KernelISA {
    public typealias Vector = SIMD16<Float>

    @inlinable public static var tileRows: Int { 12 }

    @inlinable @inline(__always)
    public static func multiplyAdd(_ a: Vector, _ b: Vector, _ c: Vector) -> Vector { c.addingProduct(a, b) }
}

extension KernelSet {
    /// The kernels compiled for AVX-512.
    public static let avx512 = KernelSet(
        name: "avx512", vectorWidth: AVX512ISA.Vector.scalarCount,
        product: { Kernels<AVX512ISA>.product($0) },
        layerNorm: { Kernels<AVX512ISA>.layerNorm($0, rows: $1, n: $2, stride: $3, gamma: $4, beta: $5, epsilon: $6) },
        softmax: { Kernels<AVX512ISA>.softmax($0, rows: $1, n: $2, stride: $3) })
}
#endif
