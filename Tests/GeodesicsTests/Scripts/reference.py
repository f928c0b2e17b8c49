#!/usr/bin/env python3
"""Independent scipy reference for the Geodesics target (no code shared with the Swift side).

Geodesics under the Stein metric g = I + λ s sᵀ and the conformal metric g = p^(−α) I, with
s = ∇log p of a Gaussian mixture (a Gaussian is one component; a KDE is equal-weight isotropic
components).  Pipeline per pair (a, b):

1. minimise the discrete curve energy E_h = (1/2h) Σ Δᵢᵀ g(mᵢ) Δᵢ (N = 32 segments, only a starting guess) with
   L-BFGS-B and the analytic gradient, from several starting curves (straight line, quadratic
   Bézier bulges at ±0.5 ‖b − a‖ perpendicular); keep the lowest energy;
2. single shooting (scipy.optimize.root on DOP853 flows, rtol 1e−11) from that discrete curve;
   where it fails, multiple shooting (K = 4 segments) and single shooting again, v₀ = log_a(b);
3. length = ‖v₀‖_g(a) (conserved speed), midpoint = x(½) of the shot geodesic.

log p uses scipy.stats.multivariate_normal.logpdf and scipy.special.logsumexp.

Usage: python3 reference.py fixtures   → writes ../Fixtures/reference.json
       python3 reference.py bench      → timing of the same discrete solver on the benchmark cases
"""
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import minimize, root
from scipy.special import logsumexp
from scipy.stats import multivariate_normal


class Mixture:
    def __init__(self, weights, means, covs):
        w = np.asarray(weights, float)
        self.logw = np.log(w / w.sum())
        self.M = np.array(means, float)                       # K × d
        self.C = np.array(covs, float)                        # K × d × d
        self.P = np.linalg.inv(self.C)                        # K × d × d
        self.d = self.M.shape[1]
        # log normalisers from scipy's own logpdf at the mean (independent of our algebra).
        self.logc = np.array([multivariate_normal(mean=m, cov=c).logpdf(m) for m, c in zip(self.M, self.C)])

    def parts(self, X):
        """X: n × d → log p (n), responsibilities (n × K), u_k = P_k(μ_k − x) (n × K × d)."""
        diff = self.M[None, :, :] - X[:, None, :]                       # n × K × d
        u = np.einsum("kij,nkj->nki", self.P, diff)
        lt = self.logw[None, :] + self.logc[None, :] - 0.5 * np.einsum("nki,nki->nk", diff, u)
        lp = logsumexp(lt, axis=1)
        r = np.exp(lt - lp[:, None])
        return lp, r, u

    def logp(self, x):
        return self.parts(np.atleast_2d(x))[0][0]

    def score(self, x):
        lp, r, u = self.parts(np.atleast_2d(x))
        return np.einsum("nk,nki->ni", r, u)[0]

    def score_hess_many(self, X):
        lp, r, u = self.parts(X)
        s = np.einsum("nk,nki->ni", r, u)
        H = (np.einsum("nk,nki,nkj->nij", r, u, u) - np.einsum("nk,kij->nij", r, self.P)
             - np.einsum("ni,nj->nij", s, s))
        return lp, s, H

    def score_hess(self, x):
        lp, s, H = self.score_hess_many(np.atleast_2d(x))
        return lp[0], s[0], H[0]


class Metric:
    def __init__(self, mix, kind, param):
        self.mix, self.kind, self.param = mix, kind, param

    def sqnorm(self, x, v):
        if self.kind == "stein":
            s = self.mix.score(x)
            return v @ v + self.param * (s @ v) ** 2
        return np.exp(-self.param * self.mix.logp(x)) * (v @ v)

    def accel(self, x, v):
        lp, s, H = self.mix.score_hess(x)
        if self.kind == "stein":
            lam = self.param
            return -lam * (v @ H @ v) / (1 + lam * s @ s) * s
        al = self.param
        return al * (s @ v) * v - 0.5 * al * (v @ v) * s

    # Discrete energy and gradient over interior nodes (vectorised over segments).
    def energy_grad(self, flat, a, b, n):
        d = len(a)
        X = np.vstack([a, flat.reshape(n - 1, d), b])
        D = X[1:] - X[:-1]
        M = 0.5 * (X[1:] + X[:-1])
        lp, s, H = self.mix.score_hess_many(M)
        dd = np.einsum("ni,ni->n", D, D)
        if self.kind == "stein":
            lam = self.param
            q = np.einsum("ni,ni->n", s, D)
            E = np.sum(dd + lam * q * q)
            em = lam * q[:, None] * np.einsum("nij,nj->ni", H, D) * n
            ed = (D + lam * q[:, None] * s) * n
        else:
            al = self.param
            c = np.exp(-al * lp)
            E = np.sum(c * dd)
            em = 0.5 * (dd * (-al * c))[:, None] * s * n
            ed = c[:, None] * D * n
        G = np.zeros_like(X)
        G[:-1] += 0.5 * em - ed
        G[1:] += 0.5 * em + ed
        return 0.5 * n * E, G[1:-1].ravel()

    def discrete_length(self, X):
        D = X[1:] - X[:-1]
        lp, s, H = self.mix.score_hess_many(0.5 * (X[1:] + X[:-1]))
        dd = np.einsum("ni,ni->n", D, D)
        if self.kind == "stein":
            q = np.einsum("ni,ni->n", s, D)
            return float(np.sum(np.sqrt(dd + self.param * q * q)))
        return float(np.sum(np.sqrt(np.exp(-self.param * lp) * dd)))


