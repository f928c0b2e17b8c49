#!/usr/bin/env python3
"""Exact tails of discrete laws at decimal thresholds on and beside their lattice points, for
Distribution.latticeEvent / probability (Sources/Bounds/Distribution.swift).

Writes ../Fixtures/lattice.json with rows
  {"family": "binomial"|"poisson", "param": m (trials) or lambda (decimal text), "p": decimal text or null,
   "n": 0 for the law itself, else the sample size of a sampleMean of it,
   "tail": "upper"|"lower"|"twoSided", "threshold": decimal text (the deviation for twoSided),
   "atLeast": k or null, "atMost": k or null, "exact": P(S >= atLeast) + P(S <= atMost)}
S is the integer-valued variable (X itself, or n * X-bar, the sum of the n draws). The conventions, taken
from the API (all events inclusive, every number the exact decimal written):
  upper     P(X >= x)         -> S >= ceil(n x)
  lower     P(X <= x)         -> S <= floor(n x)
  twoSided  P(|X - mu| >= d)  -> S >= ceil(n (mu + d)) or S <= floor(n (mu - d)), mu = m p or lambda exactly
Sides outside the support are null (atLeast > N for a binomial; atMost < 0); atLeast is at least 0 and
atMost at most N. Cut-offs are computed with Python's Fraction from the decimal texts; probabilities by
scipy.stats (binom, poisson) with the mpmath references of generate_tails.py where scipy is weak.
Thresholds: lattice points k/n themselves when they are finite decimals, the decimals just beside them
(+- 10^-j), lattice points of mu +- d for twoSided, and the issue's cases (200 Bernoulli(0.3) at 0.4;
|X-bar - 0.5| >= 0.05 for n = 1000).
Run: python3 generate_lattice.py   (a few seconds)
"""
import json, math, os, random
from decimal import Decimal, getcontext
from fractions import Fraction

import scipy
from scipy import stats

from generate_tails import binomial_tail, gamma_pq

getcontext().prec = 80
random.seed(15)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "lattice.json")
PS = ["0.1", "0.3", "0.7", "0.5", "0.01", "0.25", "0.123", "0.9", "0.999", "0.45"]
LAMBDAS = ["0.1", "0.3", "0.7", "2.5", "40", "123.4", "1000.5", "0.05"]
SIZES = [1, 2, 3, 7, 10, 25, 200, 1000, 1024, 4096, 10**4, 12345, 10**5, 10**6]


