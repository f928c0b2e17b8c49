#!/usr/bin/env python3
"""Global reference for the shortest geodesic in 2-D (extends reference.py; no code shared with the Swift side).

reference.py finds the geodesic near a few starting curves. Here the question is which of the distinct routes
between two points is the shortest, so the starting curves come from a dense graph that sees every route:

1. Modes: local maxima of log p on a fine grid, refined by BFGS on −log p. A route between a and b is classified
   by how it passes each mode: the signed number of times it crosses the upward vertical ray from the mode
   (−1, 0 or +1; a homotopy class of the plane with the modes removed, windings excluded). Both metrics bend
   routes at the modes (the Stein metric around or over them, the conformal metric into them), so distinct local
   geodesics lie in distinct classes.
2. Dense graph: a G×G grid over the end points and the modes with a margin, each node joined to every node
   (i, j) steps away with |i|, |j| ≤ 3 and gcd(i, j) = 1 (48 directions), edges weighted by their metric length
   (three-point Gauss–Legendre along the straight edge). The graph is lifted to one layer per class (3^M layers
   for M modes, at most 4 modes, those nearest the segment a b), an edge moving between layers when it crosses a
   ray, and scipy's Dijkstra gives the shortest graph path of every class at once. A graph path is a real curve
   of its class, so its graph length bounds that class's shortest length from above; the grid overestimates the
   anisotropic Stein metric (metrication error, up to ~80% along steep level sets), so every class whose graph
   length is within a factor of 3 (Stein) or 1.1 (conformal, isotropic: a few % of metrication error) of the
   shortest graph path is a candidate, at most the 10 shortest.
3. Every candidate (plus the straight line and the two quadratic bulges of reference.py) goes through
   reference.py's damped Newton continuation 32 → 64 → 128 segments. A minimiser whose discrete length is not
   its polyline's length (adaptive quadrature, within 2%; 0.2% at 512 segments) jumps a wall between quadrature
   points and is left out. Distinct minima (curves more than 1e−2‖b − a‖ apart) within 5% of the shortest at
   128 segments continue to 256 and 512 segments and are compared by their Richardson lengths. The shortest continues to 1024 and 2048 segments and is shot from there
   (single shooting, DOP853 at rtol 1e−12, at most 30 integrations): its length is the shot length when shooting
   lands on b and agrees with the Richardson value, else the Richardson value on 1024/2048 segments;
   `referenceError` estimates its relative error (sharp Stein metrics converge slowly: at λ = 10 the 256/512
   Richardson value can be 1e−3 off).

Cases: 64 random 2-D mixtures (random_cases) and 4 two-component mixtures with the end points across the
components' axis (ACROSS_AXIS).

Usage: python3 global_reference.py fixtures [index…] → writes ../Fixtures/global.json (recomputes the listed
                                                          case indices, keeps the others)
       python3 global_reference.py case i            → prints the record of case i without writing
       python3 global_reference.py holdout SEED COUNT OUT.json → COUNT random cases of another seed (not committed:
                                                          a check that the search was not tuned to the fixtures)
"""
import json
import sys
import time
from math import gcd
from pathlib import Path

import numpy as np
from scipy.optimize import minimize, root
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference as R  # noqa: E402

CASES = 64
MAX_MODES = 4
MAX_CANDIDATES = 10


# ---------------------------------------------------------------------------------------------
# Cases: random 2-D mixtures.

