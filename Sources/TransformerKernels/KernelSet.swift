/// The transformer's kernels for one instruction set, as values the model calls: `SentenceEncoder` picks the set
/// the processor can run (`TransformerKernelsAVX512`, `TransformerKernelsAVX2`, or `Kernels.portable`) once at
/// load. Every closure is specialised and compiled in its instruction set's module.
public struct KernelSet: Sendable {
    /// "avx512", "avx2" or "portable" (for logs and benchmarks).
    public let name: String
    /// Floats per vector; matrix widths given to `product` are multiples of it.
    public let vectorWidth: Int
    /// C = A·B (+ bias, + C, then GELU) — see `MatrixProduct`.
    public let product: @Sendable (MatrixProduct) -> Void
    /// Rows x[r] ← LayerNorm(x[r])·γ + β for r in 0..<rows (n values each, row stride `stride`).
    public let layerNorm: @Sendable (_ x: UnsafeMutablePointer<Float>, _ rows: Int, _ n: Int, _ stride: Int,
                                     _ gamma: UnsafePointer<Float>, _ beta: UnsafePointer<Float>, _ epsilon: Float) -> Void
    /// Rows x[r] ← softmax(x[r][0..<n]) for r in 0..<rows (row stride `stride`).
    public let softmax: @Sendable (_ x: UnsafeMutablePointer<Float>, _ rows: Int, _ n: Int, _ stride: Int) -> Void

    /// Columns of one packed weight panel (`PanelPacking`): the product's register tile is two vectors wide.
    public var panelWidth: Int { 2 * vectorWidth }

    public init(name: String, vectorWidth: Int, product: @escaping @Sendable (MatrixProduct) -> Void,
                layerNorm: @escaping @Sendable (UnsafeMutablePointer<Float>, Int, Int, Int, UnsafePointer<Float>, UnsafePointer<Float>, Float) -> Void,
                softmax: @escaping @Sendable (UnsafeMutablePointer<Float>, Int, Int, Int) -> Void) {
        self.name = name
        self.vectorWidth = vectorWidth
        self.product = product
        self.layerNorm = layerNorm
        self.softmax = softmax
    }
}