def text(fr):
    """A Fraction with a terminating decimal expansion as decimal text; None otherwise."""
    d = fr.denominator
    for q in (2, 5):
        while d % q == 0:
            d //= q
    if d != 1:
        return None
    s = format(Decimal(fr.numerator) / Decimal(fr.denominator), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def sum_tail_at_least(family, total, p, lam, k):
    if k <= 0:
        return 1.0
    if family == "binomial":
        if k > total:
            return 0.0
        return binomial_tail(k, total, float(p), upper=True)
    return gamma_pq(float(k), lam)[0]


def sum_tail_at_most(family, total, p, lam, k):
    if k < 0:
        return 0.0
    if family == "binomial":
        if k >= total:
            return 1.0
        return binomial_tail(k, total, float(p), upper=False)
    return gamma_pq(float(k + 1), lam)[1]


def row(family, param, p, n, tail, threshold):
    scale = max(n, 1)
    x = Fraction(Decimal(threshold))
    if family == "binomial":
        m = int(param)
        top = m * scale
        mu = m * Fraction(Decimal(p))
        lam = None
    else:
        top = None
        mu = Fraction(Decimal(param))
        lam = float(scale) * float(param)   # the double n * lambda the Swift code forms
    at_least = at_most = None
    if tail == "upper":
        at_least = math.ceil(scale * x)
    elif tail == "lower":
        at_most = math.floor(scale * x)
    else:
        at_least = math.ceil(scale * (mu + x))
        at_most = math.floor(scale * (mu - x))
    if at_least is not None:
        at_least = None if (top is not None and at_least > top) else max(0, at_least)
    if at_most is not None:
        at_most = None if at_most < 0 else (min(at_most, top) if top is not None else at_most)
    total = top if family == "binomial" else None
    exact = 0.0
    if at_least is not None:
        exact += sum_tail_at_least(family, total, p, lam, at_least)
    if at_most is not None:
        exact += sum_tail_at_most(family, total, p, lam, at_most)
    return {"family": family, "param": param, "p": p, "n": n, "tail": tail, "threshold": threshold,
            "atLeast": at_least, "atMost": at_most, "exact": min(1.0, exact)}


def thresholds_near(lattice_value, mean_scale):
    """Decimal texts on and just beside a lattice value (a Fraction)."""
    out = []
    on = text(lattice_value)
    if on is not None:
        out.append(on)
    for j in (1, 3, 9, 15, 20):
        eps = Fraction(1, 10**j) * max(Fraction(1), abs(mean_scale))
        for side in (-1, 1):
            v = lattice_value + side * eps
            # round to j + 6 decimals so that the text is short but beside the point
            digits = j + 6
            t = format(round(Decimal(v.numerator) / Decimal(v.denominator), digits), "f")
            if "." in t:
                t = t.rstrip("0").rstrip(".")
            out.append(t)
    return out


def cases_for(family, param, p, n):
    scale = max(n, 1)
    if family == "binomial":
        m = int(param)
        mu = m * Fraction(Decimal(p))
        sd = math.sqrt(m * float(p) * (1 - float(p)) / scale)
    else:
        mu = Fraction(Decimal(param))
        sd = math.sqrt(float(param) / scale)
    rows = []
    for tail in ("upper", "lower", "twoSided"):
        for _ in range(3):
            z = random.choice([0.0, 0.3, 1, 2, 4, 8]) * random.choice([-1, 1])
            if tail == "twoSided":
                # a lattice point k/n above or below the mean; d = |k/n - mu|
                k = math.floor(scale * (float(mu) + abs(z) * sd)) + random.choice([0, 1])
                if random.random() < 0.5:
                    k = math.ceil(scale * (float(mu) - abs(z) * sd)) - random.choice([0, 1])
                d = abs(Fraction(k, scale) - mu)
                if d == 0:
                    continue
                for t in thresholds_near(d, 1):
                    if Decimal(t) > 0:
                        rows.append(row(family, param, p, n, tail, t))
            else:
                k = math.floor(scale * (float(mu) + z * sd)) + random.choice([0, 1])
                for t in thresholds_near(Fraction(k, scale), mu):
                    rows.append(row(family, param, p, n, tail, t))
    return rows


def main():
    rows = []
    # The two cases, and their neighbours.
    rows.append(row("binomial", "1", "0.3", 200, "upper", "0.4"))
    rows.append(row("binomial", "1", "0.5", 1000, "twoSided", "0.05"))
    rows.append(row("binomial", "200", "0.3", 0, "upper", "80"))
    rows.append(row("binomial", "1", "0.3", 200, "lower", "0.4"))
    rows.append(row("poisson", "0.3", None, 10, "upper", "0.4"))
    for n in SIZES:
        for _ in range(2):
            if random.random() < 0.55:
                p = random.choice(PS)
                m = random.choice([1, 1, 2, 10, 37]) if n > 1 else random.choice([1, 10, 200, 1000, 10**5, 10**9])
                m = min(m, max(1, 10**9 // max(n, 1)))
                rows += cases_for("binomial", str(m), p, n if n > 1 or random.random() < 0.5 else 0)
            else:
                lam = random.choice(LAMBDAS)
                if float(lam) * n > 1e9:
                    lam = "0.3"
                rows += cases_for("poisson", lam, None, n if n > 1 or random.random() < 0.5 else 0)
    data = {"source": f"scipy {scipy.__version__} (+ mpmath for large binomials and Poisson means)", "rows": rows}
    with open(OUT, "w") as f:
        json.dump(data, f, indent=0, separators=(",", ":"))
    print("wrote", OUT, len(rows), "rows")


if __name__ == "__main__":
    main()