def random_cases(seed=20261204, count=CASES):
    """CASES random 2-D problems: 2–4 components (means at least 1.5 apart in [−3, 3]², covariances with
    standard deviations 0.5–1 along random axes, weights 0.5–1.5); Stein λ log-uniform in [1, 30] (3 cases in 5)
    or conformal α uniform in [0.5, 2]; end points across the axis of two components (on either side of it),
    anywhere in [−4, 4]², or near two modes."""
    rng = np.random.default_rng(seed)
    out = []
    i = 0
    while len(out) < count:
        K = int(rng.integers(2, 5))
        means = []
        while len(means) < K:
            m = rng.uniform(-3, 3, 2)
            if all(np.linalg.norm(m - q) > 1.5 for q in means):
                means.append(m)
        comps = []
        for k in range(K):
            th = rng.uniform(0, np.pi)
            sd = rng.uniform(0.5, 1.0, 2)
            rot = np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
            C = rot @ np.diag(sd ** 2) @ rot.T
            C = 0.5 * (C + C.T)
            comps.append({"weight": float(round(rng.uniform(0.5, 1.5), 3)), "mean": [round(float(x), 4) for x in means[k]],
                          "covariance": [[round(float(C[0, 0]), 5), round(float(C[0, 1]), 5)],
                                         [round(float(C[0, 1]), 5), round(float(C[1, 1]), 5)]]})
        dens = {"kind": "mixture", "components": comps}
        if len(out) % 5 < 3:
            met = {"kind": "stein", "lambda": round(float(np.exp(rng.uniform(0, np.log(30)))), 3)}
        else:
            met = {"kind": "conformal", "alpha": round(float(rng.uniform(0.5, 2)), 3)}
        placement = ["across", "anywhere", "modes"][len(out) % 3]
        M = np.array([c["mean"] for c in comps])
        if placement == "across":
            p, q = rng.choice(K, 2, replace=False)
            u = M[q] - M[p]
            dist = np.linalg.norm(u)
            u /= dist
            n = np.array([-u[1], u[0]])
            mid = 0.5 * (M[p] + M[q])
            a = mid + rng.uniform(-0.5, 0.5) * dist * u - rng.uniform(1.5, 3) * n
            b = mid + rng.uniform(-0.5, 0.5) * dist * u + rng.uniform(1.5, 3) * n
        elif placement == "anywhere":
            a, b = rng.uniform(-4, 4, 2), rng.uniform(-4, 4, 2)
        else:
            p, q = rng.choice(K, 2, replace=False)
            a = M[p] + 0.6 * rng.standard_normal(2)
            b = M[q] + 0.6 * rng.standard_normal(2)
        i += 1
        if np.linalg.norm(b - a) < 2:
            continue
        a = [round(float(x), 4) for x in a]
        b = [round(float(x), 4) for x in b]
        # Keep the metric within what the reference resolves at 512 segments: λ‖s‖² ≤ 3000 at the end points.
        mix = R.build(dens)
        if met["kind"] == "stein" and max(met["lambda"] * np.sum(mix.score(np.array(x)) ** 2) for x in (a, b)) > 3000:
            continue
        # and the conformal factor within e^20 of its value at the highest mode: far out in the tails every
        # route is as long as the stretch next to the end point, and the route question is moot.
        top = max(mix.logp(np.array(c["mean"])) for c in comps)
        if met["kind"] == "conformal" and max(met["alpha"] * (top - mix.logp(np.array(x))) for x in (a, b)) > 20:
            continue
        out.append({"name": f"random{len(out)}/{placement}/{met['kind']}", "density": dens, "metric": met,
                    "from": a, "to": b})
    return out


# Two-component mixtures with Stein λ = 10 and the end points across the components' axis (the situation of the
# report that the search had returned a longer local geodesic as unique), from a scan of 120 such problems: the
# four where a search answered a local geodesic 1–9% longer than the shortest.
ACROSS_AXIS = [
    ([(1.012, [-1.368, -0.6132], [[0.1978, -0.0324], [-0.0324, 0.1428]]),
      (0.568, [1.368, 0.6132], [[0.1565, 0.1029], [0.1029, 0.954]])], [3.1062, -1.1722], [-2.4998, 1.122]),
    ([(0.989, [0.9705, -0.1932], [[0.458, -0.144], [-0.144, 0.295]]),
      (0.899, [-0.9705, 0.1932], [[0.1721, -0.0815], [-0.0815, 0.3308]])], [0.1901, 2.3043], [-1.8825, -2.9687]),
    ([(1.216, [1.3525, -0.5798], [[0.145, -0.0076], [-0.0076, 0.1496]]),
      (0.936, [-1.3525, 0.5798], [[0.2441, 0.1762], [0.1762, 0.5493]])], [2.1318, 2.0395], [-1.1976, -1.9801]),
    ([(0.576, [-0.5337, -0.5898], [[0.158, -0.087], [-0.087, 0.874]]),
      (0.528, [0.5337, 0.5898], [[0.2776, 0.0063], [0.0063, 0.2104]])], [2.978, -1.0871], [-1.0662, 2.4727]),
]


