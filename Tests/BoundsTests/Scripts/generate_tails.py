#!/usr/bin/env python3
"""Reference exact tail probabilities for Distribution.probability (Sources/Bounds/Distribution.swift).

Writes ../Fixtures/tails.json with rows
  [family, a, b, n, tail, threshold, exact]
family: 0 binomial(a = trials, b = p), 1 poisson(a = lambda), 2 normal(a = mean, b = sd),
        3 exponential(a = rate), 4 uniform(a = lower, b = upper)
n:      0 for the distribution itself, else the sample size of a sampleMean of it
tail:   0 upper P(X >= threshold), 1 lower P(X <= threshold), 2 twoSided P(|X - mean| >= threshold), evaluated from the deviation directly

References: scipy.stats (binom: Boost ibeta; norm: ndtr; expon; uniform); mpmath for binomial
laws with >= 1e6 trials through the positive series I_x(a,b) = x^a y^b/(a B(a,b)) 2F1(a+b,1;a+1;x)
on the tail side (Boost's ibeta was seen 1.5e-10 off there, e.g. n = 100035251, p = 1.2e-7), for Poisson and
Gamma tails with parameters >= 1000 (scipy's gammainc/igam loses accuracy there, see
generate_special_functions.py) and for Irwin-Hall (exact alternating sum at n + 0.75n + 330 digits).
Double-precision intermediate steps (mean = n*p, sd/sqrt(n), n*rate*x, n*(x-a)/(b-a), rate*d,
n*d/(b-a)) are reproduced exactly as the Swift code forms them; integer thresholds of discrete laws
use exact rational ceil/floor of n*x and of n*(mean +- d).
Run: python3 generate_tails.py   (about a minute)
"""
import json, math, os
from fractions import Fraction
import mpmath as mp
import numpy as np
import scipy
from scipy import stats, special

rng = np.random.default_rng(4)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "tails.json")
BINOMIAL, POISSON, NORMAL, EXPONENTIAL, UNIFORM = range(5)
UPPER, LOWER, TWO = range(3)


def log_uniform(lo, hi):
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def gamma_pq(a, x):
    if x <= 0:
        return 0.0, 1.0
    if a < 1000 and x < 1e5:
        return float(special.gammainc(a, x)), float(special.gammaincc(a, x))
    mp.mp.dps = 40
    am, xm = mp.mpf(a), mp.mpf(x)
    if x < a + 1:
        p = mp.exp(am * mp.log(xm) - xm - mp.loggamma(am + 1)) * mp.hyp1f1(1, am + 1, xm, maxterms=10**8)
        return float(p), float(1 - p)
    q = mp.gammainc(am, xm, mp.inf, regularized=True)
    return float(1 - q), float(q)


def irwin_hall_cdf(n, s):
    """P(U_1 + ... + U_n <= s) exactly (s a double or an mpf)."""
    if s <= 0:
        return 0.0
    if s >= n:
        return 1.0
    mp.mp.dps = int(0.75 * n) + 330
    sm = mp.mpf(s)
    total = mp.mpf(0)
    for k in range(0, int(mp.floor(sm)) + 1):
        total += (-1) ** k * mp.binomial(n, k) * (sm - k) ** n
    return float(total / mp.factorial(n))


DISAGREE = [0]


