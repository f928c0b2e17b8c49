#!/usr/bin/env python3
"""scipy side of the bounds benchmark: the same tails as the Swift benchmark, evaluated
(a) one call per evaluation (scalar, as a service handling one request would) and
(b) vectorised over the whole array (numpy ufunc loop, no Python overhead).
Prints one line per workload: name scalar_evals_per_s vector_evals_per_s checksum (sum of the
results, to compare with the Swift checksum)
Usage: python3 scipy_bench.py CASES.json"""
import json, sys, time
import numpy as np
import scipy
from scipy import special


def rate(fn, count, min_seconds=0.5):
    reps, elapsed = 0, 0.0
    start = time.perf_counter()
    while elapsed < min_seconds:
        fn()
        reps += 1
        elapsed = time.perf_counter() - start
    return reps * count / elapsed


def main(path):
    d = json.load(open(path))
    b = np.array(d["binomial"])
    bn = b[:, 0].astype(np.int64); bk = b[:, 2].astype(np.int64)
    po = np.array(d["poisson"]); no = np.array(d["normal"]); ga = np.array(d["gamma"])
    work = {
        # P(X >= k) = bdtrc(k - 1, n, p); P(Poisson >= k) = pdtrc(k - 1, lam); P(Z >= z) = ndtr(-z); Q(a, x)
        "binomial_sf": (lambda r: special.bdtrc(int(r[2]) - 1, int(r[0]), r[1]), b,
                        lambda: special.bdtrc(bk - 1, bn, b[:, 1])),
        "poisson_sf": (lambda r: special.pdtrc(r[1] - 1, r[0]), po,
                       lambda: special.pdtrc(po[:, 1] - 1, po[:, 0])),
        "normal_sf": (lambda r: special.ndtr(-r[0]), no, lambda: special.ndtr(-no[:, 0])),
        "gamma_q": (lambda r: special.gammaincc(r[0], r[1]), ga, lambda: special.gammaincc(ga[:, 0], ga[:, 1])),
    }
    print(f"# scipy {scipy.__version__}")
    for name, (one, rows, vec) in work.items():
        rows_list = [tuple(r) for r in rows]
        scalar = rate(lambda: [one(r) for r in rows_list], len(rows_list))
        vector = rate(vec, len(rows))
        checksum = float(np.sum(vec()))
        print(f"{name} {scalar:.0f} {vector:.0f} {checksum}")


if __name__ == "__main__":
    main(sys.argv[1])
