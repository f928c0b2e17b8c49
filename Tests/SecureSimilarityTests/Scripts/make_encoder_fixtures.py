#!/usr/bin/env python3
"""Generates Fixtures/encoders.json for TextEncoderTests.

An independent Python implementation of the two encoder specifications:
  * hashing-v1: words (lowercased runs of letters/digits) as "w:"+word with weight 1, character
    n-grams (n = 3..5) of "<"+word+">" as "g:"+gram with weight 1/sqrt(#grams of the word),
    64-bit FNV-1a, index h mod d, sign (-1)^(bit 63), L2-normalised.
  * word-vectors / SIF: weight a/(a + p(w)), a = 1e-3, p(w) = 1/(rank * H_V) (Zipf on the file
    order), vectors parsed as float32, weighted sum, L2-normalised.
Usage: python3 make_encoder_fixtures.py
"""
import json
import os
import re

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Fixtures", "encoders.json")

SENTENCES = [
    "my cat loves to walk over my keyboard",
    "I like to pet my cat",
    "the cat is always walking over my keyboard",
    "Café au lait, s'il vous plaît! 42 times.",
    "A",
]


def words(s):
    return re.findall(r"[^\W_]+", s.lower())


def fnv1a(data):
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def hashing(sentence, d):
    v = np.zeros(d)

    def add(feat, w):
        h = fnv1a(feat)
        v[h % d] += w if (h >> 63) == 0 else -w

    for word in words(sentence):
        add(b"w:" + word.encode(), 1.0)
        chars = "<" + word + ">"
        grams = [chars[s:s + n] for n in range(3, 6) if len(chars) >= n for s in range(len(chars) - n + 1)]
        for g in grams:
            add(b"g:" + g.encode(), 1 / np.sqrt(len(grams)))
    return (v / np.linalg.norm(v)).tolist()


def sif_case(rng, header):
    vocab = ["the", "my", "cat", "over", "keyboard", "to", "walk", "is", "i", "like", "pet", "always",
             "walking", "loves", "dog", "Cat"] + ["w%d" % k for k in range(30)]
    d = 6
    vecs = rng.standard_normal((len(vocab), d)) * 0.5
    lines = []
    if header:
        lines.append("%d %d" % (len(vocab), d))
    for w, v in zip(vocab, vecs):
        lines.append(w + " " + " ".join("%.6f" % x for x in v))
    text = "\n".join(lines) + "\n"
    # reference parse: float32 of the printed decimals; first entry of each lowercased word wins
    table = {}
    ranks = {}
    for r, line in enumerate(lines[1:] if header else lines, start=1):
        parts = line.split(" ")
        w = parts[0].lower()
        if w not in table:
            table[w] = np.array([np.float32(float(x)) for x in parts[1:]], dtype=np.float64)
            ranks[w] = r
    V = len(vocab)
    H = sum(1 / k for k in range(1, V + 1))
    a = 1e-3
    out = []
    for s in SENTENCES[:3] + ["dog walking w3 w17 unknownword"]:
        v = np.zeros(d)
        for w in words(s):
            if w in table:
                p = 1 / (ranks[w] * H)
                v += a / (a + p) * table[w]
        out.append((v / np.linalg.norm(v)).tolist())
    weights = {w: a / (a + 1 / (ranks[w] * H)) for w in ["the", "cat", "w29"]}
    return {"file": text, "header": header, "sentences": SENTENCES[:3] + ["dog walking w3 w17 unknownword"],
            "expected": out, "weights": weights, "vocabulary": len(table)}


def main():
    rng = np.random.default_rng(17)
    fixture = {
        "generator": "Scripts/make_encoder_fixtures.py",
        "hashing": [{"dimension": d, "sentences": SENTENCES, "expected": [hashing(s, d) for s in SENTENCES]}
                    for d in (64, 1024)],
        "sif": [sif_case(rng, header=False), sif_case(rng, header=True)],
        "words": {s: words(s) for s in SENTENCES},
    }
    with open(OUT, "w") as fh:
        json.dump(fixture, fh, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
