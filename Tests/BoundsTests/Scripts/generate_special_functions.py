#!/usr/bin/env python3
"""Reference values for the special functions of the Bounds target, from scipy.special.

Writes ../Fixtures/special_functions.json with
  betainc:  [a, b, x, I_x(a,b), 1 - I_x(a,b)]
  gammainc: [a, x, P(a,x), Q(a,x)]
  erfc:     [z, erfc(z)]
The incomplete gamma reference is mpmath (40 digits) for a >= 1000: scipy.special.gammainc
(Cephes igam) loses accuracy for large a when x < a (errors up to 45% relative were seen at
a ~ 9e7), while gammaincc agrees with mpmath.
Cases span wide ranges (parameters up to 1e8, probabilities down to ~1e-300) with a fixed seed.
Values that underflow (< 1e-300) are stored as 0 and skipped by the tests.
Run: python3 generate_special_functions.py
"""
import json, math, os
import mpmath as mp
import numpy as np
import scipy
from scipy import special

rng = np.random.default_rng(20261129)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "special_functions.json")


def log_uniform(lo, hi):
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def beta_cases(count):
    rows = []
    while len(rows) < count:
        kind = rng.integers(0, 3)
        if kind == 0:  # integer parameters, as in binomial tails
            n = int(log_uniform(1, 1e8))
            k = int(rng.integers(0, n + 1))
            a, b = float(max(k, 1)), float(n - k + 1)
        elif kind == 1:  # real parameters
            a, b = log_uniform(0.05, 1e4), log_uniform(0.05, 1e4)
        else:
            a, b = log_uniform(1, 1e7), log_uniform(1, 1e7)
        mean = a / (a + b)
        sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
        choice = rng.integers(0, 3)
        if choice == 0:
            x = float(rng.uniform(0, 1))
        elif choice == 1:
            x = mean + float(rng.normal(0, 1)) * sd * float(rng.choice([1, 5, 20, 40]))
        else:
            x = log_uniform(1e-12, 1)
        if not (0 < x < 1):
            continue
        v, c = float(special.betainc(a, b, x)), float(special.betaincc(a, b, x))
        if max(v, c) == 0 or not (math.isfinite(v) and math.isfinite(c)):
            continue
        rows.append([a, b, x, v, c])
    return rows


def reference_gamma(a, x):
    """(P, Q) of the regularized incomplete gamma function."""
    if a < 1000:
        return float(special.gammainc(a, x)), float(special.gammaincc(a, x))
    mp.mp.dps = 40
    am, xm = mp.mpf(a), mp.mpf(x)
    if x < a + 1:
        # P(a, x) = x^a e^-x / Gamma(a+1) * 1F1(1; a+1; x)
        p = mp.exp(am * mp.log(xm) - xm - mp.loggamma(am + 1)) * mp.hyp1f1(1, am + 1, xm, maxterms=10**8)
        q = 1 - p
    else:
        q = mp.gammainc(am, xm, mp.inf, regularized=True)
        p = 1 - q
    return float(p), float(q)


def gamma_cases(count):
    rows = []
    while len(rows) < count:
        kind = rng.integers(0, 3)
        if kind == 0:
            a = float(int(log_uniform(1, 1e8)))
        elif kind == 1:
            a = log_uniform(0.05, 1e4)
        else:
            a = float(rng.integers(1, 30)) / 2
        choice = rng.integers(0, 3)
        if choice == 0:
            x = a + float(rng.normal(0, 1)) * math.sqrt(a) * float(rng.choice([1, 5, 20, 35]))
        elif choice == 1:
            x = log_uniform(1e-6, 1e3) * a
        else:
            x = log_uniform(1e-3, 800)
        if not (x > 0):
            continue
        p, q = reference_gamma(a, x)
        if max(p, q) == 0:
            continue
        rows.append([a, x, p, q])
    return rows


def erfc_cases(count):
    rows = []
    for z in np.concatenate([rng.uniform(-6, 27, count - 20), np.linspace(-0.5, 0.5, 20)]):
        rows.append([float(z), float(special.erfc(z))])
    return rows


def main():
    data = {
        "source": f"scipy {scipy.__version__} scipy.special.betainc/betaincc/gammainc/gammaincc/erfc; mpmath {mp.__version__} for gammainc with a >= 1000",
        "betainc": beta_cases(2500),
        "gammainc": gamma_cases(2500),
        "erfc": erfc_cases(600),
    }
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print("wrote", OUT, {k: len(v) for k, v in data.items() if isinstance(v, list)})


if __name__ == "__main__":
    main()
