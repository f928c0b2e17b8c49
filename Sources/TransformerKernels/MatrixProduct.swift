/// One matrix product for `Kernels.product`: C[m×n] = A[m×k]·B + bias (+ C itself when `accumulate`), then the
/// erf GELU on the result when `gelu`. Row-major matrices given by base pointer and row stride (in floats).
///
/// B is either a weight matrix packed once by `PanelPacking` (`ldb == 0`) or a plain row-major k×n matrix with
/// row stride `ldb`. `n` is a multiple of the kernels' vector width (`KernelSet.vectorWidth`); bias has n values.
public struct MatrixProduct {
    public var m: Int, n: Int, k: Int
    public var a: UnsafePointer<Float>, lda: Int
    public var b: UnsafePointer<Float>, ldb: Int
    public var c: UnsafeMutablePointer<Float>, ldc: Int
    public var bias: UnsafePointer<Float>?
    public var accumulate: Bool
    public var gelu: Bool

    @inlinable
    public init(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>? = nil, accumulate: Bool = false, gelu: Bool = false) {
        self.m = m; self.n = n; self.k = k
        self.a = a; self.lda = lda; self.b = b; self.ldb = ldb; self.c = c; self.ldc = ldc
        self.bias = bias; self.accumulate = accumulate; self.gelu = gelu
    }
}
