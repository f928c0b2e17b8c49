#!/usr/bin/env python3
"""Deterministic benchmark inputs shared by the Swift benchmark and scipy_bench.py.
Usage: python3 cases.py OUT.json"""
import json, math, sys
import numpy as np

rng = np.random.default_rng(1)
N = 20000


def log_uniform(lo, hi, size):
    return np.exp(rng.uniform(math.log(lo), math.log(hi), size))


def main(out):
    n = np.floor(log_uniform(10, 1e6, N))
    p = rng.uniform(0.01, 0.99, N)
    k = np.clip(np.floor(n * p + rng.normal(0, 4, N) * np.sqrt(n * p * (1 - p))), 1, n)
    lam = log_uniform(0.5, 1e5, N)
    pk = np.maximum(1, np.floor(lam + rng.normal(0, 4, N) * np.sqrt(lam)))
    z = rng.uniform(-5, 30, N)
    a = np.floor(log_uniform(1, 1e4, N))
    x = a * rng.uniform(0.5, 2, N)
    data = {
        "binomial": [[float(a_), float(b_), float(c_)] for a_, b_, c_ in zip(n, p, k)],
        "poisson": [[float(a_), float(b_)] for a_, b_ in zip(lam, pk)],
        "normal": [[float(v)] for v in z],
        "gamma": [[float(a_), float(b_)] for a_, b_ in zip(a, x)],
    }
    with open(out, "w") as f:
        json.dump(data, f)


if __name__ == "__main__":
    main(sys.argv[1])
