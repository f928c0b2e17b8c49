import Dispatch

/// A BERT encoder (token + position + type embeddings, then `layers` post-LayerNorm transformer blocks with
/// the erf GELU) with mean pooling over the attention mask and L2 normalisation — all-MiniLM-L6-v2's forward
/// pass, float32 throughout. Weights are views into the memory-mapped safetensors file.
///
/// A batch is padded to its longest text; the attention mask keeps each text's padding out of its softmax
/// and out of its mean. Matrix products go to OpenBLAS (`BLAS`), each split by output columns across the
/// cores; attention runs per (text, head) across the cores; LayerNorm, GELU and softmax are `VectorKernels`.
final class BertModel: @unchecked Sendable {
    // @unchecked: immutable after init; the pointers are into a read-only mapping owned by `tensors`.
    struct Configuration: Sendable, Equatable {
        var hidden = 384, layers = 6, heads = 12, intermediate = 1536, vocabulary = 30522, positions = 512
        var typeVocabulary = 2
        var layerNormEpsilon: Float = 1e-12
    }

    struct Layer {
        let query, key, value, attentionOut: UnsafeBufferPointer<Float>          // [hidden × hidden], (out, in)
        let queryBias, keyBias, valueBias, attentionOutBias: UnsafeBufferPointer<Float>
        let attentionNormGamma, attentionNormBeta: UnsafeBufferPointer<Float>
        let intermediate, intermediateBias: UnsafeBufferPointer<Float>           // [ff × hidden], [ff]
        let output, outputBias: UnsafeBufferPointer<Float>                       // [hidden × ff], [hidden]
        let outputNormGamma, outputNormBeta: UnsafeBufferPointer<Float>
    }

    let configuration: Configuration
    let tensors: SafeTensors
    let wordEmbeddings, positionEmbeddings, typeEmbeddings, embeddingNormGamma, embeddingNormBeta: UnsafeBufferPointer<Float>
    let layers: [Layer]
    /// Threads a forward pass splits its work over (the machine's cores, at most 8).
    let threads: Int
    /// Rows (texts × padded length) of one forward pass at most; longer batches are split by the caller.
    static let maxBatchRows = 4096
    /// Feed-forward rows computed at once (bounds the 4·ff-byte-per-row intermediate buffer).
    static let feedForwardBlock = 512

    init(tensors: SafeTensors, configuration c: Configuration, threads: Int) throws(SentenceModelError) {
        self.configuration = c
        self.tensors = tensors
        self.threads = max(1, min(threads, 8))
        let h = c.hidden, ff = c.intermediate
        wordEmbeddings = try tensors.floats("embeddings.word_embeddings.weight", shape: [c.vocabulary, h])
        positionEmbeddings = try tensors.floats("embeddings.position_embeddings.weight", shape: [c.positions, h])
        typeEmbeddings = try tensors.floats("embeddings.token_type_embeddings.weight", shape: [c.typeVocabulary, h])
        embeddingNormGamma = try tensors.floats("embeddings.LayerNorm.weight", shape: [h])
        embeddingNormBeta = try tensors.floats("embeddings.LayerNorm.bias", shape: [h])
        var layers: [Layer] = []
        for i in 0..<c.layers {
            let p = "encoder.layer.\(i)."
            func t(_ name: String, _ shape: [Int]) throws(SentenceModelError) -> UnsafeBufferPointer<Float> {
                try tensors.floats(p + name, shape: shape)
            }
            layers.append(Layer(
                query: try t("attention.self.query.weight", [h, h]), key: try t("attention.self.key.weight", [h, h]),
                value: try t("attention.self.value.weight", [h, h]), attentionOut: try t("attention.output.dense.weight", [h, h]),
                queryBias: try t("attention.self.query.bias", [h]), keyBias: try t("attention.self.key.bias", [h]),
                valueBias: try t("attention.self.value.bias", [h]), attentionOutBias: try t("attention.output.dense.bias", [h]),
                attentionNormGamma: try t("attention.output.LayerNorm.weight", [h]), attentionNormBeta: try t("attention.output.LayerNorm.bias", [h]),
                intermediate: try t("intermediate.dense.weight", [ff, h]), intermediateBias: try t("intermediate.dense.bias", [ff]),
                output: try t("output.dense.weight", [h, ff]), outputBias: try t("output.dense.bias", [h]),
                outputNormGamma: try t("output.LayerNorm.weight", [h]), outputNormBeta: try t("output.LayerNorm.bias", [h])))
        }
        self.layers = layers
        BLAS.configure()
    }

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
    /// Every caller gives each part disjoint output rows or columns of the workspace, so the parts share no
    /// mutable state; the closure is handed to Dispatch as @Sendable on that ground.
    private func parallel(_ parts: Int, _ body: (Int) -> Void) {
        if parts <= 1 { body(0); return }
        withoutActuallyEscaping(body) { escapable in
            let sendable = unsafeBitCast(escapable, to: (@Sendable (Int) -> Void).self)
            DispatchQueue.concurrentPerform(iterations: parts, execute: sendable)
        }
    }

