#!/usr/bin/env python3
"""Generate the Primes test fixtures from independent references.

References: gmpy2 (GMP 6.3 through Python) and Python's own big integers for exact values,
Python's `decimal` module (correctly rounded log10/exp, independent of MPFR) for digits of numbers
too large to write out, scipy.stats.chi2 for Benford p-values, and benford-py 0.5.0 (when installed)
as a cross-check of the Benford counts and MAD.

    pip install gmpy2 scipy numpy benford_py
    python3 Tests/PrimesTests/Scripts/make_fixtures.py

Writes Tests/PrimesTests/Fixtures/*.json. Deterministic (fixed random seed). Takes ~1-2 minutes
(the exact expansions of the largest known Mersenne primes dominate).
"""
import json
import os
import random
from decimal import Decimal, getcontext, ROUND_FLOOR

import gmpy2
from scipy.stats import chi2

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Fixtures")
os.makedirs(OUT, exist_ok=True)
rng = random.Random(20261129)


def reseed(name):
    """Each fixture file gets its own random stream, so any one can be regenerated alone."""
    global rng
    rng = random.Random("20261129-" + name)

MERSENNE_EXPONENTS = [2, 3, 5, 7, 13, 17, 19, 31, 61, 89, 107, 127, 521, 607, 1279, 2203, 2281, 3217, 4253,
                      4423, 9689, 9941, 11213, 19937, 21701, 23209, 44497, 86243, 110503, 132049, 216091,
                      756839, 859433, 1257787, 1398269, 2976221, 3021377, 6972593, 13466917, 20996011,
                      24036583, 25964951, 30402457, 32582657, 37156667, 42643801, 43112609, 57885161,
                      74207281, 77232917, 82589933, 136279841]


