#!/usr/bin/env python3
"""Res64 fixtures for the IBDWT Lucas–Lehmer and PRP tests, computed with gmpy2 (GMP) only.

    pip install gmpy2
    python3 Tests/PrimesTests/Scripts/make_ibdwt_fixtures.py

Writes Tests/PrimesTests/Fixtures/ibdwt_residues.json:
  - every prime exponent 3 <= p <= 20,000 and a random sample of prime exponents up to 200,000 (fixed seed);
  - for each: the Lucas–Lehmer Res64 (s_0 = 4, s_{i+1} = s_i^2 - 2 mod 2^p - 1, low 64 bits of s_{p-2}) and
    the Fermat PRP Res64 of GIMPS residue type 1: 3^(2^p - 2) mod 2^p - 1 (the value is 1 for a probable prime),
    computed by gmpy2.powmod, independently of the squaring chain the Swift code uses;
  - the Jacobi symbols (s_k - 2 | M_p) and (s_k + 2 | M_p) at a few iterations k >= 1 of some runs, so the
    statement of the Lucas–Lehmer Jacobi check is pinned by an independent computation.
Deterministic; takes several CPU minutes, spread over a process pool (the LL runs near 200,000 dominate).
"""
import json
import multiprocessing
import os
import random

import gmpy2
from gmpy2 import mpz

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Fixtures", "ibdwt_residues.json")


def ll_res64(p):
    m = (mpz(1) << p) - 1
    s = mpz(4)
    for _ in range(p - 2):
        s = s * s
        s = (s & m) + (s >> p)
        if s >= m:
            s -= m
        s -= 2
        if s < 0:
            s += m
    if s == m:
        s = mpz(0)
    return "%016X" % (s & 0xFFFFFFFFFFFFFFFF)


def prp_res64(p):
    m = (mpz(1) << p) - 1
    r = gmpy2.powmod(3, m - 1, m)
    return "%016X" % (r & 0xFFFFFFFFFFFFFFFF)


def row(p):
    return {"exponent": p, "ll": ll_res64(p), "prp": prp_res64(p)}


def jacobi_rows(p, ks):
    m = (mpz(1) << p) - 1
    s = mpz(4)
    rows = []
    wanted = set(ks)
    for k in range(0, max(ks) + 1):
        if k in wanted:
            rows.append({"iteration": k, "minus2": int(gmpy2.jacobi(s - 2, m)), "plus2": int(gmpy2.jacobi(s + 2, m))})
        s = (s * s - 2) % m
    return {"exponent": p, "rows": rows}


def main():
    rng = random.Random("20261204-ibdwt")
    small = [p for p in range(3, 20001) if gmpy2.is_prime(p)]
    large_pool = [p for p in range(20001, 200001) if gmpy2.is_prime(p)]
    sample = sorted(rng.sample(large_pool, 8))
    exponents = small + sample
    # Largest first so the pool's workers finish together; the rows are sorted again below.
    with multiprocessing.Pool(max(2, 2 * (os.cpu_count() or 1))) as pool:
        rows = pool.map(row, sorted(exponents, reverse=True), chunksize=4)
    rows.sort(key=lambda r: r["exponent"])
    jac = [jacobi_rows(p, [0, 1, 2, 3, 10, 100, p - 3, p - 2]) for p in [61, 89, 127, 1279, 4423]]
    jac += [jacobi_rows(p, [1, 2, 5, 50, 500, p - 2]) for p in [11, 23, 1009, 4001]]
    with open(OUT, "w") as f:
        json.dump({"residues": rows, "sampleAbove20000": sample, "jacobi": jac}, f, indent=0, sort_keys=True)
        f.write("\n")
    print("wrote", OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
