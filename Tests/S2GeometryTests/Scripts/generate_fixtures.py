#!/usr/bin/env python3
"""Generate differential fixtures for the Swift S2Geometry port from Google's C++ library.

Reference: `pip install s2geometry==0.14.0` (the official C++ library behind SWIG).
Run from anywhere:  python3 Tests/S2GeometryTests/Scripts/generate_fixtures.py
Writes Tests/S2GeometryTests/Fixtures/{cells,coverings,unions,polygons,polygon_coverings,polygon_index,large_coverings}.json
(or only those named: `generate_fixtures.py large_coverings`).
polygon_index.json comes from index_dump.cc, and the reference times in large_coverings.json from covering_time.cc,
both compiled with g++ against the wheel's libs2.a and headers.
Deterministic (fixed seeds), except the measured reference times (refSeconds) of large_coverings.json.
Doubles are written with repr() (shortest round-trip) as strings so no JSON parser can round them.
"""
import json, math, os, random, subprocess, tempfile
import s2geometry as s2

assert s2.S2CellId(s2.S2LatLng.FromDegrees(-30.0438, -51.14022)).ToToken() == "951977d377e723ab"

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")
os.makedirs(OUT, exist_ok=True)
R = repr


def lat_lng_deg(ll):
    return [R(ll.lat().degrees()), R(ll.lng().degrees())]


def xyz(p):
    return [R(p.x()), R(p.y()), R(p.z())]


def special_points():
    pts = [(0.0, 0.0), (-0.0, 0.0), (0.0, -0.0), (-30.0438, -51.14022)]
    for lng in (-180.0, -135.0, -90.0, -45.0, 0.0, 45.0, 90.0, 135.0, 180.0, 179.999999, -179.999999):
        pts += [(90.0, lng), (-90.0, lng), (89.9999999, lng), (-89.9999999, lng), (0.0, lng)]
    # The 8 cube corners (and tiny offsets), face edges (lng = ±45°, ±135°; lat = ±35.26° at corners).
    c = math.degrees(math.atan(1 / math.sqrt(2)))
    for sl in (c, -c):
        for lng in (45.0, 135.0, -45.0, -135.0):
            pts.append((sl, lng))
            for eps in (1e-9, -1e-9, 1e-12, -1e-12):
                pts.append((sl + eps, lng))
                pts.append((sl, lng + eps))
    for lng in (45.0, 135.0, -45.0, -135.0):
        for lat in (-40.0, -10.0, 0.0, 10.0, 40.0):
            for eps in (0.0, 1e-9, -1e-9, 1e-12, -1e-12):
                pts.append((lat, lng + eps))
    # Edges of the polar faces: |z| = |x| or |y|.
    for lng in (0.0, 90.0, 180.0, -90.0, 30.0):
        for eps in (0.0, 1e-9, -1e-9):
            pts.append((45.0 + eps, lng))
            pts.append((-45.0 + eps, lng))
    return pts


def random_points(rng, n):
    pts = []
    for k in range(n):
        mode = k % 5
        if mode == 0:   # uniform on the sphere
            z = rng.uniform(-1, 1)
            pts.append((math.degrees(math.asin(z)), rng.uniform(-180, 180)))
        elif mode == 1:  # uniform in lat/lng
            pts.append((rng.uniform(-90, 90), rng.uniform(-180, 180)))
        elif mode == 2:  # GPS-like 6 decimals
            pts.append((round(rng.uniform(-90, 90), 6), round(rng.uniform(-180, 180), 6)))
        elif mode == 3:  # coarse grid
            pts.append((float(rng.randint(-90, 90)), float(rng.randint(-180, 180))))
        else:            # clusters around cities
            city = rng.choice([(-30.0346, -51.2177), (40.7128, -74.006), (51.5074, -0.1278), (35.6762, 139.6503),
                               (-33.8688, 151.2093), (64.1466, -21.9426), (-54.8019, -68.303)])
            pts.append((city[0] + rng.gauss(0, 0.05), city[1] + rng.gauss(0, 0.05)))
    return pts


def cell_record(rng, lat, lng):
    ll = s2.S2LatLng.FromDegrees(lat, lng)
    leaf = s2.S2CellId(ll)
    level = rng.randint(0, 30)
    cid = leaf.parent(level)
    cell = s2.S2Cell(cid)
    rec = {
        "lat": R(lat), "lng": R(lng),
        "point": xyz(ll.ToPoint()),
        "leaf": str(leaf.id()), "leafToken": leaf.ToToken(),
        "level": level, "id": str(cid.id()), "token": cid.ToToken(), "face": cid.face(),
        "debug": cid.ToString(),
        "rangeMin": str(cid.range_min().id()), "rangeMax": str(cid.range_max().id()),
        "next": str(cid.next().id()), "prev": str(cid.prev().id()),
        "center": lat_lng_deg(cid.ToLatLng()),
        "centerPoint": xyz(cell.GetCenter()),
        "vertices": [xyz(cell.GetVertex(k)) for k in range(4)],
        "vertexLatLngs": [lat_lng_deg(cell.GetS2LatLngVertex(k)) for k in range(4)],
        "exactArea": R(cell.ExactArea()), "approxArea": R(cell.ApproxArea()), "averageArea": R(cell.AverageArea()),
        "edgeNeighbors": [n.ToToken() for n in cid.GetEdgeNeighbors()],
        "containsPoint": bool(cell.Contains(ll.ToPoint())),
    }
    if level > 0:
        rec["parent"] = cid.parent().ToToken()
        vl = rng.randint(0, level - 1)
        rec["vertexLevel"] = vl
        rec["vertexNeighbors"] = [n.ToToken() for n in cid.GetVertexNeighbors(vl)]
    if level < 30:
        rec["children"] = [cid.child(k).ToToken() for k in range(4)]
        nl = min(30, level + rng.choice([0, 0, 1, 2]))
    else:
        nl = 30
    rec["allLevel"] = nl
    rec["allNeighbors"] = [n.ToToken() for n in cid.GetAllNeighbors(nl)]
    rb = cell.GetRectBound()
    rec["rectBound"] = [R(rb.lat_lo().radians()), R(rb.lat_hi().radians()), R(rb.lng_lo().radians()), R(rb.lng_hi().radians())]
    cb = cell.GetCapBound()
    rec["capBound"] = xyz(cb.center()) + [R(cb.height())]
    return rec


