/// An instruction set the transformer's kernels are compiled for: the vector the matrix product's register
/// tile is made of, how many rows that tile has, and how a vector multiply-add is done.
///
/// `Kernels<ISA>` is written once against this protocol; each instruction set is a small module compiled for
/// its processor (`-target-cpu`) that names its conformance and specialises the kernels there, so the wide
/// instructions exist only in code the caller reaches after asking the processor what it has.
public protocol KernelISA {
    associatedtype Vector: SIMD where Vector.Scalar == Float
    /// Rows of the product's register tile, whose width is two vectors: 2·tileRows accumulators, two B
    /// vectors and one broadcast must fit the vector registers (12 with AVX-512's 32, 6 with 16).
    static var tileRows: Int { get }
    /// a·b + c, fused where the instruction set has FMA.
    static func multiplyAdd(_ a: Vector, _ b: Vector, _ c: Vector) -> Vector
}
