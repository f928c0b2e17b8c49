#!/usr/bin/env python3
"""gmpy2 reference timings (CPU seconds of this process, time.process_time) for Benchmarks/primes (same algorithms as Sources/Primes).

    python3 gmpy2_reference.py ll P          -> "seconds res64"   (shift-and-add Lucas–Lehmer)
    python3 gmpy2_reference.py decimal P     -> "seconds digits"  (gmpy2.digits of 2^P - 1)
    python3 gmpy2_reference.py queries N     -> "seconds N"       (N Mersenne digit queries: digits,
                                               20 leading digits via mpfr log10, 20 trailing via pow)
    python3 gmpy2_reference.py nextprime n…  -> "seconds count"   (is_bpsw_prp(n) and next_prime(n) of each n)
    python3 gmpy2_reference.py sha256 P…     -> one "P seconds sha256" line per P (SHA-256 of the digits of 2^P - 1)
"""
import random
import sys
import time

import gmpy2
from gmpy2 import mpz, mpfr


def ll(p):
    m = (mpz(1) << p) - 1
    s = mpz(4)
    start = time.process_time()
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
    return time.process_time() - start, "%016X" % (s & 0xFFFFFFFFFFFFFFFF)


def decimal(p):
    m = (mpz(1) << p) - 1
    start = time.process_time()
    text = m.digits(10)
    return time.process_time() - start, len(text)


def queries(n):
    rng = random.Random(7)
    exponents = [rng.randint(1, 10**9) for _ in range(n)]
    ctx = gmpy2.get_context()
    ctx.precision = 256
    log2 = gmpy2.log10(mpfr(2))
    mod = mpz(10) ** 20
    start = time.process_time()
    for p in exponents:
        x = p * log2
        whole = gmpy2.floor(x)
        digits = int(whole) + 1
        lead = int(gmpy2.floor(gmpy2.exp10(x - whole + 19)))
        trail = (pow(mpz(2), p, mod) - 1) % mod
        _ = (digits, str(lead), str(trail).zfill(20))
    return time.process_time() - start, n


def nextprime(numbers):
    values = [mpz(n) for n in numbers]
    start = time.process_time()
    for n in values:
        gmpy2.is_bpsw_prp(n)
        gmpy2.next_prime(n)
    return time.process_time() - start, len(values)


def sha256(exponents):
    import hashlib
    lines = []
    for p in exponents:
        m = (mpz(1) << int(p)) - 1
        start = time.process_time()
        text = m.digits(10)
        seconds = time.process_time() - start
        lines.append("%s %.6f %s" % (p, seconds, hashlib.sha256(text.encode()).hexdigest()))
    return lines


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "sha256":
        print("\n".join(sha256(sys.argv[2:])))
        sys.exit(0)
    if what == "nextprime":
        seconds, value = nextprime(sys.argv[2:])
    else:
        seconds, value = {"ll": ll, "decimal": decimal, "queries": queries}[what](int(sys.argv[2]))
    print("%.6f %s" % (seconds, value))