def gen_cells():
    rng = random.Random(20261129)
    pts = special_points() + random_points(rng, 2400)
    recs = [cell_record(rng, lat, lng) for lat, lng in pts]
    # Token parsing edge cases.
    toks = ["", "X", "x", "0", "1", "951977d377e723ab", "951977D377E723AB", "951977d377e723ab0", "zz", "3",
            "b", "1000000000000000", "fffffffffffffff", "g1", "89c259", "89C259", " 89c259", "-1"]
    tokens = [{"token": t, "id": str(s2.S2CellId.FromToken(t).id()), "valid": bool(s2.S2CellId.FromToken(t).is_valid())}
              for t in toks]
    with open(os.path.join(OUT, "cells.json"), "w") as f:
        json.dump({"cells": recs, "tokens": tokens}, f, separators=(",", ":"))
    print("cells", len(recs))


def rand_center(rng):
    k = rng.random()
    if k < 0.1:
        return (rng.choice([89.9, -89.9, 90.0, -90.0, 35.26, -35.26]), rng.choice([-180.0, 180.0, 45.0, -135.0, rng.uniform(-180, 180)]))
    if k < 0.2:
        return (rng.uniform(-60, 60), rng.choice([179.99, -179.99, 180.0, -180.0]))
    z = rng.uniform(-1, 1)
    return (math.degrees(math.asin(z)), rng.uniform(-180, 180))


def rand_options(rng, area):
    """Mixed options; minLevel chosen so that the fixed-level output stays small (< ~4000 cells)."""
    max_cells = rng.choice([1, 2, 3, 4, 5, 8, 8, 10, 16, 20, 32, 50, 100, 200, 500])
    level_mod = rng.choice([1, 1, 1, 2, 3])
    max_level = rng.choice([30, 30, rng.randint(0, 30)])
    min_level = 0
    if rng.random() < 0.5:
        min_level = rng.randint(0, max_level)
        while min_level > 0 and area / (4 * math.pi / 6 * 4.0 ** -min_level) > 2000:
            min_level -= 1
    return {"minLevel": min_level, "maxLevel": max_level, "levelMod": level_mod, "maxCells": max_cells}


def coverer(o):
    c = s2.S2RegionCoverer()
    c.set_min_level(o["minLevel"]); c.set_max_level(o["maxLevel"])
    c.set_level_mod(o["levelMod"]); c.set_max_cells(o["maxCells"])
    return c


def ring_loop(ring):
    """The normalised S2Loop of a ring of (lat, lng) degrees."""
    loop = s2.S2Loop([s2.S2LatLng.FromDegrees(a, b).ToPoint() for a, b in ring])
    loop.Normalize()
    return loop


def nested_polygon(rings):
    """The loops of the rings and the polygon the reference nests from them (InitNested)."""
    loops = [ring_loop(ring) for ring in rings]
    poly = s2.S2Polygon()
    poly.InitNested(loops)
    return loops, poly


def rect_record(b):
    """An S2LatLngRect as [latLo, latHi, lngLo, lngHi] in radians."""
    return [R(b.lat_lo().radians()), R(b.lat_hi().radians()), R(b.lng_lo().radians()), R(b.lng_hi().radians())]


def hole_flags(poly, loops):
    """Per input loop, whether the reference's InitNested made it a hole (odd depth). The polygon
    reorders its loops (preorder of the hierarchy), so loops are matched by their vertices."""
    def key(l):
        return tuple((l.vertex(i).x(), l.vertex(i).y(), l.vertex(i).z()) for i in range(l.num_vertices()))
    by_key = {key(poly.loop(i)): (bool(poly.loop(i).is_hole()), poly.loop(i).depth()) for i in range(poly.num_loops())}
    flags = [by_key[key(l)] for l in loops]
    assert all(h == (d % 2 == 1) for h, d in flags)
    return [h for h, _ in flags]