def flow(metric, x, v, T, dense=False):
    d = len(x)

    def f(t, y):
        return np.concatenate([y[d:], metric.accel(y[:d], y[d:])])

    sol = solve_ivp(f, (0, T), np.concatenate([x, v]), method="DOP853", rtol=1e-11, atol=1e-12, dense_output=dense)
    return sol


def solve_discrete(metric, a, b, n, starts, gtol=1e-10):
    best = []
    for X0 in starts:
        res = minimize(metric.energy_grad, X0[1:-1].ravel(), args=(a, b, n), jac=True, method="L-BFGS-B",
                       options={"maxiter": 5000, "maxcor": 30, "gtol": gtol, "ftol": 1e-13})
        X = np.vstack([a, res.x.reshape(n - 1, len(a)), b])
        best.append((metric.discrete_length(X), X))
    best.sort(key=lambda t: t[0])
    return best


def make_starts(a, b, n, rng):
    d = len(a)
    t = np.linspace(0, 1, n + 1)[:, None]
    starts = [a + t * (b - a)]
    if d >= 2:
        u = b - a
        if d == 2:
            perp = np.array([-u[1], u[0]])
        else:
            perp = rng.standard_normal(d)
            perp -= perp @ u / (u @ u) * u
        perp /= np.linalg.norm(perp)
        for off in (0.5, -0.5):
            c = 0.5 * (a + b) + 2 * off * np.linalg.norm(u) * perp
            starts.append((1 - t) ** 2 * a + 2 * t * (1 - t) * c + t ** 2 * b)
    return starts


