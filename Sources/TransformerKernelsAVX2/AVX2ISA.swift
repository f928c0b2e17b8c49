#if arch(x86_64)
import TransformerKernels

/// AVX2 with FMA (Intel Haswell, AMD Zen and later): eight floats a vector, 16 vector registers. This module is
/// compiled with `-target-cpu haswell`; its code runs only where `CPUFeatures` found what that CPU name implies.
public enum AVX2ISA: KernelISA {
    public typealias Vector = SIMD8<Float>

    @inlinable public static var tileRows: Int { 6 }

    @inlinable @inline(__always)
    public static func multiplyAdd(_ a: Vector, _ b: Vector, _ c: Vector) -> Vector { c.addingProduct(a, b) }
}

extension KernelSet {
    /// The kernels compiled for AVX2 and FMA.
    public static let avx2 = KernelSet(
        name: "avx2", vectorWidth: AVX2ISA.Vector.scalarCount,
        product: { Kernels<AVX2ISA>.product($0) },
        layerNorm: { Kernels<AVX2ISA>.layerNorm($0, rows: $1, n: $2, stride: $3, gamma: $4, beta: $5, epsilon: $6) },
        softmax: { Kernels<AVX2ISA>.softmax($0, rows: $1, n: $2, stride: $3) })
}
#endif