def gen_coverings():
    rng = random.Random(4242)
    cases = []
    for k in range(260):
        lat, lng = rand_center(rng)
        size = 10 ** rng.uniform(-5, 1.8)  # degrees
        dlat = size * rng.uniform(0.2, 1.0)
        dlng = size * rng.uniform(0.2, 1.5)
        lat_lo = max(-90.0, lat - dlat / 2); lat_hi = min(90.0, lat + dlat / 2)
        lng_lo = lng - dlng / 2; lng_hi = lng + dlng / 2
        if lng_lo < -180: lng_lo += 360
        if lng_hi > 180: lng_hi -= 360
        if k % 13 == 0:
            lat_lo, lat_hi, lng_lo, lng_hi = (round(lat_lo, 6), round(lat_hi, 6), round(lng_lo, 6), round(lng_hi, 6))
        if k == 0:
            lat_lo, lat_hi, lng_lo, lng_hi = -30.24, -30.00, -51.26, -51.05
        rect = s2.S2LatLngRect(s2.S2LatLng.FromDegrees(lat_lo, lng_lo), s2.S2LatLng.FromDegrees(lat_hi, lng_hi))
        if rect.is_empty() or rect.Area() <= 0:
            continue
        o = rand_options(rng, rect.Area())
        if k == 0:
            o = {"minLevel": 8, "maxLevel": 15, "levelMod": 1, "maxCells": 500}
        interior = (k % 3 == 1)
        c = coverer(o)
        ids = c.GetInteriorCovering(rect) if interior else c.GetCovering(rect)
        cases.append({"kind": "rect", "rect": [R(lat_lo), R(lng_lo), R(lat_hi), R(lng_hi)], "options": o,
                      "interior": interior, "cells": [x.ToToken() for x in ids]})
    for k in range(260):
        lat, lng = rand_center(rng)
        meters = 10 ** rng.uniform(0, 6.9)
        if k % 17 == 0:
            meters = rng.choice([0.0, 1e-3, 2e7, 1e7])
        cap = s2.S2Cap(s2.S2LatLng.FromDegrees(lat, lng).ToPoint(), s2.S1Angle.Radians(meters / 6371010.0))
        area = 2 * math.pi * cap.height()
        o = rand_options(rng, max(area, 1e-30))
        interior = (k % 3 == 1)
        c = coverer(o)
        ids = c.GetInteriorCovering(cap) if interior else c.GetCovering(cap)
        cases.append({"kind": "cap", "cap": [R(lat), R(lng), R(meters)], "options": o,
                      "interior": interior, "cells": [x.ToToken() for x in ids]})
    with open(os.path.join(OUT, "coverings.json"), "w") as f:
        json.dump({"cases": cases}, f, separators=(",", ":"))
    print("coverings", len(cases))


def gen_unions():
    rng = random.Random(777)
    cases = []

    def random_set():
        lat, lng = rand_center(rng)
        base = s2.S2CellId(s2.S2LatLng.FromDegrees(lat, lng)).parent(rng.randint(3, 20))
        ids = []
        for _ in range(rng.randint(0, 25)):
            c = base
            for _ in range(rng.randint(0, 6)):
                c = c.child(rng.randint(0, 3))
            if rng.random() < 0.2:
                c = c.next()
            ids.append(c)
        if rng.random() < 0.3 and ids:  # complete sibling groups to exercise merging
            p = ids[0].parent() if ids[0].level() > 0 else ids[0]
            if p.level() < 30:
                ids += [p.child(k) for k in range(4)]
        return ids

    def difference(a, b):
        out = []
        def go(cell):
            if not b.Intersects(cell):
                out.append(cell)
            elif not b.Contains(cell):
                ch = cell.child_begin()
                for _ in range(4):
                    go(ch); ch = ch.next()
        for c in a.cell_ids():
            go(c)
        return out

    for k in range(300):
        xa = random_set(); xb = random_set()
        if k % 4 == 0:  # overlapping sets
            xb = xb + xa[: len(xa) // 2]
        a = s2.S2CellUnion(xa); b = s2.S2CellUnion(xb)
        ml = rng.randint(0, 22); lm = rng.choice([1, 2, 3])
        den = a.Denormalize(ml, lm) if sum(4 ** max(0, ml + 2 - c.level()) for c in a.cell_ids()) < 20000 else None
        cases.append({
            "a": [c.ToToken() for c in xa], "b": [c.ToToken() for c in xb],
            "normA": [c.ToToken() for c in a.cell_ids()],
            "union": [c.ToToken() for c in s2.S2CellUnion(list(a.cell_ids()) + list(b.cell_ids())).cell_ids()],
            "intersection": [c.ToToken() for c in a.Intersection(b).cell_ids()],
            "difference": [c.ToToken() for c in difference(a, b)],
            "contains": bool(a.Contains(b)), "intersects": bool(a.Intersects(b)),
            "minLevel": ml, "levelMod": lm,
            "denormalized": None if den is None else [c.ToToken() for c in den],
        })
    with open(os.path.join(OUT, "unions.json"), "w") as f:
        json.dump({"cases": cases}, f, separators=(",", ":"))
    print("unions", len(cases))


def star(rng, lat, lng, r, n, lo, hi):
    """Star-shaped ring around (lat, lng): n vertices at sorted angles, radii in [lo, hi]·r degrees."""
    angles = sorted(rng.uniform(0, 2 * math.pi) for _ in range(n))
    ring = []
    for a in angles:
        rr = r * rng.uniform(lo, hi)
        la = lat + rr * math.sin(a)
        ln = lng + rr * math.cos(a) / max(0.05, math.cos(math.radians(min(89.0, abs(lat)))))
        la = max(-89.999, min(89.999, la))
        if ln > 180: ln -= 360
        if ln < -180: ln += 360
        ring.append((la, ln))
    return ring


def gen_polygons():
    rng = random.Random(99)
    cases = []
    for k in range(90):
        lat, lng = rand_center(rng)
        lat = max(-80.0, min(80.0, lat))
        r = 10 ** rng.uniform(-3.5, 1.2)
        # The last 30 polygons have many vertices, so the reference's shape index subdivides.
        n = rng.randint(3, 40) if k < 60 else rng.choice([60, 150, 300])
        rings = [star(rng, lat, lng, r, n, 0.6, 1.0)]
        if rng.random() < 0.4:
            rings.append(star(rng, lat, lng, r, rng.randint(3, 12), 0.1, 0.3))   # hole
        if rng.random() < 0.2:  # a second shell (MultiPolygon)
            rings.append(star(rng, lat + 3 * r, lng, r * 0.5, rng.randint(3, 10), 0.6, 1.0))
        if rng.random() < 0.3:
            rings = [list(reversed(x)) for x in rings]   # clockwise input
        loops, poly = nested_polygon(rings)
        bounds = []
        for l in loops:
            bounds.append(rect_record(l.GetRectBound()))
        pts = []
        for _ in range(60):
            la = lat + rng.uniform(-1.3, 1.3) * r * (1 if rng.random() < 0.8 else 4)
            ln = lng + rng.uniform(-1.3, 1.3) * r / max(0.05, math.cos(math.radians(min(89.0, abs(lat)))))
            la = max(-90.0, min(90.0, la))
            if ln > 180: ln -= 360
            if ln < -180: ln += 360
            pts.append([R(la), R(ln), bool(poly.Contains(s2.S2LatLng.FromDegrees(la, ln).ToPoint()))])
        for ring in rings:  # vertices themselves
            for a, b in ring[:5]:
                pts.append([R(a), R(b), bool(poly.Contains(s2.S2LatLng.FromDegrees(a, b).ToPoint()))])
        covs = []
        for j in range(4):
            o = rand_options(rng, max(poly.GetArea(), 1e-30))
            o["maxCells"] = min(o["maxCells"], 200)
            interior = (j % 2 == 1)
            c = coverer(o)
            ids = c.GetInteriorCovering(poly) if interior else c.GetCovering(poly)
            covs.append({"options": o, "interior": interior, "cells": [x.ToToken() for x in ids]})
        cases.append({"rings": [[[R(b), R(a)] for a, b in ring] for ring in rings], "bounds": bounds,
                      "holes": hole_flags(poly, loops),
                      "valid": bool(poly.IsValid()),
                      "area": R(poly.GetArea()), "points": pts, "coverings": covs})
    with open(os.path.join(OUT, "polygons.json"), "w") as f:
        json.dump({"cases": cases}, f, separators=(",", ":"))
    print("polygons", len(cases))


def sphere_star(rng, lat, lng, radii, n, rot=0.0):
    """A star-shaped ring of n vertices around (lat, lng) on the sphere: vertex k at azimuth θ_k
    (sorted, gaps < 180°) and angular distance r_k (degrees, < 90) from the centre. Built in the
    gnomonic projection at the centre, where geodesics are straight lines, so the ring is simple."""
    c = s2.S2LatLng.FromDegrees(lat, lng).ToPoint()
    cx, cy, cz = c.x(), c.y(), c.z()
    # Tangent frame (east, north) at the centre.
    ex, ey, ez = -math.sin(math.radians(lng)), math.cos(math.radians(lng)), 0.0
    nx, ny, nz = cy * ez - cz * ey, cz * ex - cx * ez, cx * ey - cy * ex
    while True:
        th = sorted(rng.uniform(0, 2 * math.pi) for _ in range(n))
        gaps = [th[(k + 1) % n] - th[k] + (2 * math.pi if k == n - 1 else 0) for k in range(n)]
        if n < 3 or max(gaps) < 0.9 * math.pi:
            break
    ring = []
    for k in range(n):
        r = math.radians(radii())
        a = th[k] + rot
        t = math.tan(r)
        x = cx + t * (math.cos(a) * ex + math.sin(a) * nx)
        y = cy + t * (math.cos(a) * ey + math.sin(a) * ny)
        z = cz + t * (math.cos(a) * ez + math.sin(a) * nz)
        ring.append((math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))))
    return ring