def shoot(metric, a, b, X, force_multiple=False):
    """Single shooting from the discrete curve X; multiple shooting (K = 4) when that fails (or when
    single shooting lands on another, longer geodesic: force_multiple)."""
    n = len(X) - 1
    d = len(a)
    h = 1.0 / n

    def G(v):
        return flow(metric, a, v, 1.0).y[:d, -1] - b

    guess = (-3 * X[0] + 4 * X[1] - X[2]) / (2 * h)
    sol = root(G, guess, method="hybr", options={"xtol": 1e-14})
    res = np.max(np.abs(G(sol.x)))
    if res < 1e-9 * max(1.0, np.linalg.norm(b - a)) and not force_multiple:
        return sol.x, res
    K = 4
    idx = [k * n // K for k in range(K)]

    def vel(i):
        if i == 0:
            return guess
        return (X[i + 1] - X[i - 1]) / (2 * h)

    z0 = np.concatenate([vel(0)] + [np.concatenate([X[i], vel(i)]) for i in idx[1:]])

    def unpack(z):
        xs, vs = [a], [z[:d]]
        off = d
        for _ in range(K - 1):
            xs.append(z[off:off + d]); vs.append(z[off + d:off + 2 * d]); off += 2 * d
        return xs, vs

    def F(z):
        xs, vs = unpack(z)
        out = []
        for k in range(K):
            y = flow(metric, xs[k], vs[k], 1.0 / K).y[:, -1]
            if k < K - 1:
                out.append(y[:d] - xs[k + 1]); out.append(y[d:] - vs[k + 1])
            else:
                out.append(y[:d] - b)
        return np.concatenate(out)

    solm = root(F, z0, method="hybr", options={"xtol": 1e-13})
    v0 = unpack(solm.x)[1][0]
    sol2 = root(G, v0, method="hybr", options={"xtol": 1e-14})
    v0 = sol2.x
    return v0, np.max(np.abs(G(v0)))


def straight_length(metric, a, b):
    from scipy.integrate import quad
    D = b - a
    val, _ = quad(lambda t: np.sqrt(metric.sqnorm(a + t * D, D)), 0, 1, epsabs=0, epsrel=1e-12, limit=200)
    return val


def spd(rng, d, scale):
    A = rng.standard_normal((d, d))
    C = A @ A.T / d + 0.3 * np.eye(d)
    return (scale * C).tolist()


def cases():
    rng = np.random.default_rng(7)
    out = []
    gauss = {"kind": "gaussian", "mean": [0.0, 0.0], "covariance": [[1.0, 0.5], [0.5, 2.0]]}
    mix2 = {"kind": "mixture", "components": [
        {"weight": 0.6, "mean": [-1.5, 0.0], "covariance": [[0.6, 0.25], [0.25, 0.4]]},
        {"weight": 0.4, "mean": [1.5, 0.5], "covariance": [[0.5, -0.2], [-0.2, 0.8]]}]}
    ang = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    ring = {"kind": "samples", "points": [[float(2 * np.cos(t)), float(2 * np.sin(t))] for t in ang], "bandwidth": 0.5}
    d = 16
    means = [rng.standard_normal(d) * 1.5 for _ in range(3)]
    mix16 = {"kind": "mixture", "components": [
        {"weight": w, "mean": m.tolist(), "covariance": spd(rng, d, 0.5)} for w, m in zip([0.5, 0.3, 0.2], means)]}
    p16a = (means[0] + 0.3 * rng.standard_normal(d)).tolist()
    p16b = (means[1] + 0.3 * rng.standard_normal(d)).tolist()
    p16c = (0.5 * (means[0] + means[2]) + 0.5 * rng.standard_normal(d)).tolist()
    pairs = {
        "gaussian": (gauss, [([-2.0, 1.0], [1.5, 2.0])]),
        "mixture2d": (mix2, [([-1.5, 0.0], [1.5, 0.5]), ([-2.5, -1.0], [2.0, 1.8])]),
        "kdeRing": (ring, [([2.0, 0.0], [0.0, 2.0])]),
        "mixture16d": (mix16, [(p16a, p16b)]),
    }
    metrics = [{"kind": "stein", "lambda": 1.0}, {"kind": "stein", "lambda": 10.0}, {"kind": "conformal", "alpha": 1.0}]
    for name, (dens, prs) in pairs.items():
        for met in metrics:
            for a, b in prs:
                out.append((name, dens, met, a, b))
    return out


def build(dens):
    if dens["kind"] == "gaussian":
        return Mixture([1.0], [dens["mean"]], [dens["covariance"]])
    if dens["kind"] == "mixture":
        cs = dens["components"]
        return Mixture([c["weight"] for c in cs], [c["mean"] for c in cs], [c["covariance"] for c in cs])
    pts = dens["points"]
    s2 = dens["bandwidth"] ** 2
    d = len(pts[0])
    return Mixture([1.0] * len(pts), pts, [(s2 * np.eye(d)).tolist()] * len(pts))


def metric_of(mix, met):
    return Metric(mix, met["kind"], met["lambda"] if met["kind"] == "stein" else met["alpha"])


def fixtures():
    rng = np.random.default_rng(11)
    out = Path(__file__).resolve().parent.parent / "Fixtures" / "reference.json"
    done = {}
    if out.exists():
        done = {r["name"]: r for r in json.loads(out.read_text())["cases"]}
    records = []
    for name, dens, met, a, b in cases():
        key = f"{name}/{met['kind']}{met.get('lambda', met.get('alpha'))}/{len(records)}"
        if key in done:
            records.append(done[key])
            continue
        t0 = time.time()
        mix = build(dens)
        metric = metric_of(mix, met)
        a_, b_ = np.array(a), np.array(b)
        n = 32
        sols = solve_discrete(metric, a_, b_, n, make_starts(a_, b_, n, rng), gtol=1e-5)
        L_disc, X = sols[0]
        distinct = [sols[0]]
        for L, Y in sols[1:]:
            if all(np.max(np.abs(Y - Z)) > 1e-2 * np.linalg.norm(b_ - a_) for _, Z in distinct):
                distinct.append((L, Y))
        v0, res = shoot(metric, a_, b_, X)
        length = float(np.sqrt(metric.sqnorm(a_, v0)))
        if abs(length / L_disc - 1) > 1e-2:
            # The coarse midpoint-rule curve can "jump" across sharp ridges (λ = 10 mode to mode) and
            # undershoot; the shot geodesic is the reference. Reported, not hidden.
            print(f"  note: shooting length {length:.6g} vs coarse discrete {L_disc:.6g}", flush=True)
        sol = flow(metric, a_, v0, 1.0, dense=True)
        mid = sol.sol(0.5)[:len(a)]
        gap = (distinct[1][0] / L_disc - 1) if len(distinct) > 1 else None
        rec = {
            "name": key,
            "density": dens, "metric": met, "from": a, "to": b,
            "length": length, "midpoint": mid.tolist(), "initialVelocity": v0.tolist(),
            "shootingResidual": float(res), "discreteLength32": float(L_disc),
            "straightLineLength": straight_length(metric, a_, b_),
            "localMinimaLengths": [float(L) for L, _ in distinct],
            "secondBestGap": gap,
        }
        records.append(rec)
        out.write_text(json.dumps({"generator": "Tests/GeodesicsTests/Scripts/reference.py", "cases": records}, indent=1))
        print(f"{rec['name']}: L={length:.10g} disc={L_disc:.10g} res={res:.1e} minima={rec['localMinimaLengths']} "
              f"({time.time() - t0:.1f}s)", flush=True)
    print("wrote", out)


def residual_jac(metric, flat, a, b, n):
    """Stein least-squares form r_i = [Δ_i; √λ s(m_i)·Δ_i]/√h (midpoint rule) and its sparse Jacobian."""
    from scipy.sparse import lil_matrix
    d = len(a)
    X = np.vstack([a, flat.reshape(n - 1, d), b])
    D = X[1:] - X[:-1]
    lp, s, H = metric.mix.score_hess_many(0.5 * (X[1:] + X[:-1]))
    sq = np.sqrt(metric.param)
    rh = np.sqrt(n)
    q = np.einsum("ni,ni->n", s, D)
    r = np.concatenate([D * rh, (sq * q * rh)[:, None]], axis=1).ravel()
    J = lil_matrix((n * (d + 1), (n - 1) * d))
    HD = np.einsum("nij,nj->ni", H, D)
    for i in range(n):
        row = i * (d + 1)
        for node, sign in ((i, -1.0), (i + 1, 1.0)):
            if 1 <= node <= n - 1:
                col = (node - 1) * d
                for k in range(d):
                    J[row + k, col + k] = sign * rh
                J[row + d, col:col + d] = sq * rh * (sign * s[i] + 0.5 * HD[i])
    return r, J.tocsr()


def bench(argv):
    """CPU time of the reference discrete solvers on a case given as JSON on stdin: L-BFGS-B with the
    analytic gradient, and Gauss–Newton/LM (scipy least_squares, TRF, sparse Jacobian; Stein only),
    both from the straight line."""
    spec = json.loads(sys.stdin.read())
    mix = build(spec["density"])
    metric = metric_of(mix, spec["metric"])
    a, b = np.array(spec["from"]), np.array(spec["to"])
    n = spec["nodes"]
    reps = spec.get("repeats", 3)
    t = np.linspace(0, 1, n + 1)[:, None]
    X0 = a + t * (b - a)
    out = {}
    times = []
    for _ in range(reps if spec.get("lbfgs", True) else 0):
        t0 = time.process_time()
        res = minimize(metric.energy_grad, X0[1:-1].ravel(), args=(a, b, n), jac=True, method="L-BFGS-B",
                       options={"maxiter": 20000, "maxcor": 30, "gtol": 1e-7, "ftol": 1e-15})
        times.append(time.process_time() - t0)
    if times:
        X = np.vstack([a, res.x.reshape(n - 1, len(a)), b])
        out["lbfgs"] = {"seconds": min(times), "length": metric.discrete_length(X), "iterations": int(res.nit)}
    if metric.kind == "stein":
        from scipy.optimize import least_squares
        times = []
        for _ in range(reps):
            t0 = time.process_time()
            ls = least_squares(lambda z: residual_jac(metric, z, a, b, n)[0], X0[1:-1].ravel(),
                               jac=lambda z: residual_jac(metric, z, a, b, n)[1].toarray(), method="lm",
                               xtol=1e-10, ftol=1e-12, gtol=1e-10, max_nfev=400)
            times.append(time.process_time() - t0)
        X = np.vstack([a, ls.x.reshape(n - 1, len(a)), b])
        out["gaussNewton"] = {"seconds": min(times), "length": metric.discrete_length(X), "iterations": int(ls.nfev)}
    print(json.dumps(out))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "bench":
        bench(sys.argv[2:])
    else:
        fixtures()
