/// The kernels' instruction set when the processor offers nothing we compile for: SIMD4 (SSE2 on any x86-64,
/// NEON on ARM), compiled for the baseline target.
public enum PortableISA: KernelISA {
    public typealias Vector = SIMD4<Float>

    /// 16 vector registers on x86-64 (12 accumulators); 32 on ARM64.
    @inlinable public static var tileRows: Int {
        #if arch(arm64)
        12
        #else
        6
        #endif
    }

    @inlinable @inline(__always)
    public static func multiplyAdd(_ a: Vector, _ b: Vector, _ c: Vector) -> Vector {
        #if arch(x86_64) || arch(i386)
        a * b + c          // the x86-64 baseline has no FMA instruction: a fused multiply-add would be a library call per lane
        #else
        c.addingProduct(a, b)
        #endif
    }
}

extension KernelSet {
    /// The kernels every processor runs.
    public static let portable = KernelSet(
        name: "portable", vectorWidth: PortableISA.Vector.scalarCount,
        product: { Kernels<PortableISA>.product($0) },
        layerNorm: { Kernels<PortableISA>.layerNorm($0, rows: $1, n: $2, stride: $3, gamma: $4, beta: $5, epsilon: $6) },
        softmax: { Kernels<PortableISA>.softmax($0, rows: $1, n: $2, stride: $3) })
}