def bounded_coverings(rng, poly, count, interior_of):
    """count coverings of poly at random options (interior_of(j) says whether the j-th is an interior
    covering), each redrawn until it has at most 400 cells so the Swift tests stay fast."""
    covs = []
    for j in range(count):
        interior = interior_of(j)
        for attempt in range(20):
            o = rand_options(rng, max(poly.GetArea(), 1e-30))
            o["maxCells"] = min(o["maxCells"], 100)
            cv = coverer(o)
            ids = cv.GetInteriorCovering(poly) if interior else cv.GetCovering(poly)
            if len(ids) <= 400:
                break
        covs.append({"options": o, "interior": interior, "cells": [x.ToToken() for x in ids]})
    return covs


def gen_polygon_coverings():
    """Coverings of polygons of every shape the reference's shape index distinguishes: polygons on one
    face and across two to five faces, big ones, tiny ones, holes, several shells, near the poles and
    across the antimeridian, with mixed options, interior and not."""
    rng = random.Random(3141)
    cases = []
    corner = math.degrees(math.atan(1 / math.sqrt(2)))
    kinds = ["face", "edge", "corner", "big", "huge", "pole", "antimeridian", "tiny", "holes", "multi", "dense",
             "edge", "corner", "big", "huge"]
    for k in range(600):
        kind = kinds[k % len(kinds)]
        lat, lng = rand_center(rng)
        r = 10 ** rng.uniform(-2, 1)                      # degrees
        n = rng.randint(3, 24)
        if kind == "edge":      # centred on an edge between two faces
            if rng.random() < 0.5:
                lat, lng = rng.uniform(-30, 30), rng.choice([45.0, 135.0, -45.0, -135.0]) + rng.uniform(-0.5, 0.5)
            else:
                lat, lng = rng.choice([45.0, -45.0]) + rng.uniform(-0.5, 0.5), rng.choice([0.0, 90.0, 180.0, -90.0]) + rng.uniform(-20, 20)
            r = 10 ** rng.uniform(-1.5, 1.3)
        elif kind == "corner":  # at a cube corner: three faces
            lat = rng.choice([corner, -corner]) + rng.uniform(-0.3, 0.3)
            lng = rng.choice([45.0, 135.0, -45.0, -135.0]) + rng.uniform(-0.3, 0.3)
            r = 10 ** rng.uniform(-1.5, 1.2)
        elif kind == "big":     # 20°–80°: three to five faces
            r = rng.uniform(20, 80)
            n = rng.randint(3, 40)
        elif kind == "huge":    # 50°–85°: whole faces inside (face-sized and skipped index cells)
            r = rng.uniform(50, 85)
            n = rng.randint(3, 30)
            if rng.random() < 0.4:   # centred on a face centre
                lat, lng = rng.choice([(0.0, 0.0), (0.0, 90.0), (0.0, 180.0), (0.0, -90.0), (90.0, 0.0), (-90.0, 0.0)])
                lat, lng = lat + rng.uniform(-5, 5), lng + rng.uniform(-5, 5)
        elif kind == "pole":
            lat = rng.choice([1, -1]) * rng.uniform(80, 90)
            r = 10 ** rng.uniform(-1, 1.4)
        elif kind == "antimeridian":
            lat, lng = rng.uniform(-70, 70), rng.choice([180.0, -180.0]) + rng.uniform(-1, 1)
            r = 10 ** rng.uniform(-1.5, 1.2)
        elif kind == "tiny":
            r = 10 ** rng.uniform(-6, -2.5)
        elif kind == "dense":   # many vertices: the index subdivides on several faces
            r = 10 ** rng.uniform(-0.5, 1.4)
            n = rng.choice([60, 120, 200])
        if lng > 180: lng -= 360
        if lng < -180: lng += 360
        lat = max(-90.0, min(90.0, lat))
        lo_r = 0.85 if kind == "huge" else 0.6
        shell = sphere_star(rng, lat, lng, lambda: r * rng.uniform(lo_r, 1.0), n)
        rings = [shell]
        if kind == "holes" or (kind in ("big", "huge", "edge", "corner", "dense") and rng.random() < 0.4):
            for h in range(rng.randint(1, 2)):
                # Holes inside the disc of radius 0.55·r (the shell stays outside 0.6·r).
                off_az = rng.uniform(0, 2 * math.pi)
                if h == 0:
                    rings.append(sphere_star(rng, lat, lng, lambda: r * rng.uniform(0.1, 0.25), rng.randint(3, 12)))
                else:   # a second hole in an annulus sector, away from the first
                    hc = sphere_star(random.Random(rng.random()), lat, lng, lambda: r * 0.4, 1, rot=off_az)[0]
                    rings.append(sphere_star(rng, hc[0], hc[1], lambda: r * rng.uniform(0.05, 0.1), rng.randint(3, 8)))
        if kind == "multi" or (kind in ("big", "pole", "antimeridian") and rng.random() < 0.3):
            # A second shell beyond the first one's reach: centre 2.5·r away.
            far = sphere_star(random.Random(rng.random()), lat, lng, lambda: min(80.0, 2.5 * r), 1, rot=rng.uniform(0, 2 * math.pi))[0]
            rings.append(sphere_star(rng, far[0], far[1], lambda: r * rng.uniform(0.3, 0.6), rng.randint(3, 16)))
        if rng.random() < 0.3:
            rings = [list(reversed(x)) for x in rings]   # clockwise input: normalised on both sides
        loops, poly = nested_polygon(rings)
        valid = bool(poly.IsValid())
        covs = []
        faces = sorted({s2.S2CellId(s2.S2LatLng.FromDegrees(a, b)).face() for ring in rings for a, b in ring})
        if valid:
            covs = bounded_coverings(rng, poly, 2, lambda j: (j % 2 == 1) if rng.random() < 0.8 else (j % 2 == 0))
        cases.append({"kind": kind, "vertexFaces": faces, "valid": valid, "holes": hole_flags(poly, loops),
                      "bound": rect_record(poly.GetRectBound()),
                      "rings": [[[R(b), R(a)] for a, b in ring] for ring in rings], "coverings": covs})
    # Rings through face boundaries, cube corners and the poles exactly (vertices within an ulp of the
    # planes the index clips against).
    c = math.degrees(math.atan(1 / math.sqrt(2)))
    exact_rings = [
        [(0, 45), (10, 45), (10, 50), (0, 50)], [(-10, 40), (10, 40), (10, 45), (-10, 45)],
        [(-5, 44), (5, 44), (5, 46), (-5, 46)], [(c, 45), (c - 5, 45), (c - 5, 50)],
        [(c, 45), (c, 40), (c + 3, 45)], [(c, -135), (c - 1, -135), (c, -134)],
        [(-c, 135), (-c + 2, 135), (-c + 1, 137), (-c, 138)], [(90, 0), (80, 0), (80, 90)],
        [(-90, 0), (-80, 90), (-80, 0)], [(45, 0), (45, 10), (50, 10), (50, 0)],
        [(45, 90), (40, 90), (40, 100), (45, 100)], [(-45, 180), (-40, 180), (-40, -170), (-45, -170)],
        [(0, 179), (0, -179), (1, -179), (1, 179)], [(0, 0), (0, 1), (1, 0)], [(-1, -1), (1, -1), (1, 1), (-1, 1)],
        [(c, 45), (c, 135), (c, -135), (c, -45)], [(-c, 45), (-c, -45), (-c, -135), (-c, 135)],
        [(0, -45), (0, 45), (c, 45), (c, -45)], [(-60, -100), (-60, 100), (60, 100), (60, -100)],
        [(35, 44.9999999), (36, 45.0000001), (35.5, 45.5)],
    ]
    for ring in exact_rings:
        ring = [(float(a), float(b)) for a, b in ring]
        poly = s2.S2Polygon(ring_loop(ring))
        valid = bool(poly.IsValid())
        covs = []
        if valid:
            covs = bounded_coverings(rng, poly, 4, lambda j: j % 2 == 1)
        cases.append({"kind": "exact", "vertexFaces": sorted({s2.S2CellId(s2.S2LatLng.FromDegrees(a, b)).face() for a, b in ring}),
                      "valid": valid, "holes": [False],
                      "bound": rect_record(poly.GetRectBound()),
                      "rings": [[[R(y), R(x)] for x, y in ring]], "coverings": covs})
    # Holes (and islands in holes, down to depth 3) whose edges lie exactly on cell boundaries: the
    # equator (v = 0) and meridian 0 (u = 0) on face 0, the face edges along meridians ±45°/135° and
    # the plane z = x, cube corners, the poles and ±180°; some loops share a vertex (the reference
    # nests them with WedgeContains). The reference reverses holes in its shape index, so ties in edge
    # clipping and crossing tests are decided with the holes' reversed edges.
    nested_sets = [
        [[(-20, 25), (20, 25), (20, 65), (-20, 65)], [(0, 35), (0, 45), (10, 45), (10, 35)]],
        [[(-20, 25), (20, 25), (20, 65), (-20, 65)], [(0, 40), (0, 50), (8, 45)], [(-10, 44), (-2, 44), (-2, 45), (-10, 45)]],
        [[(-10, -10), (-10, 10), (10, 10), (10, -10)], [(-5, 0), (5, 0), (5, 3), (-5, 3)], [(0, -8), (0, -2), (-3, -5)]],
        [[(c - 8, 37), (c - 8, 53), (c + 8, 53), (c + 8, 37)], [(c - 3, 45), (c, 45), (c - 2, 48)], [(c + 3, 47), (c, 45), (c + 3, 45)]],
        [[(c - 8, 37), (c - 8, 53), (c + 8, 53), (c + 8, 37)], [(c, 45), (c - 4, 45), (c - 4, 41), (c, 41)]],
        [[(-c - 6, -141), (-c + 6, -141), (-c + 6, -129), (-c - 6, -129)], [(-c, -135), (-c + 3, -135), (-c + 2, -138)]],
        [[(-20, -20), (-20, 20), (20, 20), (20, -20)], [(-15, -15), (-15, 15), (15, 15), (15, -15)],
         [(-10, -10), (-10, 10), (10, 10), (10, -10)], [(0, -5), (0, 5), (5, 0)]],
        [[(-20, 25), (-20, 65), (20, 65), (20, 25)], [(-15, 30), (-15, 60), (15, 60), (15, 30)],
         [(-10, 45), (10, 45), (10, 50), (-10, 50)], [(0, 46), (0, 48), (5, 47)]],
        [[(0, 0), (0, 10), (10, 10), (10, 0)], [(3, 1), (0, 0), (1, 3)]],
        [[(0, 0), (0, 10), (10, 10), (10, 0)], [(3, 1), (0, 0), (1, 3)], [(5, 5), (1, 4), (4, 1)]],
        [[(70, 0), (70, 45), (70, 90), (70, 135), (70, 180), (70, -135), (70, -90), (70, -45)],
         [(90, 0), (80, 0), (80, 90)], [(80, 180), (80, -135), (85, -150)]],
        [[(-70, 0), (-70, -45), (-70, -90), (-70, -135), (-70, 180), (-70, 135), (-70, 90), (-70, 45)],
         [(-80, 0), (-90, 0), (-80, -90)]],
        [[(-30, 10), (-30, 80), (60, 80), (60, 10)], [(-10, 45), (30, 45), (30, 50), (-10, 50)], [(0, 46), (20, 46), (20, 49), (0, 49)]],
        [[(-10, 170), (-10, -170), (10, -170), (10, 170)], [(-5, 180), (5, 180), (5, -175), (-5, -175)], [(0, 172), (0, 178), (-4, 175)]],
        [[(20, -10), (20, 60), (60, 60), (60, -10)], [(45, 0), (c, 45), (40, 20)]],
        [[(-30, 20), (-30, 70), (30, 70), (30, 20)], [(-20, 45), (20, 45), (0, 30)], [(0, 45), (20, 60), (-20, 60)]],
        [[(-40, -40), (-40, 40), (40, 40), (40, -40)], [(0, -30), (0, 30), (30, 0)], [(0, -30), (-30, 0), (0, 30)]],
        [[(-5, 130), (-5, 140), (5, 140), (5, 130)], [(0, 135), (0, 138), (3, 135)], [(0, 135), (-3, 135), (0, 132)]],
    ]
    for rings in nested_sets:
        rings = [[(float(a), float(b)) for a, b in ring] for ring in rings]
        loops, poly = nested_polygon(rings)
        valid = bool(poly.IsValid())
        covs = []
        if valid:
            covs = bounded_coverings(rng, poly, 8, lambda j: j % 2 == 1)
        cases.append({"kind": "nested", "vertexFaces": sorted({s2.S2CellId(s2.S2LatLng.FromDegrees(a, b)).face() for ring in rings for a, b in ring}),
                      "valid": valid, "holes": hole_flags(poly, loops), "area": R(poly.GetArea()),
                      "bound": rect_record(poly.GetRectBound()),
                      "rings": [[[R(y), R(x)] for x, y in ring] for ring in rings], "coverings": covs})
    with open(os.path.join(OUT, "polygon_coverings.json"), "w") as f:
        json.dump({"cases": cases}, f, separators=(",", ":"))
    print("polygon coverings", sum(len(c["coverings"]) for c in cases), "in", len(cases), "polygons,",
          sum(1 for c in cases if len(c["vertexFaces"]) > 1), "with vertices on several faces")