def all_cases():
    out = random_cases()
    for i, (comps, a, b) in enumerate(ACROSS_AXIS):
        dens = {"kind": "mixture", "components": [{"weight": w, "mean": m, "covariance": c} for w, m, c in comps]}
        out.append({"name": f"acrossAxis{i}/stein", "density": dens, "metric": {"kind": "stein", "lambda": 10.0},
                    "from": a, "to": b})
    return out


# ---------------------------------------------------------------------------------------------
# Modes and the class-lifted graph.

def modes(mix, lo, hi, n=121):
    xs = np.linspace(lo[0], hi[0], n)
    ys = np.linspace(lo[1], hi[1], n)
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    P = np.stack([X.ravel(), Y.ravel()], axis=1)
    L = mix.parts(P)[0].reshape(n, n)
    found = []
    for i in range(1, n - 1):
        for j in range(1, n - 1):
            v = L[i, j]
            if v >= L[i - 1:i + 2, j - 1:j + 2].max():
                res = minimize(lambda x: -mix.logp(x), np.array([xs[i], ys[j]]), jac=lambda x: -mix.score(x),
                               method="BFGS", options={"gtol": 1e-10})
                x = res.x
                if np.all(x >= lo) and np.all(x <= hi) and all(np.linalg.norm(x - y) > 1e-3 for y in found):
                    found.append(x)
    return found


