#!/usr/bin/env python3
"""The same workloads through the s2geometry 0.14.0 Python bindings (SWIG over the C++ library).
Output: "name ops_per_second checksum" per line. Usage: bench_py.py [scale]"""
import math, sys, time
import s2geometry as s2

M64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed): self.state = seed
    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & M64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)
    def uniform(self): return (self.next() >> 11) * 2.0 ** -53


def measure(name, ops, body, repeats=3):
    best, total = float("inf"), 0
    for _ in range(repeats):
        t0 = time.perf_counter(); total = body(); best = min(best, time.perf_counter() - t0)
    print(name, ops / best, total, flush=True)


scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
nPoints, nRects, nPorto, nCaps = int(1e6 * scale), int(2e4 * scale), int(1e3 * scale), int(2e4 * scale)
R = 6371010.0
rng = SplitMix64(42)
pts = []
for _ in range(nPoints):
    a = math.asin(2 * rng.uniform() - 1) * 180 / math.pi
    pts.append((a, 360 * rng.uniform() - 180))


def leaf():
    x = 0
    for la, ln in pts:
        x ^= s2.S2CellId(s2.S2LatLng.FromDegrees(la, ln)).id()
    return x
measure("leaf_ids", nPoints, leaf)

rng = SplitMix64(7)
rects = []
for _ in range(nRects):
    lat = 160 * rng.uniform() - 80; lng = 360 * rng.uniform() - 180
    dlat = 5000 / R * 180 / math.pi
    dlng = dlat / math.cos(lat * math.pi / 180)
    hi = lng + dlng
    if hi > 180: hi -= 360
    rects.append(s2.S2LatLngRect(s2.S2LatLng.FromDegrees(lat - dlat, lng - dlng), s2.S2LatLng.FromDegrees(lat + dlat, hi)))
cov8 = s2.S2RegionCoverer(); cov8.set_max_cells(8)


def rect_cov():
    x = 0
    for r in rects:
        for c in cov8.GetCovering(r): x ^= c.id()
    return x
measure("rect10km_cov8", nRects, rect_cov)

porto = s2.S2LatLngRect(s2.S2LatLng.FromDegrees(-30.24, -51.26), s2.S2LatLng.FromDegrees(-30.00, -51.05))
cov500 = s2.S2RegionCoverer(); cov500.set_min_level(8); cov500.set_max_level(15); cov500.set_max_cells(500)


def porto_cov():
    x = 0
    for _ in range(nPorto):
        for c in cov500.GetCovering(porto): x ^= c.id()
    return x
measure("porto_alegre_8_15_500", nPorto, porto_cov)

rng = SplitMix64(11)
caps = []
for _ in range(nCaps):
    lat = math.asin(2 * rng.uniform() - 1) * 180 / math.pi; lng = 360 * rng.uniform() - 180
    caps.append(s2.S2Cap(s2.S2LatLng.FromDegrees(lat, lng).ToPoint(), s2.S1Angle.Radians(5000 / R)))


def cap_cov():
    x = 0
    for c in caps:
        for i in cov8.GetCovering(c): x ^= i.id()
    return x
measure("cap5km_cov8", nCaps, cap_cov)


def star_rings(seed, count, n, r_meters):
    """Star polygon rings, as starRings() in main.swift."""
    rng = SplitMix64(seed)
    out = []
    for _ in range(count):
        clat = 140 * rng.uniform() - 70; clng = 360 * rng.uniform() - 180
        rdeg = r_meters / R * 180 / math.pi
        ring = []
        for k in range(n):
            a = 2 * math.pi * (k + 0.5 * rng.uniform()) / n
            rr = rdeg * (0.6 + 0.4 * rng.uniform())
            ring.append(s2.S2LatLng.FromDegrees(clat + rr * math.sin(a), clng + rr * math.cos(a) / math.cos(clat * math.pi / 180)).ToPoint())
        out.append(ring)
    return out


def cover_polygons(rings, cov):
    x = 0
    for ring in rings:
        loop = s2.S2Loop(ring); loop.Normalize()
        for c in cov.GetCovering(s2.S2Polygon(loop)): x ^= c.id()
    return x


small = star_rings(13, int(2000 * scale), 24, 20000)
measure("poly24_cov8", len(small), lambda: cover_polygons(small, cov8))
big = star_rings(17, int(200 * scale), 200, 30000)
cov100 = s2.S2RegionCoverer(); cov100.set_min_level(8); cov100.set_max_level(15); cov100.set_max_cells(100)
measure("poly200_cov100_8_15", len(big), lambda: cover_polygons(big, cov100))
huge = star_rings(19, int(20 * scale), 5000, 300000)
cov500b = s2.S2RegionCoverer(); cov500b.set_max_cells(500)
measure("poly5000_cov500", len(huge), lambda: cover_polygons(huge, cov500b))