def compile_against_wheel(source, folder, opt):
    """Compiles a C++ program of this folder with g++ against the wheel's libs2.a, abseil and headers;
    returns the executable's path (in folder)."""
    wheel = os.path.dirname(s2.__file__)
    here = os.path.dirname(os.path.abspath(__file__))
    exe = os.path.join(folder, os.path.splitext(source)[0])
    subprocess.run(["g++", opt, "-std=c++17", "-DNDEBUG", "-I" + os.path.join(wheel, "include"),
                    os.path.join(here, source), "-o", exe, "-Wl,--start-group"]
                   + sorted(os.path.join(wheel, "lib64", f) for f in os.listdir(os.path.join(wheel, "lib64")) if f.endswith(".a"))
                   + ["-Wl,--end-group", "-lpthread"], check=True)
    return exe


def gen_polygon_index():
    """The reference's shape index of every valid fixture polygon (index_dump.cc): cell ids, centre
    containment and each cell's clipped edges as S2Polygon::Shape orients them (holes reversed)."""
    with tempfile.TemporaryDirectory() as tmp:
        exe = compile_against_wheel("index_dump.cc", tmp, "-O1")
        sources = []
        for name in ("polygons.json", "polygon_coverings.json"):
            with open(os.path.join(OUT, name)) as f:
                for k, c in enumerate(json.load(f)["cases"]):
                    if c["valid"]:
                        sources.append((name, k, c["rings"]))
        lines = []
        for _, _, rings in sources:
            lines.append("P %d" % len(rings))
            for ring in rings:
                lines.append("R %d" % len(ring))
                lines.extend("%s %s" % (lat, lng) for lng, lat in ring)
        out = subprocess.run([exe], input="\n".join(lines) + "\n", capture_output=True, text=True, check=True).stdout
    cases, cur = [], None
    for line in out.splitlines():
        f = line.split()
        if f[0] == "P":
            name, k, _ = sources[int(f[1])]
            cur = {"file": name, "case": k, "cells": []}
            cases.append(cur)
        else:
            edges = [int(x) for x in f[4:]]
            cur["cells"].append([s2.S2CellId(int(f[1])).ToToken(), f[2] == "1", [edges[i:i + 3] for i in range(0, len(edges), 3)]])
    with open(os.path.join(OUT, "polygon_index.json"), "w") as f:
        json.dump({"cases": cases}, f, separators=(",", ":"))
    print("polygon indexes", len(cases), "polygons,", sum(len(c["cells"]) for c in cases), "index cells,",
          sum(len(e) for c in cases for _, _, e in c["cells"]), "clipped edges")