def binomial_tail(k, trials, p, upper):
    """P(X >= k) (upper) or P(X <= k) for X ~ Binomial(trials, p)."""
    ref = float(stats.binom.sf(k - 1, trials, p)) if upper else float(stats.binom.cdf(k, trials, p))
    if trials < 10**6 or p in (0.0, 1.0):
        return ref
    mp.mp.dps = 30
    pm = mp.mpf(p)
    qm = 1 - pm  # exact: p is a double
    n = trials

    def tail_side(a, b, x):
        # I_x(a, b) = x^a y^b / (a B(a, b)) * 2F1(a+b, 1; a+1; x): positive terms, converging
        # geometrically (ratio r = (a+b) x / (a+1)) on the tail side of the mean. Near the mean
        # (more than ~2e4 terms) the tail is not small and scipy's value is kept.
        a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
        r = (a + b) * x / (a + 1)
        if 50 / (1 - r) > 2e4:
            raise OverflowError
        log_front = a * mp.log(x) + b * mp.log(1 - x) - mp.log(a) - (mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b))
        term, total, j = mp.mpf(1), mp.mpf(1), 0
        while term > total * mp.mpf(10) ** -34:
            term *= (a + b + j) / (a + 1 + j) * x
            total += term
            j += 1
        return mp.exp(log_front) * total

    log_n_fact = mp.loggamma(n + 1)

    def pmf_sum(lo, hi):  # sum of P(X = j), lo <= j <= hi, term by term (all positive)
        return mp.fsum(mp.exp(log_n_fact - mp.loggamma(j + 1) - mp.loggamma(n - j + 1) + j * mp.log(pm) + (n - j) * mp.log(qm))
                       for j in range(lo, hi + 1))

    def at_least(k):  # P(X >= k) = I_p(k, n - k + 1)
        if k <= 0:
            return mp.mpf(1)
        if k > n:
            return mp.mpf(0)
        if n - k < 20000:
            return pmf_sum(k, n)
        if k > n * pm:
            return tail_side(k, n - k + 1, pm)
        return 1 - at_most(k - 1)

    def at_most(k):  # P(X <= k) = I_q(n - k, k + 1)
        if k < 0:
            return mp.mpf(0)
        if k >= n:
            return mp.mpf(1)
        if k < 20000:
            return pmf_sum(0, k)
        if k < n * pm:
            return tail_side(n - k, k + 1, qm)
        return 1 - at_least(k + 1)

    try:
        v = at_least(k) if upper else at_most(k)
    except (OverflowError, ValueError, ZeroDivisionError):
        return ref
    v = float(v)
    if v > 1e-300 and abs(v - ref) > 1e-12 * v:
        DISAGREE[0] += 1
    return v


def ceil_mul(n, x):
    return math.ceil(Fraction(n) * Fraction(x))


def floor_mul(n, x):
    return math.floor(Fraction(n) * Fraction(x))


def mean_of(family, a, b):
    if family == BINOMIAL:
        return float(a) * b
    if family == POISSON:
        return a
    if family == NORMAL:
        return a
    if family == EXPONENTIAL:
        return 1 / a
    return a / 2 + b / 2


def sd_of(family, a, b):
    if family == BINOMIAL:
        return math.sqrt(float(a) * b * (1 - b))
    if family == POISSON:
        return math.sqrt(a)
    if family == NORMAL:
        return b
    if family == EXPONENTIAL:
        return 1 / a
    return (b - a) / math.sqrt(12)


def upper(family, a, b, n, x):
    """P(X >= x) (X the distribution, or the mean of n draws when n > 0)."""
    m = max(n, 1)
    if family == BINOMIAL:
        k = ceil_mul(m, x)
        trials = int(a) * m
        if k <= 0:
            return 1.0
        if k > trials:
            return 0.0
        return binomial_tail(k, trials, b, upper=True)
    if family == POISSON:
        k = ceil_mul(m, x)
        lam = float(m) * a
        if k <= 0:
            return 1.0
        return gamma_pq(float(k), lam)[0]
    if family == NORMAL:
        sd = b if n == 0 else b / math.sqrt(float(n))
        return float(special.ndtr(-((x - a) / sd)))
    if family == EXPONENTIAL:
        if x <= 0:
            return 1.0
        if n == 0:
            return float(stats.expon.sf(a * x))
        return gamma_pq(float(n), float(n) * a * x)[1]
    if n == 0:
        return float(stats.uniform.sf(x, loc=a, scale=b - a))
    s = float(n) * (x - a) / (b - a)
    if s <= 0:
        return 1.0
    if s >= n:
        return 0.0
    mp.mp.dps = int(0.75 * n) + 330
    return irwin_hall_cdf(n, float(mp.mpf(n) - mp.mpf(s))) if (n - s) == float(mp.mpf(n) - mp.mpf(s)) else None


def lower(family, a, b, n, x):
    """P(X <= x)."""
    m = max(n, 1)
    if family == BINOMIAL:
        k = floor_mul(m, x)
        trials = int(a) * m
        if k < 0:
            return 0.0
        if k >= trials:
            return 1.0
        return binomial_tail(k, trials, b, upper=False)
    if family == POISSON:
        k = floor_mul(m, x)
        lam = float(m) * a
        if k < 0:
            return 0.0
        return gamma_pq(float(k + 1), lam)[1]
    if family == NORMAL:
        sd = b if n == 0 else b / math.sqrt(float(n))
        return float(special.ndtr((x - a) / sd))
    if family == EXPONENTIAL:
        if x <= 0:
            return 0.0
        if n == 0:
            return float(stats.expon.cdf(a * x))
        return gamma_pq(float(n), float(n) * a * x)[0]
    if n == 0:
        return float(stats.uniform.cdf(x, loc=a, scale=b - a))
    s = float(n) * (x - a) / (b - a)
    return irwin_hall_cdf(n, s)