def class_paths(metric, a, b, mode_list, G):
    """Shortest graph path of every reachable class: list of (graph length, signature, polyline)."""
    pts = [a, b] + list(mode_list)
    lo = np.min(pts, axis=0)
    hi = np.max(pts, axis=0)
    span = max(hi - lo)
    margin = max(0.35 * span, 2.5)
    lo = lo - margin
    hi = hi + margin
    xs = np.linspace(lo[0], hi[0], G)
    ys = np.linspace(lo[1], hi[1], G)
    node = lambda i, j: i * G + j
    coords = np.array([[x, y] for x in xs for y in ys])
    steps = [(i, j) for i in range(-3, 4) for j in range(-3, 4) if (i, j) != (0, 0) and gcd(abs(i), abs(j)) == 1]
    U, V = [], []
    I, J = np.meshgrid(np.arange(G), np.arange(G), indexing="ij")
    I, J = I.ravel(), J.ravel()
    for di, dj in steps:
        ok = (I + di >= 0) & (I + di < G) & (J + dj >= 0) & (J + dj < G)
        U.append(node(I[ok], J[ok]))
        V.append(node(I[ok] + di, J[ok] + dj))
    U = np.concatenate(U)
    V = np.concatenate(V)
    Pp, Qp = coords[U], coords[V]
    W = metric.chord_lengths(Pp, Qp)
    M = len(mode_list)
    # Signed crossings of the upward ray x = mx, y > my (left → right +1, right → left −1).
    delta = np.zeros((len(U), M), dtype=np.int64)
    for k, m in enumerate(mode_list):
        right = (Pp[:, 0] < m[0]) & (Qp[:, 0] >= m[0])
        left = (Pp[:, 0] >= m[0]) & (Qp[:, 0] < m[0])
        cross = right | left
        t = np.where(cross, (m[0] - Pp[:, 0]) / np.where(cross, Qp[:, 0] - Pp[:, 0], 1), 0)
        above = Pp[:, 1] + t * (Qp[:, 1] - Pp[:, 1]) > m[1]
        delta[right & above, k] = 1
        delta[left & above, k] = -1
    layers = 3 ** M
    digits = np.array([[(L // 3 ** k) % 3 for k in range(M)] for L in range(layers)], dtype=np.int64).reshape(layers, M)
    Nn = G * G
    rows, cols, vals = [], [], []
    for L in range(layers):
        nd = digits[L][None, :] + delta
        ok = np.all((nd >= 0) & (nd <= 2), axis=1)
        target = (nd[ok] * (3 ** np.arange(M))[None, :]).sum(axis=1) if M else np.zeros(ok.sum(), dtype=np.int64)
        rows.append(L * Nn + U[ok])
        cols.append(target * Nn + V[ok])
        vals.append(W[ok])
    rows = np.concatenate(rows)
    cols = np.concatenate(cols)
    vals = np.concatenate(vals)
    graph = csr_matrix((vals, (rows, cols)), shape=(layers * Nn, layers * Nn))
    del rows, cols, vals
    nearest = lambda p: node(int(round((p[0] - lo[0]) / (xs[1] - xs[0]))), int(round((p[1] - lo[1]) / (ys[1] - ys[0]))))
    zero = int(sum(3 ** k for k in range(M)))   # every count 0 ↔ digit 1
    src = zero * Nn + nearest(a)
    dist, pred = dijkstra(graph, directed=True, indices=src, return_predecessors=True)
    out = []
    tgt = nearest(b)
    for L in range(layers):
        s = L * Nn + tgt
        if not np.isfinite(dist[s]):
            continue
        chain = []
        while s != src and s >= 0:
            chain.append(s % Nn)
            s = pred[s]
        chain.append(src % Nn)
        chain.reverse()
        poly = np.vstack([a] + [coords[c] for c in chain[1:-1]] + [b])
        out.append((float(dist[L * Nn + tgt]), [int(d) - 1 for d in digits[L]], poly))
    return out


def resample(poly, n):
    """n + 1 points equally spaced in Euclidean arc length along a polyline."""
    seg = np.linalg.norm(np.diff(poly, axis=0), axis=1)
    cum = np.concatenate([[0], np.cumsum(seg)])
    t = np.linspace(0, cum[-1], n + 1)
    return np.stack([np.interp(t, cum, poly[:, k]) for k in range(poly.shape[1])], axis=1)


# ---------------------------------------------------------------------------------------------

def polyline_length(metric, X):
    """Metric length of the polyline X by adaptive quadrature on every segment."""
    from scipy.integrate import quad
    total = 0.0
    for i in range(len(X) - 1):
        D = X[i + 1] - X[i]
        total += quad(lambda t: np.sqrt(metric.sqnorm(X[i] + t * D, D)), 0, 1, epsrel=1e-10, limit=200)[0]
    return total


def resolves(metric, X, discrete, tol):
    """The discrete length agrees with the polyline's own length to the relative tolerance tol."""
    return abs(polyline_length(metric, X) - discrete) <= tol * discrete


def global_reference(metric, a, b, log=print):
    euclid = np.linalg.norm(b - a)
    mix = metric.mix
    pts = np.array([a, b] + list(mix.M))
    lo, hi = pts.min(axis=0) - 3, pts.max(axis=0) + 3
    found = modes(mix, lo, hi)
    # The modes nearest the segment a b (distance to the segment), at most MAX_MODES.
    def seg_dist(m):
        t = np.clip((m - a) @ (b - a) / (euclid ** 2), 0, 1)
        return np.linalg.norm(a + t * (b - a) - m)
    found.sort(key=seg_dist)
    used = found[:MAX_MODES]
    G = 81 if len(used) <= 3 else 61
    t0 = time.time()
    classes = class_paths(metric, a, b, used, G)
    best_graph = min(c[0] for c in classes)
    # The grid overestimates anisotropic (Stein) lengths by up to ~70%, isotropic (conformal) ones by a few %.
    factor = 3.0 if metric.kind == "stein" else 1.1
    cands = sorted([c for c in classes if c[0] <= factor * best_graph], key=lambda c: c[0])[:MAX_CANDIDATES]
    log(f"  {len(found)} modes ({len(used)} used), {len(classes)} classes, {len(cands)} within 2× of the best graph "
        f"length {best_graph:.6g} ({time.time() - t0:.1f}s)")
    starts = [("class " + str(sig), resample(poly, 32)) for _, sig, poly in cands]
    for k, X in enumerate(R.make_starts(a, b, 32, np.random.default_rng(0), 1)):
        starts.append((["straight", "bulge+", "bulge-"][k], X))
    runs = []
    for label, X0 in starts:
        n, X, L, ok, it = R.continuation(metric, a, b, X0, [32, 64, 128])[-1]
        if ok and np.isfinite(L):
            runs.append((L, X, label))
    runs.sort(key=lambda r: r[0])
    distinct = []
    for L, X, label in runs:
        if all(np.max(np.abs(X - Y)) > 1e-2 * euclid for _, Y, _, _ in distinct):
            distinct.append((L, X, label, [label]))
        else:
            for d in distinct:
                if np.max(np.abs(X - d[1])) <= 1e-2 * euclid:
                    d[3].append(label)
                    break
    # A discrete minimiser is a curve only when its discrete length is the length of its own polyline: on sharp
    # metrics a minimiser can jump a wall between its quadrature points and be short only on paper (its discrete
    # length then jumps between refinement levels, far below the polyline's). Such minimisers are left out.
    ok = [resolves(metric, r[1], r[0], 2e-2) for r in distinct]
    if not all(ok) and any(ok):
        log(f"  left out {ok.count(False)} unresolved minimiser(s): discrete lengths "
            + ", ".join(f"{r[0]:.6g} (polyline {polyline_length(metric, r[1]):.6g})" for r, k in zip(distinct, ok) if not k))
        distinct = [r for r, k in zip(distinct, ok) if k]
    L0 = distinct[0][0]
    minima = []
    for L, X, label, labels in distinct:
        rec = {"discreteLength128": float(L), "starts": labels, "halfPoint": R.polyline_half_point(metric, X).tolist()}
        if L <= 1.05 * L0:
            levels = R.continuation(metric, a, b, X, [256, 512])
            if resolves(metric, levels[-1][1], levels[-1][2], 2e-3):
                rec["richardsonLength"] = float(levels[-1][2] + (levels[-1][2] - levels[-2][2]) / 3)
                rec["length"] = rec["richardsonLength"]
                rec["fine"] = levels[-1][1]
        minima.append(rec)
    refined = [m for m in minima if "length" in m]
    refined.sort(key=lambda m: m["length"])
    best = refined[0]
    # The shortest continues to 1024 and 2048 segments (on sharp Stein metrics the 256/512 Richardson value can be
    # ~1e−3 off), then single shooting from it (DOP853, rtol 1e−12, at most 30 integrations): the shot length when
    # it lands on b and agrees with the Richardson value, else the Richardson value on 1024/2048 segments.
    levels = R.continuation(metric, a, b, best["fine"], [1024, 2048])
    L1, L2 = levels[-2][2], levels[-1][2]
    richardson = L2 + (L2 - L1) / 3
    best["discreteLengths"] = {"1024": L1, "2048": L2}
    X = levels[-1][1]
    h = 1.0 / (len(X) - 1)
    guess = (-3 * X[0] + 4 * X[1] - X[2]) / (2 * h)
    G = lambda v: R.flow(metric, a, v, 1.0).y[:len(a), -1] - b
    sol = root(G, guess, method="hybr", options={"xtol": 1e-14, "maxfev": 30})
    res = float(np.max(np.abs(G(sol.x))))
    shot = None
    if res < 1e-8 * max(1.0, np.abs(b).max()):
        shot, mid, _, _ = R.half_length_point(metric, a, sol.x)
    if shot is not None and abs(shot - richardson) <= max(10 * abs(L2 - L1) / 3, 1e-7 * shot):
        best.update({"length": float(shot), "midpoint": mid.tolist(), "initialVelocity": sol.x.tolist(),
                     "shootingResidual": res, "referenceError": float(max(abs(shot - richardson) / shot, 1e-9))})
    else:
        best.update({"length": float(richardson), "midpoint": R.polyline_half_point(metric, X).tolist(),
                     "referenceError": float(abs(L2 - L1) / 3 / richardson)})
    for m in minima:
        m.pop("fine", None)
    others = [m for m in minima if m is not best]
    log(f"  minima: " + "; ".join(f"{m.get('length', m['discreteLength128']):.8g} ({'shot' if 'shootingResidual' in m else 'N=2048' if 'referenceError' in m else 'N=512' if 'length' in m else 'N=128'}, {len(m['starts'])} starts)"
                                   for m in [best] + others))
    return {
        "length": best["length"], "midpoint": best["midpoint"], "referenceError": best["referenceError"],
        "modes": [m.tolist() for m in found],
        "classes": len(classes), "candidates": len(cands), "graphLength": best_graph,
        "minima": [best] + others,
    }


def fixtures(only):
    out = Path(__file__).resolve().parent.parent / "Fixtures" / "global.json"
    done = {}
    if out.exists():
        done = {r["name"]: r for r in json.loads(out.read_text())["cases"]}
    records = []
    for i, c in enumerate(all_cases()):
        if c["name"] in done and str(i) not in only:
            records.append(done[c["name"]])
            continue
        print(c["name"], c["metric"], c["from"], c["to"], flush=True)
        t0 = time.time()
        metric = R.metric_of(R.build(c["density"]), c["metric"])
        rec = dict(c)
        rec.update(global_reference(metric, np.array(c["from"]), np.array(c["to"]), log=lambda s: print(s, flush=True)))
        rec["straightLineLength"] = R.straight_length(metric, np.array(c["from"]), np.array(c["to"]))
        rec["seconds"] = round(time.time() - t0, 1)
        records.append(rec)
        print(f"  → {rec['length']:.10g} ({rec['seconds']}s)", flush=True)
        out.write_text(json.dumps({"generator": "Tests/GeodesicsTests/Scripts/global_reference.py", "cases": records}, indent=1))
    out.write_text(json.dumps({"generator": "Tests/GeodesicsTests/Scripts/global_reference.py", "cases": records}, indent=1))
    print("wrote", out)


def holdout(seed, count, out):
    """Cases the committed fixtures do not have (random_cases with another seed), for checking the search on
    problems it was not tuned on; written as the fixture file's format."""
    records = []
    for c in random_cases(seed, count):
        c["name"] = c["name"].replace("random", f"holdout{seed}-", 1)
        print(c["name"], c["metric"], c["from"], c["to"], flush=True)
        t0 = time.time()
        metric = R.metric_of(R.build(c["density"]), c["metric"])
        rec = dict(c)
        rec.update(global_reference(metric, np.array(c["from"]), np.array(c["to"]), log=lambda s: print(s, flush=True)))
        rec["seconds"] = round(time.time() - t0, 1)
        records.append(rec)
        out.write_text(json.dumps({"generator": "Tests/GeodesicsTests/Scripts/global_reference.py", "cases": records}, indent=1))
    print("wrote", out)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "fixtures":
        fixtures(sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "holdout":
        holdout(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
    elif len(sys.argv) > 2 and sys.argv[1] == "case":
        c = all_cases()[int(sys.argv[2])]
        print(c)
        metric = R.metric_of(R.build(c["density"]), c["metric"])
        print(json.dumps(global_reference(metric, np.array(c["from"]), np.array(c["to"]))["minima"], indent=1))
    else:
        print(__doc__)