LARGE_OPTIONS = [  # (minLevel, maxLevel, levelMod, maxCells): defaults and each parameter at its extremes
    (0, 30, 1, 8), (0, 30, 1, 1), (0, 30, 1, 10000), (0, 30, 2, 1000), (0, 30, 3, 8), (0, 30, 3, 10000),
    (0, 0, 1, 8), (0, 4, 1, 10000), (0, 16, 3, 100), (5, 30, 1, 8), (7, 30, 1, 8), (8, 30, 1, 8),
    (9, 30, 1, 8), (6, 6, 1, 8), (10, 16, 2, 100), (12, 30, 3, 10000),
]


def large_regions():
    """Large regions: the whole sphere, hemispheres, polar caps and rectangles, quadrants, thin bands
    around the globe, antimeridian-crossing rectangles, caps of every size up to the whole sphere and
    big polygons, as (name, kind, value): rect [latLo, lngLo, latHi, lngHi], cap [lat, lng, metres],
    polygon [rings of (lat, lng)]."""
    out = []
    for name, r in [("whole", (-90, -180, 90, 180)), ("north", (0, -180, 90, 180)), ("south", (-90, -180, 0, 180)),
                    ("east", (-90, 0, 90, 180)), ("west across 180", (-90, 90, 90, -90)),
                    ("polar 80-90", (80, -180, 90, 180)), ("polar 89.9-90", (89.9, -180, 90, 180)),
                    ("south polar -90..-60", (-90, -180, -60, 180)), ("quadrant NE", (0, 0, 90, 90)),
                    ("quadrant SW", (-90, -180, 0, -90)), ("octant", (0, 90, 45, 180)),
                    ("band ±0.01", (-0.01, -180, 0.01, 180)), ("band 10-10.1", (10, -180, 10.1, 180)),
                    ("band 60-60.01", (60, -180, 60.01, 180)), ("band ±1", (-1, -180, 1, 180)),
                    ("across 180 20°", (-10, 170, 10, -170)), ("across 180 wide", (-60, 120, 60, -120)),
                    ("across 180 polar", (70, 179, 90, -179)), ("big 120x240", (-60, -120, 60, 120)),
                    ("meridian strip 0.1", (-90, 0, 90, 0.1)), ("meridian strip 0.001", (-80, 10, 80, 10.001))]:
        out.append(("rect " + name, "rect", [float(x) for x in r]))
    corner = math.degrees(math.atan(1 / math.sqrt(2)))
    half, whole = math.pi / 2 * 6371010.0, math.pi * 6371010.0
    for name, (lat, lng), m in [("1000km", (10, 20), 1e6), ("3000km", (10, 20), 3e6), ("6000km", (10, 20), 6e6),
                                ("hemisphere", (10, 20), half), ("12000km", (10, 20), 1.2e7),
                                ("15000km", (10, 20), 1.5e7), ("19000km", (10, 20), 1.9e7),
                                ("20000km", (10, 20), 2e7), ("whole", (10, 20), whole), ("whole at 0,0", (0, 0), whole),
                                ("pole 2000km", (90, 0), 2e6), ("pole hemisphere", (90, 0), half),
                                ("south pole 5000km", (-90, 0), 5e6), ("corner 5000km", (corner, 45), 5e6),
                                ("on 180 8000km", (0, 180), 8e6)]:
        out.append(("cap " + name, "cap", [float(lat), float(lng), float(m)]))
    rng = random.Random(2718)
    for name, (lat, lng), r, n in [("star 60° n10", (10, 20), 60, 10), ("star 60° n100", (10, 20), 60, 100),
                                   ("star 60° n1000", (10, 20), 60, 1000), ("star 85° n30", (0, 0), 85, 30),
                                   ("star 40° on 180", (0, 180), 40, 24), ("star 30° pole", (90, 0), 30, 40)]:
        out.append(("polygon " + name, "polygon", [sphere_star(rng, lat, lng, lambda: r * rng.uniform(0.9, 1.0), n)]))
    out.append(("polygon octant", "polygon", [[(0.0, 0.0), (0.0, 90.0), (90.0, 0.0)]]))
    out.append(("polygon quadrant", "polygon", [[(0.0, 0.0), (0.0, 89.0), (89.0, 89.0), (89.0, 0.0)]]))
    out.append(("polygon near hemisphere", "polygon", [[(0.5, lng) for lng in range(-180, 180, 2)]]))
    out.append(("polygon polar caps", "polygon", [[(60.0, lng) for lng in range(-180, 180, 10)],
                                                  [(-60.0, lng) for lng in range(180, -180, -10)]]))
    shell = sphere_star(rng, 10, 20, lambda: 70 * rng.uniform(0.95, 1.0), 48)
    holes = [sphere_star(rng, 10, 20, lambda: 15 * rng.uniform(0.8, 1.0), 12),
             sphere_star(rng, 10, 70, lambda: 8 * rng.uniform(0.8, 1.0), 10)]
    out.append(("polygon 70° with holes", "polygon", [shell] + holes))
    return out


