#!/usr/bin/env python3
"""Benchmark texts with exactly 16 and 128 word pieces (the Hugging Face tokenizer's count, [CLS]/[SEP] not
counted), cut from varied English prose at word boundaries. Writes JSON {"16": [...], "128": [...]} to stdout."""
import json
import os
import random
import sys

from tokenizers import Tokenizer

WORDS = ("the committee met on a rainy tuesday to argue about the quarterly budget while the old fisherman "
         "repaired his nets by the harbour and children played outside on a playground near the station where "
         "trains to zurich leave every hour an engineer explained how embeddings map sentences to vectors and "
         "why two organisations might compare them without revealing anything else my cat loves to walk over "
         "my keyboard whenever i write a report about secure computation in the evening the orchestra rehearsed "
         "a difficult symphony and the mayor promised new bicycles for every school in the district").split()


def main():
    model = sys.argv[1]
    tok = Tokenizer.from_file(os.path.join(model, "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    rng = random.Random(7)
    out = {}
    for target in (16, 128):
        texts = []
        while len(texts) < 64:
            words = []
            while True:
                words.append(rng.choice(WORDS))
                n = len(tok.encode(" ".join(words)).ids) - 2
                if n >= target:
                    break
            if n == target:
                texts.append(" ".join(words))
        out[str(target)] = texts
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
