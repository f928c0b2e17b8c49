#!/usr/bin/env python3
"""Generates Fixtures/reference_sessions.json for ReferenceCrossCheckTests.

Independent oracle: the pure-Python model of the same protocol (gilboa_iknp_ref.py: libsodium
ristretto255 via ctypes, SHAKE-128 PRG/hash, numpy) plus an exact big-integer plaintext
computation of sum(round(a*2^f) * round(b*2^f)) with numpy's round-half-to-even.

For each case it records the input vectors (as IEEE-754 bit patterns, so they round-trip
exactly), the exact fixed-point products, the reference implementation's secure result (decoded
doubles), its per-message wire sizes (full ring, l = 64) and the float cosines.

Usage: python3 make_reference_fixtures.py [--ref-dir /work/shared/reference]
Needs numpy and libsodium23.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

# (n, p, q, f, seed, kind): p >= q so that the reference's receiver (its Bob = the q side) is
# also the receiver in the Swift engine (the party with fewer vectors).
CASES = [
    (384, 2, 1, 16, 1, "correlated"),
    (64, 3, 2, 12, 2, "gaussian"),
    (200, 4, 4, 20, 3, "gaussian"),
    (17, 5, 3, 8, 4, "gaussian"),
    (1000, 2, 2, 24, 5, "correlated"),
    (129, 3, 1, 30, 6, "shifted"),
]


def bits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def unit_rows(m):
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def make(n, p, q, kind, rng):
    A = unit_rows(rng.standard_normal((p, n)))
    if kind == "correlated":
        B = unit_rows(A[:q] + 0.7 * rng.standard_normal((q, n)))
    elif kind == "shifted":
        # positive-mean vectors plus zero-mean ones: both signs matter
        A = unit_rows(rng.standard_normal((p, n)) + 0.3)
        B = unit_rows(rng.standard_normal((q, n)) - 0.1)
    else:
        B = unit_rows(rng.standard_normal((q, n)))
    return A, B


def exact_products(A, B, f):
    X = [[int(v) for v in np.round(row * (1 << f))] for row in A]
    Y = [[int(v) for v in np.round(row * (1 << f))] for row in B]
    return [[sum(x * y for x, y in zip(xr, yr)) for yr in Y] for xr in X]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref-dir", default="/work/shared/reference")
    ap.add_argument("--out", default=os.path.join(HERE, "..", "Fixtures", "reference_sessions.json"))
    a = ap.parse_args()
    sys.path.insert(0, a.ref_dir)
    import gilboa_iknp_ref as ref  # noqa: E402

    cases = []
    for (n, p, q, f, seed, kind) in CASES:
        rng = np.random.default_rng(seed)
        A, B = make(n, p, q, kind, rng)
        wire = ref.Wire()
        Z = ref.run(A, B, f, wire)
        sizes = {label: nb for (_, _, label, nb) in wire.log}
        exact = exact_products(A, B, f)
        cases.append({
            "n": n, "p": p, "q": q, "f": f, "kind": kind,
            "a": [[bits(v) for v in row] for row in A],
            "b": [[bits(v) for v in row] for row in B],
            "exact": [[str(z) for z in row] for row in exact],
            "referenceSecure": [[bits(v) for v in row] for row in Z],
            "cosine": [[bits(v) for v in row] for row in (A @ B.T)],
            "referenceBytes": {
                "baseOTSenderPoint": sizes["baseOT S"],
                "baseOTPoints": sizes["baseOT R[128]"],
                "extensionMatrix": sizes["IKNP U (kappa x N bits)"],
                "corrections": sizes["COT corrections"],
                "shareA": sizes["output share zA"],
                "shareB": sizes["output share zB"],
            },
        })
        # the reference must itself reproduce the exact products
        for i in range(p):
            for j in range(q):
                assert Z[i][j] == float(np.int64(exact[i][j])) / float(1 << (2 * f)), (n, p, q, f, i, j)
    with open(a.out, "w") as fh:
        json.dump({"generator": "Scripts/make_reference_fixtures.py (gilboa_iknp_ref.py + exact integers)",
                   "cases": cases}, fh, indent=1)
    print("wrote", a.out, len(cases), "cases")


if __name__ == "__main__":
    main()