def fnv1a(tokens):
    h = 1469598103934665603
    for t in tokens:
        for ch in (t + ",").encode():
            h = ((h ^ ch) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def covering_time_line(i, kind, value, o, interior):
    """A request line for covering_time.cc."""
    if kind == "polygon":
        geo = "%d " % len(value) + " ".join("%d " % len(ring) + " ".join("%r %r" % p for p in ring) for ring in value)
    else:
        geo = " ".join(repr(x) for x in value)
    return "%d %s %s %d %d %d %d %d" % (i, kind[:4], geo, o[0], o[1], o[2], o[3], int(interior))


def gen_large_coverings():
    """Coverings and interior coverings of large regions (large_regions) at each option set of
    LARGE_OPTIONS, computed by the reference's C++ library itself (covering_time.cc on the wheel's
    libs2.a: the same code as the Python bindings, which would add minutes of conversions for coverings
    of a million cells). refSeconds is the reference's time for the covering alone (process CPU time,
    best of 3) when this script ran; null when it did not finish in 20 s or was not run (over 6 M cells
    of minLevel meet the region: at 0.23 µs or more a candidate, seconds). Cells are listed up to
    2,000, otherwise only cellCount and fnv (FNV-1a 64 of the tokens, each followed by a comma)."""
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        exe = compile_against_wheel("covering_time.cc", tmp, "-O2")
        for name, kind, value in large_regions():
            if kind == "rect":
                region = s2.S2LatLngRect(s2.S2LatLng.FromDegrees(value[0], value[1]), s2.S2LatLng.FromDegrees(value[2], value[3]))
                area = region.Area()
            elif kind == "cap":
                region = s2.S2Cap(s2.S2LatLng.FromDegrees(value[0], value[1]).ToPoint(), s2.S1Angle.Radians(value[2] / 6371010.0))
                area = 2 * math.pi * region.height()
            else:
                region = nested_polygon(value)[1]
                assert region.IsValid(), name
                area = region.GetArea()
            for o in LARGE_OPTIONS:
                for interior in (False, True):
                    line = covering_time_line(len(cases), kind, value, o, interior)
                    # Every cell of minLevel that meets the region is a candidate (S2CoveringEstimate).
                    at_least = int(area / (2.635799256963161491 * 4.0 ** -o[0])) if o[0] > 0 else 0
                    out = None
                    if at_least <= 6_000_000:
                        try:
                            out = subprocess.run([exe, "--tokens"], input=line + "\n", capture_output=True, text=True,
                                                 timeout=20, check=True).stdout.split()
                        except subprocess.TimeoutExpired:
                            pass
                    rec = {"name": name, "kind": kind, "options": dict(zip(("minLevel", "maxLevel", "levelMod", "maxCells"), o)),
                           "interior": interior, "refSeconds": out[1] if out else None}
                    if kind == "polygon":
                        rec["rings"] = [[[R(b), R(a)] for a, b in ring] for ring in value]
                    else:
                        rec[kind] = [R(x) for x in value]
                    if out:
                        rec["cellCount"] = int(out[2])
                        if rec["cellCount"] <= 2000:
                            rec["cells"] = out[4:]
                            assert fnv1a(rec["cells"]) == out[3]
                        else:
                            rec["fnv"] = out[3]
                        if o == LARGE_OPTIONS[0]:   # the Python bindings give the same covering
                            c = coverer(rec["options"])
                            ids = c.GetInteriorCovering(region) if interior else c.GetCovering(region)
                            assert [x.ToToken() for x in ids] == rec["cells"], (name, interior)
                    cases.append(rec)
                    print(len(cases), name, o, interior, rec["refSeconds"], rec.get("cellCount"), flush=True)
    with open(os.path.join(OUT, "large_coverings.json"), "w") as f:
        json.dump({"cases": cases}, f, separators=(",", ":"))
    slow = [c for c in cases if c["refSeconds"] is None or float(c["refSeconds"]) >= 0.5]
    print("large coverings", len(cases), "of which", len(slow), "take the reference 0.5 s or more")

if __name__ == "__main__":
    # With arguments, only the named fixture files (e.g. `large_coverings`); without, all of them.
    generators = {"cells": gen_cells, "coverings": gen_coverings, "unions": gen_unions, "polygons": gen_polygons,
                  "polygon_coverings": gen_polygon_coverings, "polygon_index": gen_polygon_index,
                  "large_coverings": gen_large_coverings}
    import sys
    for name in sys.argv[1:] or list(generators):
        generators[name]()
