#!/usr/bin/env python3
"""Exact smallest sample sizes for SampleSize (Sources/Bounds/SampleSize.swift).

Writes ../Fixtures/sample_sizes.json: rows of decimal strings
  [method, tail, variance, epsilon, delta, range, p, maxDeviation, n]
Chebyshev: n = ceil(sigma^2 / (eps^2 delta)) with Fractions (exact; many cases are exact integers,
which is where floating point overshoots). Logarithmic methods: ceil of the formula evaluated with
mpmath at 60 digits.
Run: python3 generate_sample_sizes.py
"""
import json, math, os, random
from fractions import Fraction
import mpmath as mp

random.seed(7)
mp.mp.dps = 60
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "sample_sizes.json")


def dec(digits, exp):
    """A decimal string digits * 10^exp."""
    return str(Fraction(digits) * Fraction(10) ** exp) if exp >= 0 else f"{digits}e{exp}"


def rand_dec(lo_exp, hi_exp, max_digits=3):
    d = random.randint(1, 10 ** random.randint(1, max_digits) - 1)
    return dec(d, random.randint(lo_exp, hi_exp))


def frac(s):
    return Fraction(s)


def unit(max_digits=3):
    """A decimal strictly inside (0, 1)."""
    k = random.randint(1, max_digits)
    d = random.randint(1, 10 ** k - 1)
    return f"{d}e-{k + random.randint(0, 3)}"


def mpq(s):
    f = Fraction(s)
    return mp.mpf(f.numerator) / f.denominator


def ceil_mp(x):
    n = int(mp.ceil(x))
    return max(1, n)


def main():
    rows = []
    # Chebyshev, including the notes' examples and many exact-integer quotients.
    rows.append(["chebyshev", "twoSided", "0.09", "0.01", "0.03", "", "", "", "30000"])
    rows.append(["chebyshev", "twoSided", "0.07", "0.001", "0.01", "", "", "", "7000000"])
    while len(rows) < 700:
        eps = rand_dec(-4, 0, 2)
        delta = unit(2)
        if random.random() < 0.5:
            # sigma^2 = m * eps^2 * delta exactly: the quotient is the integer m.
            m = random.randint(1, 10 ** random.randint(1, 9))
            s2 = frac(eps) ** 2 * frac(delta) * m
            variance = format_decimal(s2)
            if variance is None:
                continue
        else:
            variance = rand_dec(-6, 3, 3)
        q = frac(variance) / (frac(eps) ** 2 * frac(delta))
        n = max(1, math.ceil(q))
        if n > 10 ** 15:
            continue
        rows.append(["chebyshev", "twoSided", variance, eps, delta, "", "", "", str(n)])
    rows.append(["hoeffding", "twoSided", "", "0.02", "0.01", "1", "", "", "6623"])
    for _ in range(400):
        method = random.choice(["hoeffding", "chernoff", "bernstein"])
        tail = random.choice(["twoSided", "upper", "lower"])
        k = 2 if tail == "twoSided" else 1
        delta = unit(2)
        if method == "hoeffding":
            r, eps = rand_dec(-2, 2), rand_dec(-4, 0, 2)
            x = mpq((r)) ** 2 * mp.log(k / mpq((delta))) / (2 * mpq((eps)) ** 2)
            row = [method, tail, "", eps, delta, r, "", ""]
        elif method == "chernoff":
            p, eps = unit(3), unit(2)
            c = 3 if tail != "lower" else 2
            x = c * mp.log(k / mpq((delta))) / (mpq((eps)) ** 2 * mpq((p)))
            row = [method, tail, "", eps, delta, "", p, ""]
        else:
            v, m, eps = rand_dec(-6, 2), rand_dec(-2, 2), rand_dec(-4, 0, 2)
            e = mpq((eps))
            x = (2 * mpq((v)) / e ** 2 + 2 * mpq((m)) / (3 * e)) * mp.log(k / mpq((delta)))
            row = [method, tail, v, eps, delta, "", "", m]
        n = ceil_mp(x)
        if n > 10 ** 15:
            continue
        rows.append(row + [str(n)])
    with open(OUT, "w") as f:
        json.dump({"source": f"Python fractions, mpmath {mp.__version__} at 60 digits", "cases": rows}, f, separators=(",", ":"))
    print("wrote", OUT, len(rows))


def format_decimal(x):
    """Exact decimal text of a Fraction with a power-of-ten denominator (else None)."""
    num, den = x.numerator, x.denominator
    k = 0
    while den % 10 == 0 or den % 2 == 0 or den % 5 == 0:
        if den % 10 == 0:
            den //= 10
        elif den % 2 == 0:
            den //= 2
            num *= 5
        else:
            den //= 5
            num *= 2
        k += 1
        if k > 60:
            return None
    if den != 1:
        return None
    return f"{num}e-{k}" if k else str(num)


if __name__ == "__main__":
    main()