    /// Splits 0..<n into `threads` column ranges of multiples of 16.
    private func columnRange(_ part: Int, of n: Int, parts: Int) -> Range<Int> {
        let blocks = (n + 15) / 16
        let lo = blocks * part / parts * 16, hi = min(n, blocks * (part + 1) / parts * 16)
        return lo..<hi
    }

    /// out[rows × n] = x[rows × k] · Wᵀ + b for W [n × k], columns split across threads (bias set first, then
    /// accumulated into), optionally followed by GELU on each thread's own columns.
    private func linear(_ x: UnsafePointer<Float>, rows: Int, k: Int, weight: UnsafeBufferPointer<Float>, bias: UnsafeBufferPointer<Float>,
                        out: UnsafeMutablePointer<Float>, n: Int, gelu: Bool = false) {
        parallel(threads) { part in
            let cols = columnRange(part, of: n, parts: threads)
            guard !cols.isEmpty else { return }
            for r in 0..<rows {
                (out + r * n + cols.lowerBound).update(from: bias.baseAddress! + cols.lowerBound, count: cols.count)
            }
            BLAS.gemm(m: rows, n: cols.count, k: k, a: x, lda: k, b: weight.baseAddress! + cols.lowerBound * k, ldb: k,
                      transposedB: true, beta: 1, c: out + cols.lowerBound, ldc: n)
            if gelu { VectorKernels.gelu(out + cols.lowerBound, rows: rows, columns: cols.count, stride: n) }
        }
    }

