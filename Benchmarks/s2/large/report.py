#!/usr/bin/env python3
"""Benchmarks/s2/large.sh's two halves.

`report.py cases [filter]` prints the requests of large_coverings.json that the reference finished when
the fixtures were made, one a line in covering_time.cc's format (the id is the case's index).
`report.py report cases.txt reference.txt swift.txt` joins the reference's times (covering_time.cc)
with the service's answers (main.swift) and prints: how many requests the reference computes in under
0.5 s and whether every one is answered identically (the bar), what is refused and how long those take
the reference, the service's time against the reference's, and the reference's time per candidate
cell (the figure the running budget is sized by).
"""
import json, os, statistics, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "Tests", "S2GeometryTests", "Scripts"))
FIXTURE = os.path.join(HERE, "..", "..", "..", "Tests", "S2GeometryTests", "Fixtures", "large_coverings.json")


def cases(filt):
    from generate_fixtures import covering_time_line
    with open(FIXTURE) as f:
        for i, c in enumerate(json.load(f)["cases"]):
            if c["refSeconds"] is None or filt not in c["name"]:
                continue
            if c["kind"] == "polygon":
                value = [[(float(lat), float(lng)) for lng, lat in ring] for ring in c["rings"]]
            else:
                value = [float(x) for x in c[c["kind"]]]
            o = c["options"]
            print(covering_time_line(i, c["kind"], value, (o["minLevel"], o["maxLevel"], o["levelMod"], o["maxCells"]), c["interior"]))


def report(cases_txt, ref_txt, swift_txt):
    with open(FIXTURE) as f:
        fixture = json.load(f)["cases"]
    ref = {l.split()[0]: l.split() for l in open(ref_txt)}
    sw = {l.split()[0]: l.split() for l in open(swift_txt)}
    rows = []
    for line in open(cases_txt):
        i = line.split()[0]
        c = fixture[int(i)]
        r, s = ref[i], sw[i]
        rows.append({"c": c, "ref": float(r[1]), "cells": int(r[2]), "fnv": r[3], "swift": float(s[1]),
                     "swiftCells": int(s[2]), "swiftFnv": s[3], "refused": s[4], "created": int(s[5]),
                     "rss": float(s[6]) if len(s) > 6 else -1.0})

    def name(x):
        o = x["c"]["options"]
        return "%s %d/%d/%d/%d%s" % (x["c"]["name"], o["minLevel"], o["maxLevel"], o["levelMod"], o["maxCells"], " interior" if x["c"]["interior"] else "")

    fast = [x for x in rows if x["ref"] < 0.5]
    slow = [x for x in rows if x["ref"] >= 0.5]
    ok = lambda x: x["refused"] == "-" and x["swiftCells"] == x["cells"] and x["swiftFnv"] == x["fnv"]
    fast_bad = [x for x in fast if not ok(x)]
    print("requests: %d (%d interior): %d rectangles, %d caps, %d polygons" % (
        len(rows), sum(x["c"]["interior"] for x in rows), *(sum(x["c"]["kind"] == k for x in rows) for k in ("rect", "cap", "polygon"))))
    print("reference under 0.5 s: %d; answered identically: %d; refused: %d; different: %d" % (
        len(fast), sum(ok(x) for x in fast), sum(x["refused"] != "-" for x in fast),
        sum(x["refused"] == "-" and not ok(x) for x in fast)))
    for x in fast_bad:
        print("  NOT ANSWERED AS THE REFERENCE: %s (reference %.3f s, %s)" % (name(x), x["ref"], x["refused"]))
    refused = [x for x in rows if x["refused"] != "-"]
    print("reference 0.5 s or more: %d; answered identically: %d; refused: %d; different: %d" % (
        len(slow), sum(ok(x) for x in slow), sum(x["refused"] != "-" for x in slow),
        sum(x["refused"] == "-" and not ok(x) for x in slow)))
    if refused:
        print("refused requests take the reference %.2f–%.2f s (median %.2f); fields: %s" % (
            min(x["ref"] for x in refused), max(x["ref"] for x in refused), statistics.median(x["ref"] for x in refused),
            ", ".join("%s %d" % (f, sum(x["refused"] == f for x in refused)) for f in sorted({x["refused"] for x in refused}))))
        print("fastest refused (reference seconds):")
        for x in sorted(refused, key=lambda x: x["ref"])[:8]:
            print("  %-60s %.3f s  %s  (%d candidates)" % (name(x), x["ref"], x["refused"], abs(x["created"])))
    answered = [x for x in rows if x["refused"] == "-"]
    big = [x for x in answered if x["ref"] > 0.005]
    if big:
        ratios = sorted(x["swift"] / x["ref"] for x in big)
        print("service/reference CPU time, %d answered requests over 5 ms: median %.2f, p10 %.2f, p90 %.2f, max %.2f" % (
            len(big), statistics.median(ratios), ratios[len(ratios) // 10], ratios[9 * len(ratios) // 10], ratios[-1]))
    print("slowest answers: " + "; ".join("%s %.3f s (reference %.3f s)" % (name(x), x["swift"], x["ref"])
                                          for x in sorted(answered, key=lambda x: -x["swift"])[:5]))
    rss = sorted(rows, key=lambda x: -x["rss"])
    if rss and rss[0]["rss"] > 0:
        print("peak RSS of the process per request (MB, the program itself included): median %.1f, max %.1f; largest: %s" % (
            statistics.median(x["rss"] for x in rows), rss[0]["rss"],
            "; ".join("%s %.1f MB%s" % (name(x), x["rss"], " (refused)" if x["refused"] != "-" else "") for x in rss[:3])))
    per = sorted(x["ref"] / x["created"] * 1e6 for x in rows if x["created"] > 1_000_000 and x["c"]["kind"] != "polygon")
    if per:
        print("reference µs per candidate (rect/cap, over 1,000,000 candidates, %d requests): min %.3f, median %.3f, max %.3f"
              " -> in 0.5 s at most %.0f candidates" % (len(per), per[0], statistics.median(per), per[-1], 0.5 / per[0] * 1e6))
    print("bar: %s" % ("met: nothing the reference computes in under 0.5 s is refused or answered differently" if not fast_bad
                       else "NOT MET (%d requests)" % len(fast_bad)))


if __name__ == "__main__":
    if sys.argv[1] == "cases":
        cases(sys.argv[2] if len(sys.argv) > 2 else "")
    else:
        report(*sys.argv[2:5])
