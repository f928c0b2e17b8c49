import Dispatch
import TransformerKernels

/// A BERT encoder (token + position + type embeddings, then `layers` post-LayerNorm transformer blocks with
/// the erf GELU) with mean pooling over each text's tokens and L2 normalisation — all-MiniLM-L6-v2's forward
/// pass, float32 throughout, on the kernels of one instruction set (`KernelSet`).
///
/// At load every layer's matrices are packed once into the kernels' panel layout (owned memory, 4·parameters
/// bytes; the query projection pre-scaled by 1/√head size and fused with key and value into one product); the
/// embedding tables are read in place from the memory-mapped file. A batch's texts are laid one after another
/// without padding: row-wise work (projections, feed-forward, LayerNorm) is split by rows across the cores, each
/// core taking its rows through a layer's whole chain — output projection + residual, LayerNorm, GELU(x·W₁ + b₁),
/// ·W₂ + b₂ + residual, LayerNorm, the next layer's Q/K/V — in blocks that stay in its cache; attention is split
/// by (text, head) and sees only that text's tokens. Two synchronisations a layer. A batch of few rows (up to
/// `columnSplitRows`, e.g. one text) is split the other way: each product's output columns across the cores, so
/// that each streams only its share of the weights, with the chain's LayerNorms on one thread between them.
final class BertModel: @unchecked Sendable {
    // @unchecked: immutable after init; the packed weights are owned and freed in deinit, the embedding tables
    // point into a read-only mapping that `tensors` keeps alive.
    struct Configuration: Sendable, Equatable {
        var hidden = 384, layers = 6, heads = 12, intermediate = 1536, vocabulary = 30522, positions = 512
        var typeVocabulary = 2
        var layerNormEpsilon: Float = 1e-12
    }

    /// One layer's weights in the kernels' layout: products packed (`PanelPacking`), vectors copied.
    struct Layer {
        let qkv, qkvBias: UnsafePointer<Float>                       // packed [3·hidden × hidden], [3·hidden]
        let attentionOut, attentionOutBias: UnsafePointer<Float>     // packed [hidden × hidden], [hidden]
        let attentionNormGamma, attentionNormBeta: UnsafePointer<Float>
        let intermediate, intermediateBias: UnsafePointer<Float>     // packed [ff × hidden], [ff]
        let output, outputBias: UnsafePointer<Float>                 // packed [hidden × ff], [hidden]
        let outputNormGamma, outputNormBeta: UnsafePointer<Float>
    }

    let configuration: Configuration
    let tensors: SafeTensors
    let kernels: KernelSet
    let wordEmbeddings, positionEmbeddings, typeEmbeddings: UnsafeBufferPointer<Float>
    let embeddingNormGamma, embeddingNormBeta: UnsafePointer<Float>
    let layers: [Layer]
    /// The packed weights and copied vectors (freed in deinit).
    private let storage: UnsafeMutableRawPointer
    /// Floats in `storage`.
    let storageCount: Int
    /// Threads a forward pass splits its work over (the machine's cores, at most 8).
    let threads: Int
    /// Rows (tokens of all texts) of one forward pass at most; larger batches are split by the caller.
    static let maxBatchRows = 4096
    /// Rows one core takes through a layer's row-wise chain at once: the feed-forward's intermediate rows
    /// (4·ff bytes each) and the weight panels then stay in its cache.
    static let blockRows = 96

