#!/usr/bin/env python3
"""The numpy/OpenBLAS reference encoder (Tests/SentenceEncoderTests/Scripts/minilm_reference.py) and, with
--torch, sentence-transformers on PyTorch CPU, timed on the benchmark texts: sentences per second (wall) and
CPU milliseconds per sentence at batch 1 and batch 32, for 16- and 128-piece texts. One JSON line per case."""
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Tests", "SentenceEncoderTests", "Scripts"))


def measure(encode, texts, batch, repeats):
    encode(texts[:batch])                                   # warm up
    n = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for r in range(repeats):
        if batch == 1:
            for t in texts:
                encode([t]); n += 1
        else:
            for s in range(0, len(texts), batch):
                encode(texts[s:s + batch]); n += len(texts[s:s + batch])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return n / wall, 1000 * cpu / n


def main():
    model, texts_file, engine = sys.argv[1], sys.argv[2], sys.argv[3]
    texts = json.load(open(texts_file))
    if engine == "numpy":
        from minilm_reference import MiniLM
        m = MiniLM(model)
        encode = lambda batch: m.encode(batch, batch_size=32)
        info = {"numpy": __import__("numpy").__version__}
        try:
            from threadpoolctl import threadpool_info
            info["blas"] = [(i.get("internal_api"), i.get("version"), i.get("architecture"), i.get("num_threads")) for i in threadpool_info()]
        except ImportError:
            pass
    else:
        import torch
        from sentence_transformers import SentenceTransformer
        st = SentenceTransformer(model, device="cpu")
        encode = lambda batch: st.encode(batch, batch_size=32, convert_to_numpy=True)
        info = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    print(json.dumps({"engine": engine, "info": info}), flush=True)
    for pieces in ("16", "128"):
        for batch in (1, 32):
            repeats = 1 if batch == 1 else 2
            sample = texts[pieces][:32] if batch == 1 else texts[pieces]
            rate, cpu = measure(encode, sample, batch, repeats)
            print(json.dumps({"engine": engine, "pieces": int(pieces), "batch": batch, "sentencesPerSecond": round(rate, 1),
                              "cpuMsPerSentence": round(cpu, 3)}), flush=True)


if __name__ == "__main__":
    main()