    /// Unit-length mean-pooled embeddings of a batch of token-id sequences (each 1…positions long), in order.
    func forward(_ batch: [[Int32]]) -> [[Double]] {
        let c = configuration
        let h = c.hidden, heads = c.heads, headSize = c.hidden / c.heads
        let length = batch.map(\.count).max() ?? 0
        let rows = batch.count * length
        precondition(length >= 1 && length <= c.positions && rows <= Self.maxBatchRows, "batch outside the model's limits")
        let x = UnsafeMutablePointer<Float>.allocate(capacity: rows * h)
        let q = UnsafeMutablePointer<Float>.allocate(capacity: rows * h)
        let kk = UnsafeMutablePointer<Float>.allocate(capacity: rows * h)
        let v = UnsafeMutablePointer<Float>.allocate(capacity: rows * h)
        let context = UnsafeMutablePointer<Float>.allocate(capacity: rows * h)
        let blockRows = min(rows, Self.feedForwardBlock)
        let inner = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * c.intermediate)
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: threads * length * length)
        defer { for p in [x, q, kk, v, context, inner, scores] { p.deallocate() } }
        context.initialize(repeating: 0, count: rows * h)

        // embeddings: word + position + type 0, then LayerNorm (padding rows get [PAD] at their position)
        let pad = Int32(0)
        parallel(threads) { part in
            var r = part
            while r < rows {
                let b = r / length, t = r % length
                let id = t < batch[b].count ? Int(batch[b][t]) : Int(pad)
                let row = x + r * h
                let w = wordEmbeddings.baseAddress! + id * h, p = positionEmbeddings.baseAddress! + t * h
                let ty = typeEmbeddings.baseAddress!
                for i in 0..<h { row[i] = w[i] + p[i] + ty[i] }
                VectorKernels.addLayerNorm(row, nil, n: h, gamma: embeddingNormGamma.baseAddress!, beta: embeddingNormBeta.baseAddress!,
                                           epsilon: c.layerNormEpsilon)
                r += threads
            }
        }

        let scale = 1 / Float(headSize).squareRoot()
        for layer in layers {
            // Q, K, V in one parallel region each split by columns
            parallel(threads) { part in
                let cols = columnRange(part, of: h, parts: threads)
                for (w, bias, out) in [(layer.query, layer.queryBias, q), (layer.key, layer.keyBias, kk), (layer.value, layer.valueBias, v)] {
                    for r in 0..<rows { (out + r * h + cols.lowerBound).update(from: bias.baseAddress! + cols.lowerBound, count: cols.count) }
                    BLAS.gemm(m: rows, n: cols.count, k: h, a: x, lda: h, b: w.baseAddress! + cols.lowerBound * h, ldb: h,
                              transposedB: true, beta: 1, c: out + cols.lowerBound, ldc: h)
                }
            }
            // attention per (text, head) over the text's own tokens only (the mask), padding rows left at zero
            let tasks = batch.count * heads
            parallel(threads) { part in
                let s = scores + part * length * length
                var task = part
                while task < tasks {
                    let b = task / heads, head = task % heads
                    let n = batch[b].count
                    let base = b * length * h + head * headSize
                    BLAS.gemm(m: n, n: n, k: headSize, alpha: scale, a: q + base, lda: h, b: kk + base, ldb: h,
                              transposedB: true, beta: 0, c: s, ldc: n)
                    for i in 0..<n { VectorKernels.softmax(s + i * n, n: n) }
                    BLAS.gemm(m: n, n: headSize, k: n, a: s, lda: n, b: v + base, ldb: h, transposedB: false,
                              beta: 0, c: context + base, ldc: h)
                    task += threads
                }
            }
            // output projection (into q, free now), residual, LayerNorm
            linear(context, rows: rows, k: h, weight: layer.attentionOut, bias: layer.attentionOutBias, out: q, n: h)
            normalise(x, residual: q, rows: rows, gamma: layer.attentionNormGamma, beta: layer.attentionNormBeta)
            // feed-forward in row blocks: GELU(x·W₁ᵀ + b₁)·W₂ᵀ + b₂ (into q), residual, LayerNorm
            var start = 0
            while start < rows {
                let n = min(blockRows, rows - start)
                linear(x + start * h, rows: n, k: h, weight: layer.intermediate, bias: layer.intermediateBias,
                       out: inner, n: c.intermediate, gelu: true)
                linear(inner, rows: n, k: c.intermediate, weight: layer.output, bias: layer.outputBias, out: q + start * h, n: h)
                start += n
            }
            normalise(x, residual: q, rows: rows, gamma: layer.outputNormGamma, beta: layer.outputNormBeta)
        }

        // mean over each text's own tokens, then L2 normalisation (in Double)
        var out: [[Double]] = []
        out.reserveCapacity(batch.count)
        for (b, ids) in batch.enumerated() {
            var sum = [Double](repeating: 0, count: h)
            for t in 0..<ids.count {
                let row = x + (b * length + t) * h
                for i in 0..<h { sum[i] += Double(row[i]) }
            }
            var norm = 0.0
            for i in 0..<h { sum[i] /= Double(ids.count); norm += sum[i] * sum[i] }
            norm = norm.squareRoot()
            out.append(sum.map { norm > 0 ? $0 / norm : 0 })
        }
        return out
    }

    /// x ← LayerNorm(x + residual) row by row, rows split across threads.
    private func normalise(_ x: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>, rows: Int,
                           gamma: UnsafeBufferPointer<Float>, beta: UnsafeBufferPointer<Float>) {
        let h = configuration.hidden, eps = configuration.layerNormEpsilon
        parallel(threads) { part in
            var r = part
            while r < rows {
                VectorKernels.addLayerNorm(x + r * h, residual + r * h, n: h, gamma: gamma.baseAddress!, beta: beta.baseAddress!, epsilon: eps)
                r += threads
            }
        }
    }
}