def dump(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", name, os.path.getsize(os.path.join(OUT, name)), "bytes")


# ---------------------------------------------------------------- digits of b^e + c

EXACT_BITS_LIMIT = 3_000_000


def exact_digits(b, e, c, lead, trail):
    n = gmpy2.mpz(b) ** e + c
    s = gmpy2.digits(n)
    d = len(s)
    lead_s = s[:lead]
    trail_s = s if trail >= d else s[d - trail:] if trail > 0 else ""
    return d, lead_s, trail_s


def decimal_leading(b, e, k):
    """floor(e*log10 b)+1 and the first k digits of b^e with the decimal module, at two precisions;
    asserts agreement and that among the next 60 digits there is one that is not 9 and one that is
    not 0 (so an offset |c| <= 1e6 cannot carry or borrow into the first k when the number is long)."""
    guard = 60
    results = []
    for extra in (40, 80):
        getcontext().prec = len(str(e)) + k + guard + extra
        x = Decimal(e) * Decimal(b).log10()
        n = int(x.to_integral_value(rounding=ROUND_FLOOR))
        frac = x - n
        mant = Decimal(10) ** (frac + (k + guard - 1))
        head = int(mant.to_integral_value(rounding=ROUND_FLOOR))
        results.append((n + 1, str(head)))
    assert results[0][0] == results[1][0] and results[0][1][:k + guard - 5] == results[1][1][:k + guard - 5], (b, e, results)
    d, head = results[0]
    assert len(head) == k + guard
    rest = head[k:k + guard - 5]
    assert rest.strip("9") != "" and rest.strip("0") != "", (b, e, head)
    return d, head[:k]


def reference_digits(b, e, c, lead, trail):
    if b in (0, 1) or e == 0:
        return exact_digits(b, e, c, lead, trail)
    bits = e * b.bit_length()
    if bits <= EXACT_BITS_LIMIT:
        return exact_digits(b, e, c, lead, trail)
    # powers of ten: closed form is what we test, so compute it independently via strings
    s = str(b)
    if s == "1" + "0" * (len(s) - 1):
        j = len(s) - 1
        n = j * e
        if c >= 0:
            tail = str(c) if c > 0 else ""
            d = n + 1
            def char(i):  # i-th digit from the left, 0-based
                if i == 0:
                    return "1"
                if i >= d - len(tail):
                    return tail[i - (d - len(tail))]
                return "0"
        else:
            tail = str(10 ** 7 + c).rjust(7, "0")
            d = n
            def char(i):
                if i >= d - 7:
                    return tail[i - (d - 7)]
                return "9"
        lead_s = "".join(char(i) for i in range(min(lead, d)))
        trail_s = "".join(char(i) for i in range(max(0, d - trail), d))
        return d, lead_s, trail_s
    d, head = decimal_leading(b, e, max(lead, 1))
    lead_s = head[:lead]
    mod = 10 ** trail
    trail_s = str((pow(b, e, mod) + c) % mod).rjust(trail, "0") if trail > 0 else ""
    return d, lead_s, trail_s


def continued_fraction_denominators(b, limit):
    getcontext().prec = 80
    x = Decimal(b).log10()
    h0, h1, k0, k1 = 0, 1, 1, 0
    out = []
    y = x
    for _ in range(60):
        a = int(y.to_integral_value(rounding=ROUND_FLOOR))
        h0, h1 = h1, a * h1 + h0
        k0, k1 = k1, a * k1 + k0
        if k1 > limit:
            break
        out.append(k1)
        frac = y - a
        if frac == 0:
            break
        y = 1 / frac
    return out


def digits_cases():
    reseed("digits_cases")
    cases = []
    def add(b, e, c=0, lead=20, trail=20, note=""):
        d, ls, ts = reference_digits(b, e, c, lead, trail)
        cases.append({"base": str(b), "exponent": str(e), "offset": c, "leading": lead, "trailing": trail,
                      "digits": str(d), "leadingDigits": ls, "trailingDigits": ts, "note": note})

    # §5 pitfalls
    for a in [10**15 - 1, 10**15 - 2, 10**15 - 3, 999999999999998, 10**14 - 1, 10**17 - 1, 10**18 - 1,
              2**53 + 1, 10**18 - 11, 999]:
        add(a, 1, note="log10 rounds to an integer / not representable")
    add(6, 863372858, note="continued-fraction denominator")
    add(10**6, 1, note="power of ten")
    for j in range(1, 19):
        add(10**j, 1)
        add(10**j, 7, -1)
    for e in [10**9, 10**12, 10**18, 123456789012345678]:
        for c in [0, 1, -1, 999999, -999999, 1000000, -1000000, 42]:
            add(10**18, e, c, note="power of ten, huge")
            add(10, e, c, lead=30, trail=30)
    # crossing a power of ten with the offset
    add(2, 10, -24); add(2, 10, -25); add(2, 10, -1024); add(10, 3, -1); add(999, 1, 1); add(3, 2, -9)
    add(2, 20, -48576); add(2, 20, -48577); add(5, 3, 875); add(5, 3, 874)
    # trivial
    add(0, 5); add(0, 5, 7); add(1, 10**18); add(1, 10**18, 1000000); add(7, 0); add(7, 0, 999999); add(10**18, 0, -1)
    # continued-fraction denominators of log10 b as exponents (floor(e log10 b) within ~1/e of an integer)
    for b in [2, 3, 5, 6, 7, 11, 999, 10**18 - 1, 123456789, 2**59 - 1]:
        for e in continued_fraction_denominators(b, 10**18):
            if e >= 2:
                add(b, e, note="continued-fraction denominator")
                add(b, e, -1, lead=5, trail=5)
                add(b, e, 1000000, lead=1, trail=1)
    # big exponents
    for b in [2, 3, 10**18 - 1, 10**18 + 1 - 2, 999999999999999989, 2**32, 7**22]:
        for e in [10**18, 10**18 - 1, 987654321987654321, 2**59 + 12345]:
            if b <= 10**18:
                add(b, e, rng.randint(-10**6, 10**6), lead=rng.choice([1, 20, 50]), trail=rng.choice([0, 20, 50]))
    # moderate sizes (exact) and around the exact/interval switch
    for _ in range(150):
        b = rng.choice([rng.randint(2, 100), rng.randint(2, 10**6), rng.randint(2, 10**18)])
        e = rng.choice([rng.randint(1, 50), rng.randint(1, 5000), rng.randint(1000, 200000)])
        if e * b.bit_length() > EXACT_BITS_LIMIT:
            e = EXACT_BITS_LIMIT // b.bit_length()
        c = rng.choice([0, rng.randint(-10**6, 10**6), -1, 1])
        if gmpy2.mpz(b) ** e + c < 0:
            c = 0
        add(b, e, c, lead=rng.choice([0, 1, 20, 100, 1000]), trail=rng.choice([0, 1, 20, 100, 1000]))
    # large exponents, random bases (decimal-module reference)
    for _ in range(120):
        b = rng.choice([rng.randint(2, 1000), rng.randint(2, 10**18)])
        e = rng.choice([rng.randint(10**6, 10**9), rng.randint(10**9, 10**18)])
        add(b, e, rng.randint(-10**6, 10**6), lead=rng.choice([1, 20, 60]), trail=rng.choice([0, 1, 20, 60]))
    # k = 1000 leading digits at a large exponent
    add(2, 136279841, -1, lead=1000, trail=1000)
    add(3, 10**18, 0, lead=1000, trail=1000)
    dump("digits.json", cases)


# ---------------------------------------------------------------- Mersenne numbers

def mersenne_fixtures():
    reseed("mersenne_fixtures")
    known = []
    for rank, p in enumerate(MERSENNE_EXPONENTS, 1):
        m = gmpy2.mpz(2) ** p - 1
        s = gmpy2.digits(m)
        known.append({"rank": rank, "exponent": p, "digits": len(s), "leading": s[:50], "trailing": s[-50:]})
        print("M%d: %d digits" % (p, len(s)), flush=True)
    facts = []
    for p in [1, 2, 4, 10, 64, 100, 1000, 32768, 65536, 99991, 10**6, 2**24, 123456789, 10**9 - 1, 10**9] + \
             [rng.randint(1, 10**9) for _ in range(40)]:
        lead = rng.choice([1, 20, 40])
        trail = rng.choice([0, 1, 3, 20, 40])
        d, ls, ts = reference_digits(2, p, -1, lead, trail)
        facts.append({"exponent": p, "digits": d, "leading": lead, "trailing": trail,
                      "leadingDigits": ls, "trailingDigits": ts, "lastDigit": int((pow(2, p, 10) - 1) % 10)})
    # full expansions: one stored verbatim, others by length, ends and a position-weighted checksum
    expansions = []
    for p in [89, 607, 4423, 44497, 1257787]:
        s = gmpy2.digits(gmpy2.mpz(2) ** p - 1)
        checksum = 0
        for ch in s.encode():
            checksum = (checksum * 31 + ch) % 1000000007
        expansions.append({"exponent": p, "length": len(s), "head": s[:100], "tail": s[-100:],
                           "checksum": checksum, "full": s if len(s) <= 20000 else None})
    dump("mersenne.json", {"known": known, "facts": facts, "expansions": expansions})


# ---------------------------------------------------------------- Lucas–Lehmer

def lucas_lehmer(p):
    m = (1 << p) - 1
    s = 4
    for _ in range(p - 2):
        s = (s * s - 2) % m
    return s == 0, "%016X" % (s & 0xFFFFFFFFFFFFFFFF)


def ll_fixtures():
    reseed("ll_fixtures")
    rows = []
    for p in range(3, 4424):
        if gmpy2.is_prime(p):
            prime, res = lucas_lehmer(p)
            rows.append({"exponent": p, "isPrime": prime, "residue64": res})
    for p in [9689, 9941, 11213, 10007]:
        prime, res = lucas_lehmer(p)
        rows.append({"exponent": p, "isPrime": prime, "residue64": res})
    composites = [4, 6, 9, 15, 25, 49, 91, 221, 4095, 10001, 1000000, 9999999]
    dump("lucas_lehmer.json", {"primeExponents": rows, "compositeExponents": composites})


# ---------------------------------------------------------------- primality

def primality_fixtures():
    reseed("primality_fixtures")
    ns = set(range(0, 200))
    ns.update([2**31 - 1, 2**32 + 15, 2**61 - 1, 2**62 - 57, 2**63 - 25, 2**64 - 59, 2**64 - 58, 2**64 - 1,
               2**64, 2**64 + 1, 2**64 + 13, 561, 1105, 1729, 2047, 3215031751, 25326001, 3825123056546413051,
               318665857834031151167461, 3317044064679887385961981, 2**89 - 1, 2**127 - 1, 2**107 - 1, 2**128 + 1,
               10**18 + 3, 10**18 + 9, 9999999967, 4759123141, 1122004669633, 2152302898747, 3474749660383,
               341550071728321, 18446744073709551557])
    # strong pseudoprimes to base 2 above 2^64 (p and 2p-1 prime: n = p(2p-1) with suitable p) — let BPSW decide
    for _ in range(40):
        q = gmpy2.next_prime(rng.getrandbits(40))
        r = 2 * q - 1
        if gmpy2.is_prime(r):
            ns.add(int(q * r))
    for _ in range(60):
        ns.add(rng.getrandbits(64))
    # (each large n costs the Swift test one next-prime search: ~1 s at 1000 digits, so few of those)
    for bits, repeat in [(70, 4), (100, 4), (200, 4), (400, 4), (1000, 3), (2000, 1), (3300, 1)]:
        for _ in range(repeat):
            x = rng.getrandbits(bits)
            ns.add(x)
            if bits < 3300:
                ns.add(int(gmpy2.next_prime(x)))
            if bits < 2000:
                ns.add(int(gmpy2.next_prime(x)) * 3)
    ns = sorted(n for n in ns if len(str(n)) <= 1000)
    rows = []
    for n in ns:
        is_p = bool(gmpy2.is_bpsw_prp(n)) if n > 1 else False
        if n < 2**64 and n > 1:
            assert is_p == bool(gmpy2.is_prime(n, 50))
        rows.append({"n": str(n), "isPrime": is_p, "nextPrime": str(int(gmpy2.next_prime(n))),
                     "strongPseudoprimeBase2": bool(n > 2 and n % 2 == 1 and gmpy2.is_strong_prp(n, 2) and not is_p)})
    dump("primality.json", rows)


# ---------------------------------------------------------------- Benford

def benford_expected(test):
    import math
    if test == "firstDigit":
        return {d: math.log10(1 + 1 / d) for d in range(1, 10)}
    if test == "firstTwoDigits":
        return {d: math.log10(1 + 1 / d) for d in range(10, 100)}
    return {d: sum(math.log10(1 + 1 / (10 * f + d)) for f in range(1, 10)) for d in range(10)}


MAD_LIMITS = {"firstDigit": (0.006, 0.012, 0.015), "secondDigit": (0.008, 0.010, 0.012),
              "firstTwoDigits": (0.0012, 0.0018, 0.0022)}


def first_two(text):
    """First two significant digits of a positive decimal string via Decimal (exact), else None."""
    from decimal import InvalidOperation
    try:
        x = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not x.is_finite() or x <= 0:
        return None
    digits = x.as_tuple().digits
    sig = [d for d in digits]
    while sig and sig[0] == 0:
        sig.pop(0)
    sig = sig + [0]
    return 10 * sig[0] + sig[1]


def at_least_ten(text):
    from decimal import InvalidOperation
    try:
        return Decimal(text.strip()) >= 10
    except InvalidOperation:
        return False


def benford_stats(values, test):
    """Nigrini's convention (and benford_py's): the second-digit and first-two-digits tests leave out the
    positive values below 10, which have no second digit; they are counted in belowTen."""
    import math
    ft = [first_two(v) for v in values]
    valid = [v for v in ft if v is not None]
    ignored = len(values) - len(valid)
    below_ten = 0
    if test != "firstDigit":
        valid = [f for f, v in zip(ft, values) if f is not None and at_least_ten(v)]
        below_ten = len(values) - ignored - len(valid)
    n = len(valid)
    exp = benford_expected(test)
    key = {"firstDigit": lambda v: v // 10, "secondDigit": lambda v: v % 10, "firstTwoDigits": lambda v: v}[test]
    counts = {d: 0 for d in exp}
    for v in valid:
        counts[key(v)] += 1
    chi = sum((counts[d] - n * exp[d]) ** 2 / (n * exp[d]) for d in exp)
    mad = sum(abs(counts[d] / n - exp[d]) for d in exp) / len(exp)
    zs = []
    for d in exp:
        po, pe = counts[d] / n, exp[d]
        diff = abs(po - pe)
        corr = 1 / (2 * n)
        zs.append((diff - (corr if corr < diff else 0)) / math.sqrt(pe * (1 - pe) / n))
    cum_o = cum_e = ks = 0.0
    for d in exp:
        cum_o += counts[d] / n
        cum_e += exp[d]
        ks = max(ks, abs(cum_o - cum_e))
    lim = MAD_LIMITS[test]
    conf = "close" if mad <= lim[0] else "acceptable" if mad <= lim[1] else "marginal" if mad <= lim[2] else "nonconformity"
    return {"count": n, "ignored": ignored, "belowTen": below_ten, "counts": [counts[d] for d in exp], "chiSquare": chi,
            "pValue": float(chi2.sf(chi, len(exp) - 1)), "mad": mad, "conformity": conf, "zScores": zs, "ks": ks}


def cross_check_benford_py(values, entry):
    """Counts and MAD of every test against benford-py 0.5.0 (`pip install benford_py`), an independent
    implementation; skipped when it is not installed. Integer data (int64) goes in as it is, so benford_py
    leaves the values below 10 out of the second-digit and first-two-digits tests as we do; other data only
    for the first digit (benford_py scales it by 10^decimals first, which moves the below-10 line)."""
    try:
        import benford
        import pandas as pd
    except ImportError:
        print("benford_py not installed: cross-check skipped")
        return
    integers = all(v.strip().isdigit() and int(v) < 2**63 for v in values)
    series = pd.Series([int(v) for v in values]) if integers else pd.Series([float(v) for v in values])
    checks = [(1, "firstDigit"), (2, "firstTwoDigits"), (0, "secondDigit")] if integers else [(1, "firstDigit")]
    for digs, test in checks:
        if digs == 0:
            frame = benford.second_digit(series, show_plot=False, verbose=False)
            bins = range(0, 10)
        else:
            frame = benford.first_digits(series, digs=digs, show_plot=False, verbose=False,
                                         **({} if integers else {"decimals": 8}))
            bins = range(10 ** (digs - 1), 10 ** digs)
        counts = [int(c) for c in frame["Counts"].reindex(bins, fill_value=0)]
        assert counts == entry[test]["counts"], (test, counts, entry[test]["counts"])
        assert sum(counts) == entry[test]["count"], (test, sum(counts), entry[test]["count"])
        mad = float((frame["Found"] - frame["Expected"]).abs().reindex(bins).fillna(0).mean())
        assert abs(mad - entry[test]["mad"]) < 1e-12, (test, mad, entry[test]["mad"])
    entry["crossCheckedWithBenfordPy"] = True


def benford_fixtures():
    reseed("benford_fixtures")
    sets = []
    powers2 = [str(2 ** n) for n in range(1, 1001)]
    lognormal = ["%.6g" % rng.lognormvariate(5, 3) for _ in range(3000)]
    uniform = [str(rng.randint(1, 999)) for _ in range(2000)]
    primes = [str(p) for p in range(2, 100000) if gmpy2.is_prime(p)][:5000]
    mixed = ["123", "0", "-5", "abc", "0.000456", "7e300", "1.5E-7", "  42  ", "", "3.", ".5", "+8", "9e", "1e+5",
             "0.0", "00012", "5", "1.2.3", "inf", "nan", "2e-3"] * 5
    small = ["1", "2", "3", "11", "12", "19", "100", "150"]
    powers2_62 = [str(2 ** n) for n in range(1, 63)]     # 2, 4, 8 are left out of the two-digit tests
    magnitudes = [str(int(10 ** rng.uniform(0, 18))) for _ in range(3000)]
    for name, vals in [("powers2", powers2), ("lognormal", lognormal), ("uniform", uniform), ("primes", primes),
                       ("mixed", mixed), ("small", small), ("powers2_62", powers2_62), ("magnitudes", magnitudes)]:
        entry = {"name": name, "values": vals}
        for test in ["firstDigit", "secondDigit", "firstTwoDigits"]:
            entry[test] = benford_stats(vals, test)
        if name in ("lognormal", "uniform", "primes", "small", "powers2_62", "magnitudes"):   # 2^1000 overflows int64
            cross_check_benford_py(vals, entry)
        sets.append(entry)
    # powers of bases for the /benford/powers endpoint: first two digits of base^n, n = 1..count
    powers = []
    for base, count in [(2, 1000), (3, 2000), (10, 50), (7, 1500), (999999999999999999, 300), (1000000000000000000, 20), (5, 1000)]:
        ft = []
        for n in range(1, count + 1):
            s = gmpy2.digits(gmpy2.mpz(base) ** n)
            ft.append(int((s + "0")[:2]))
        powers.append({"base": str(base), "count": count, "firstTwo": ft,
                       "firstDigit": benford_stats([str(v) for v in ft], "firstDigit")})
    dump("benford.json", {"sets": sets, "powers": powers})


if __name__ == "__main__":
    import sys
    wanted = sys.argv[1:] or ["digits", "lucas_lehmer", "primality", "benford", "mersenne"]
    for name in wanted:
        {"digits": digits_cases, "lucas_lehmer": ll_fixtures, "primality": primality_fixtures,
         "benford": benford_fixtures, "mersenne": mersenne_fixtures}[name]()