def two_sided(family, a, b, n, mean, d):
    """P(|X - mean| >= d) from d directly (mean is the double the Swift code forms)."""
    m = max(n, 1)
    if family in (BINOMIAL, POISSON):
        hi = Fraction(mean) + Fraction(d)   # exact mean + d; ceil/floor of m * (mean +- d) below
        lo = Fraction(mean) - Fraction(d)
        up, low = upper(family, a, b, n, hi), lower(family, a, b, n, lo)
        return min(1.0, up + low)
    if family == NORMAL:
        sd = b if n == 0 else b / math.sqrt(float(n))
        return float(special.erfc((d / sd) * math.sqrt(0.5)))
    if family == EXPONENTIAL:
        r = a * d
        if n == 0:
            return float(stats.expon.sf(1 + r)) + (float(stats.expon.cdf(1 - r)) if r < 1 else 0.0)
        return gamma_pq(float(n), float(n) * (1 + r))[1] + (gamma_pq(float(n), float(n) * (1 - r))[0] if r < 1 else 0.0)
    if n == 0:
        return max(0.0, 1 - 2 * d / (b - a))
    h = float(n) * d / (b - a)
    s_hi, s_lo = float(n) / 2 + h, float(n) / 2 - h
    up = 0.0 if s_hi >= n else irwin_hall_cdf(n, mp.mpf(n) - mp.mpf(s_hi))
    return min(1.0, up + irwin_hall_cdf(n, s_lo))


def random_distribution():
    family = int(rng.integers(0, 5))
    sample = 0 if rng.uniform() < 0.55 else int(log_uniform(1, 1e6))
    if family == BINOMIAL:
        trials = int(log_uniform(1, 1e9 if sample == 0 else 1e4))
        r = rng.integers(0, 6)
        p = [float(rng.uniform()), log_uniform(1e-9, 1), 1 - log_uniform(1e-9, 0.5), 0.5, float(rng.uniform()),
             float(rng.choice([0.0, 1.0, 0.3, 0.01]))][r]
        if sample:
            sample = min(sample, max(1, 10**9 // trials))
        return family, float(trials), p, sample
    if family == POISSON:
        lam = log_uniform(1e-3, 1e9)
        if sample:
            sample = min(sample, max(1, int(1e9 / lam)))
        return family, lam, 0.0, sample
    if family == NORMAL:
        return family, float(rng.normal(0, 100)), log_uniform(1e-3, 1e3), sample
    if family == EXPONENTIAL:
        return family, log_uniform(1e-3, 1e3), 0.0, sample
    lo = float(rng.normal(0, 10)) if rng.uniform() < 0.5 else 0.0
    hi = lo + log_uniform(1e-2, 1e2)
    if sample:
        sample = int(log_uniform(1, 200))
    return family, lo, hi, sample


def main():
    rows = []
    while len(rows) < 4000:
        family, a, b, n = random_distribution()
        mean = mean_of(family, a, b)
        sd = sd_of(family, a, b) / math.sqrt(max(n, 1))
        if sd == 0:
            sd = 1.0
        tail = int(rng.integers(0, 3))
        z = float(rng.normal(0, 1)) * float(rng.choice([0.5, 1, 3, 8, 20, 38]))
        if tail == TWO:
            threshold = abs(z) * sd
            if not threshold > 0:
                continue
            exact = two_sided(family, a, b, n, mean, threshold)
            if exact is None:
                continue
        elif tail == UPPER:
            threshold = mean + z * sd
            exact = upper(family, a, b, n, threshold)
        else:
            threshold = mean + z * sd
            exact = lower(family, a, b, n, threshold)
        if exact is None or not math.isfinite(threshold) or not math.isfinite(exact):
            continue
        rows.append([family, a, b, n, tail, threshold, exact])
    data = {"source": f"scipy {scipy.__version__}, mpmath {mp.__version__}", "tails": rows}
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    small = sum(1 for r in rows if 0 < r[6] < 1e-100)
    print("wrote", OUT, len(rows), "rows;", small, "below 1e-100;", DISAGREE[0], "binomial cases where scipy and mpmath differ by > 1e-12")


if __name__ == "__main__":
    main()