    init(tensors: SafeTensors, configuration c: Configuration, threads: Int, kernels: KernelSet) throws(SentenceModelError) {
        self.configuration = c
        self.tensors = tensors
        self.kernels = kernels
        self.threads = max(1, min(threads, 8))
        let h = c.hidden, ff = c.intermediate, headSize = c.hidden / c.heads
        wordEmbeddings = try tensors.floats("embeddings.word_embeddings.weight", shape: [c.vocabulary, h])
        positionEmbeddings = try tensors.floats("embeddings.position_embeddings.weight", shape: [c.positions, h])
        typeEmbeddings = try tensors.floats("embeddings.token_type_embeddings.weight", shape: [c.typeVocabulary, h])
        let embeddingGamma = try tensors.floats("embeddings.LayerNorm.weight", shape: [h])
        let embeddingBeta = try tensors.floats("embeddings.LayerNorm.bias", shape: [h])

        // every block 64-byte aligned: per layer the four packed products and eight vectors, plus the embedding norm
        func rounded(_ n: Int) -> Int { (n + 15) / 16 * 16 }
        let perLayer = rounded(3 * h * h) + rounded(3 * h) + rounded(h * h) + 5 * rounded(h) + rounded(ff * h) + rounded(ff)
            + rounded(h * ff) + 2 * rounded(h)
        storageCount = c.layers * perLayer + 2 * rounded(h)
        storage = UnsafeMutableRawPointer.allocate(byteCount: storageCount * 4, alignment: 64)
        let floats = storage.bindMemory(to: Float.self, capacity: storageCount)
        var next = floats
        func take(_ n: Int) -> UnsafeMutablePointer<Float> {
            defer { next += rounded(n) }
            return next
        }
        func copy(_ source: UnsafeBufferPointer<Float>, scale: Float = 1) -> UnsafePointer<Float> {
            let out = take(source.count)
            for i in 0..<source.count { out[i] = source[i] * scale }
            return UnsafePointer(out)
        }
        let panel = kernels.panelWidth
        func packed(_ source: UnsafeBufferPointer<Float>, n: Int, k: Int) -> UnsafePointer<Float> {
            let out = take(n * k)
            PanelPacking.pack(source.baseAddress!, n: n, k: k, panel: panel, into: out)
            return UnsafePointer(out)
        }

        embeddingNormGamma = copy(embeddingGamma)
        embeddingNormBeta = copy(embeddingBeta)
        let queryScale = 1 / Float(headSize).squareRoot()
        var layers: [Layer] = []
        do throws(SentenceModelError) {
            for i in 0..<c.layers {
                let p = "encoder.layer.\(i)."
                func t(_ name: String, _ shape: [Int]) throws(SentenceModelError) -> UnsafeBufferPointer<Float> {
                    try tensors.floats(p + name, shape: shape)
                }
                // Q, K, V as one [3h × h] product: the three weight matrices are consecutive output rows
                let qkv = take(3 * h * h), qkvBias = take(3 * h)
                let rowsQKV = UnsafeMutablePointer<Float>.allocate(capacity: 3 * h * h)
                defer { rowsQKV.deallocate() }
                for (part, name) in ["query", "key", "value"].enumerated() {
                    let w = try t("attention.self.\(name).weight", [h, h]), b = try t("attention.self.\(name).bias", [h])
                    let scale = part == 0 ? queryScale : 1
                    for j in 0..<(h * h) { rowsQKV[part * h * h + j] = w[j] * scale }
                    for j in 0..<h { qkvBias[part * h + j] = b[j] * scale }
                }
                PanelPacking.pack(rowsQKV, n: 3 * h, k: h, panel: panel, into: qkv)
                layers.append(Layer(
                    qkv: qkv, qkvBias: qkvBias,
                    attentionOut: packed(try t("attention.output.dense.weight", [h, h]), n: h, k: h),
                    attentionOutBias: copy(try t("attention.output.dense.bias", [h])),
                    attentionNormGamma: copy(try t("attention.output.LayerNorm.weight", [h])),
                    attentionNormBeta: copy(try t("attention.output.LayerNorm.bias", [h])),
                    intermediate: packed(try t("intermediate.dense.weight", [ff, h]), n: ff, k: h),
                    intermediateBias: copy(try t("intermediate.dense.bias", [ff])),
                    output: packed(try t("output.dense.weight", [h, ff]), n: h, k: ff),
                    outputBias: copy(try t("output.dense.bias", [h])),
                    outputNormGamma: copy(try t("output.LayerNorm.weight", [h])),
                    outputNormBeta: copy(try t("output.LayerNorm.bias", [h]))))
            }
        } catch {
            storage.deallocate()
            throw error
        }
        precondition(next - floats <= storageCount)
        self.layers = layers
    }

    deinit { storage.deallocate() }

