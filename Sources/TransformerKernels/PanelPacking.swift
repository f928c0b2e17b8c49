/// Weight matrices rearranged once, at load, into the panels `Kernels.product` streams: for a panel of `width`
/// output columns starting at column j, the k inner values of those columns one inner index after another
/// (`width` floats per inner index), the panel at offset j·k. The last panel is half as wide when the column
/// count is an odd number of half-panels. Products then read the weights in one sequential pass, never repacked.
public enum PanelPacking {
    /// Packs W[n × k] (row j: the k inputs of output column j, as PyTorch's Linear stores it), times `scale`,
    /// into `out` (n·k floats) in panels of `panel` columns; n must be a multiple of panel/2.
    public static func pack(_ w: UnsafePointer<Float>, n: Int, k: Int, panel: Int, scale: Float = 1,
                            into out: UnsafeMutablePointer<Float>) {
        precondition(panel % 2 == 0 && n % (panel / 2) == 0, "packing: \(n) columns in panels of \(panel)")
        var j = 0
        while j < n {
            let width = min(panel, n - j)
            let base = out + j * k
            for c in 0..<width {
                let column = w + (j + c) * k
                for p in 0..<k { base[p * width + c] = column[p] * scale }
            }
            j += width
        }
    }
}