    /// Names of every tensor the forward pass reads, in a fixed order (what the fingerprint hashes).
    static func tensorNames(_ c: Configuration) -> [String] {
        var names = ["embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                     "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"]
        for i in 0..<c.layers {
            for n in ["attention.self.query.weight", "attention.self.query.bias", "attention.self.key.weight", "attention.self.key.bias",
                      "attention.self.value.weight", "attention.self.value.bias", "attention.output.dense.weight",
                      "attention.output.dense.bias", "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
                      "intermediate.dense.weight", "intermediate.dense.bias", "output.dense.weight", "output.dense.bias",
                      "output.LayerNorm.weight", "output.LayerNorm.bias"] {
                names.append("encoder.layer.\(i).\(n)")
            }
        }
        return names
    }

    /// Runs `body(part)` for part in 0..<parts, on the cores when parts > 1, and returns when all are done.
    /// Every caller gives each part disjoint output rows of the workspace and its own scratch, so the parts share
    /// no mutable state; the closure is handed to Dispatch as @Sendable on that ground.
    private func parallel(_ parts: Int, _ body: (Int) -> Void) {
        if parts <= 1 { body(0); return }
        withoutActuallyEscaping(body) { escapable in
            let sendable = unsafeBitCast(escapable, to: (@Sendable (Int) -> Void).self)
            DispatchQueue.concurrentPerform(iterations: parts, execute: sendable)
        }
    }

    /// Unit-length mean-pooled embeddings of a batch of token-id sequences (each 1…positions long), in order.
    func forward(_ batch: [[Int32]]) -> [[Double]] {
        let c = configuration, kernels = kernels
        let h = c.hidden, h3 = 3 * c.hidden, ff = c.intermediate, heads = c.heads, headSize = c.hidden / c.heads
        var starts: [Int] = [], rows = 0
        for ids in batch {
            precondition(!ids.isEmpty && ids.count <= c.positions, "text outside the model's window")
            starts.append(rows)
            rows += ids.count
        }
        precondition(rows >= 1 && rows <= Self.maxBatchRows, "batch outside the model's limits")
        let longest = batch.map(\.count).max()!
        let vector = kernels.vectorWidth
        let paddedLength = (longest + vector - 1) / vector * vector
        // the rows' activations, their Q|K|V, the attention's context; per part: feed-forward rows, scores, Kᵀ
        let x = UnsafeMutablePointer<Float>.allocate(capacity: rows * h)
        let qkv = UnsafeMutablePointer<Float>.allocate(capacity: rows * h3)
        let context = UnsafeMutablePointer<Float>.allocate(capacity: rows * h)
        let parts = rows >= 2 * Self.minimumRowsPerPart ? threads : 1
        // Few rows (a short text alone): every core would stream all the weights for a handful of rows, so the
        // products split their columns across the cores instead (each reads its share of the weights) and the
        // row-wise chain runs on one thread between them.
        let splitColumns = parts > 1 && rows < Self.columnSplitRows
        let rowParts = splitColumns ? 1 : parts
        // rows one thread takes through the row-wise chain at once: all of them when the columns are split (each
        // product then streams its share of the weights once)
        let block = splitColumns ? rows : Self.blockRows
        let scratchEach = block * ff + longest * paddedLength + headSize * paddedLength
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: parts * scratchEach)
        defer { for p in [x, qkv, context, scratch] { p.deallocate() } }

        func rowRange(_ part: Int) -> Range<Int> { (rows * part / rowParts)..<(rows * (part + 1) / rowParts) }
        let panel = kernels.panelWidth
        /// A product on this thread, or with `splitColumns` (packed weights only) its output columns split at
        /// panel boundaries across the cores: columns j… of a packed matrix start at j·k.
        func product(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                     _ out: UnsafeMutablePointer<Float>, _ ldc: Int, bias: UnsafePointer<Float>? = nil, accumulate: Bool = false, gelu: Bool = false) {
            guard splitColumns, ldb == 0 else {
                kernels.product(MatrixProduct(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: out, ldc: ldc, bias: bias,
                                              accumulate: accumulate, gelu: gelu))
                return
            }
            let panels = (n + panel - 1) / panel
            parallel(parts) { part in
                let lo = panels * part / parts * panel, hi = min(n, panels * (part + 1) / parts * panel)
                guard hi > lo else { return }
                kernels.product(MatrixProduct(m: m, n: hi - lo, k: k, a: a, lda: lda, b: b + lo * k, ldb: 0, c: out + lo, ldc: ldc,
                                              bias: bias.map { $0 + lo }, accumulate: accumulate, gelu: gelu))
            }
        }
        /// Q|K|V of `layer` for rows `lo..<lo+n`.
        func projectQKV(_ layer: Layer, _ lo: Int, _ n: Int) {
            product(n, h3, h, x + lo * h, h, layer.qkv, 0, qkv + lo * h3, h3, bias: layer.qkvBias)
        }

        // embeddings (word + position + type 0), LayerNorm, the first layer's Q|K|V
        let tokenRow = batch.enumerated().flatMap { b, ids in ids.indices.map { (b, $0) } }
        parallel(rowParts) { part in
            let range = rowRange(part)
            let type0 = typeEmbeddings.baseAddress!
            for r in range {
                let (b, t) = tokenRow[r]
                let word = wordEmbeddings.baseAddress! + Int(batch[b][t]) * h, position = positionEmbeddings.baseAddress! + t * h
                let row = x + r * h
                for i in 0..<h { row[i] = word[i] + position[i] + type0[i] }
            }
            kernels.layerNorm(x + range.lowerBound * h, range.count, h, h, embeddingNormGamma, embeddingNormBeta, c.layerNormEpsilon)
            var lo = range.lowerBound
            while lo < range.upperBound {
                let n = min(block, range.upperBound - lo)
                projectQKV(layers[0], lo, n)
                lo += n
            }
        }

        for (index, layer) in layers.enumerated() {
            // attention per (text, head) over the text's own tokens: S = Q·Kᵀ (Q pre-scaled), softmax, S·V
            let tasks = batch.count * heads
            parallel(parts) { part in
                let base = scratch + part * scratchEach + block * ff
                var task = part
                while task < tasks {
                    let b = task / heads, head = task % heads
                    let n = batch[b].count, padded = (n + vector - 1) / vector * vector
                    let scores = base, keys = base + longest * paddedLength
                    let q = qkv + starts[b] * h3 + head * headSize
                    for j in 0..<n {
                        let key = q + j * h3 + h
                        for d in 0..<headSize { keys[d * padded + j] = key[d] }
                    }
                    for d in 0..<headSize { for j in n..<padded { keys[d * padded + j] = 0 } }
                    product(n, padded, headSize, q, h3, keys, padded, scores, padded)
                    kernels.softmax(scores, n, n, padded)
                    product(n, headSize, n, scores, padded, q + 2 * h, h3, context + starts[b] * h + head * headSize, h)
                    task += parts
                }
            }
            // the row-wise chain, block by block, and the next layer's Q|K|V of the same rows
            let following = index + 1 < layers.count ? layers[index + 1] : nil
            parallel(rowParts) { part in
                let range = rowRange(part)
                let inner = scratch + part * scratchEach
                var lo = range.lowerBound
                while lo < range.upperBound {
                    let n = min(block, range.upperBound - lo)
                    let xs = x + lo * h
                    product(n, h, h, context + lo * h, h, layer.attentionOut, 0, xs, h, bias: layer.attentionOutBias, accumulate: true)
                    kernels.layerNorm(xs, n, h, h, layer.attentionNormGamma, layer.attentionNormBeta, c.layerNormEpsilon)
                    product(n, ff, h, xs, h, layer.intermediate, 0, inner, ff, bias: layer.intermediateBias, gelu: true)
                    product(n, h, ff, inner, ff, layer.output, 0, xs, h, bias: layer.outputBias, accumulate: true)
                    kernels.layerNorm(xs, n, h, h, layer.outputNormGamma, layer.outputNormBeta, c.layerNormEpsilon)
                    if let following { projectQKV(following, lo, n) }
                    lo += n
                }
            }
        }

        // mean over each text's tokens, then L2 normalisation (in Double)
        var out: [[Double]] = []
        out.reserveCapacity(batch.count)
        for (b, ids) in batch.enumerated() {
            var sum = [Double](repeating: 0, count: h)
            for t in 0..<ids.count {
                let row = x + (starts[b] + t) * h
                for i in 0..<h { sum[i] += Double(row[i]) }
            }
            var norm = 0.0
            for i in 0..<h { sum[i] /= Double(ids.count); norm += sum[i] * sum[i] }
            norm = norm.squareRoot()
            out.append(sum.map { norm > 0 ? $0 / norm : 0 })
        }
        return out
    }

    /// Rows below which a forward pass stays on one core (the parts' synchronisation would cost more).
    static let minimumRowsPerPart = 1
    /// Rows below which the cores split the products' columns rather than the rows (`forward`): measured on the
    /// 2-core machine, a 128-piece text alone takes about 10 % less CPU so (15.0 against 17.0 ms), a 16-piece one
    /// 25 % less (2.7 against 3.7 ms).
    static let columnSplitRows = 256
}
