// S2 benchmark (release build): lat/lng → leaf id, random 10 km rect coverings (maxCells 8),
// the Porto Alegre rectangle (levels 8–15, maxCells 500), random 5 km caps (maxCells 8) and random
// star polygons built and covered (24 vertices, maxCells 8; 200 vertices, levels 8–15, maxCells 100;
// 5,000 vertices, maxCells 500).
// Inputs come from splitmix64 with the same seed as bench_cpp.cc and bench_py.py, and every
// workload prints an XOR checksum of the ids so the implementations are compared in the same run.
// Output: one line per workload, "name ops_per_second checksum".
import Foundation
import S2Geometry

struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1): top 53 bits · 2⁻⁵³.
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Best of `repeats` timings of `body`, returning (ops/s, checksum).
func measure(_ ops: Int, repeats: Int = 3, _ body: () -> UInt64) -> (Double, UInt64) {
    var best = Double.infinity
    var sum: UInt64 = 0
    for _ in 0..<repeats {
        let t0 = now()
        sum = body()
        best = min(best, now() - t0)
    }
    return (Double(ops) / best, sum)
}

let args = CommandLine.arguments
let scale = args.count > 1 ? Double(args[1]) ?? 1 : 1
let only = args.count > 2 ? args[2] : nil   // optional: run only the leaf_ids ("leaf") or polygon ("poly") workloads
let nPoints = Int(1_000_000 * scale)
let nRects = only == nil ? Int(20_000 * scale) : 0, nPorto = only == nil ? Int(1_000 * scale) : 0, nCaps = only == nil ? Int(20_000 * scale) : 0
let R = 6371010.0

// Points uniform on the sphere. (Workloads run inside functions on local arrays: globals of
// main.swift pay dynamic exclusivity checks that would be charged to S2Geometry.)
func leafIds() {
    var rng = SplitMix64(state: 42)
    var lats = [Double](), lngs = [Double]()
    for _ in 0..<nPoints {
        lats.append(asin(2 * rng.uniform() - 1) * 180 / Double.pi)
        lngs.append(360 * rng.uniform() - 180)
    }
    let (leafRate, leafSum) = measure(nPoints) {
        var x: UInt64 = 0
        for k in 0..<lats.count { x ^= S2CellId(S2LatLng(latDegrees: lats[k], lngDegrees: lngs[k])).id }
        return x
    }
    print("leaf_ids", leafRate, leafSum)
}
leafIds()

// Random 10 km × 10 km rectangles, |lat| ≤ 80.
func coverings() {
    var rng = SplitMix64(state: 7)
    var rects = [S2LatLngRect]()
    for _ in 0..<nRects {
        let lat = 160 * rng.uniform() - 80, lng = 360 * rng.uniform() - 180
        let dlat = 5000 / R * 180 / Double.pi
        let dlng = dlat / cos(lat * Double.pi / 180)
        var hi = lng + dlng
        if hi > 180 { hi -= 360 }
        rects.append(S2LatLngRect(lo: S2LatLng(latDegrees: lat - dlat, lngDegrees: lng - dlng), hi: S2LatLng(latDegrees: lat + dlat, lngDegrees: hi)))
    }
    let coverer8 = S2RegionCoverer(options: .init(maxCells: 8))
    let (rectRate, rectSum) = measure(nRects) {
        var x: UInt64 = 0
        for r in rects { for c in try! coverer8.covering(r) { x ^= c.id } }
        return x
    }
    print("rect10km_cov8", rectRate, rectSum)

    let porto = S2LatLngRect(lo: S2LatLng(latDegrees: -30.24, lngDegrees: -51.26), hi: S2LatLng(latDegrees: -30.00, lngDegrees: -51.05))
    let coverer500 = S2RegionCoverer(options: .init(minLevel: 8, maxLevel: 15, maxCells: 500))
    let (portoRate, portoSum) = measure(nPorto) {
        var x: UInt64 = 0
        for _ in 0..<nPorto { for c in try! coverer500.covering(porto) { x ^= c.id } }
        return x
    }
    print("porto_alegre_8_15_500", portoRate, portoSum)

    rng = SplitMix64(state: 11)
    var caps = [S2Cap]()
    for _ in 0..<nCaps {
        let lat = asin(2 * rng.uniform() - 1) * 180 / Double.pi, lng = 360 * rng.uniform() - 180
        caps.append(S2Cap(center: S2LatLng(latDegrees: lat, lngDegrees: lng).point, angle: S1Angle(radians: 5000 / R)))
    }
    let (capRate, capSum) = measure(nCaps) {
        var x: UInt64 = 0
        for c in caps { for id in try! coverer8.covering(c) { x ^= id.id } }
        return x
    }
    print("cap5km_cov8", capRate, capSum)
}
if only == nil { coverings() }

/// Star polygon rings around random centres (|lat| ≤ 70): vertex k at angle 2π(k + ½u)/n and radius
/// rMeters·(0.6 + 0.4u′), in degrees of lat/lng. Same sequence in bench_cpp.cc and bench_py.py.
func starRings(seed: UInt64, count: Int, vertices n: Int, rMeters: Double) -> [[S2Point]] {
    var rng = SplitMix64(state: seed)
    var out: [[S2Point]] = []
    for _ in 0..<count {
        let clat = 140 * rng.uniform() - 70, clng = 360 * rng.uniform() - 180
        let rdeg = rMeters / R * 180 / Double.pi
        var ring: [S2Point] = []
        for k in 0..<n {
            let a = 2 * Double.pi * (Double(k) + 0.5 * rng.uniform()) / Double(n)
            let rr = rdeg * (0.6 + 0.4 * rng.uniform())
            ring.append(S2LatLng(latDegrees: clat + rr * sin(a), lngDegrees: clng + rr * cos(a) / cos(clat * Double.pi / 180)).point)
        }
        out.append(ring)
    }
    return out
}
let nPoly24 = only == nil || only == "poly" ? Int(2_000 * scale) : 0, nPoly200 = only == nil || only == "poly" ? Int(200 * scale) : 0
let nPoly5000 = only == nil || only == "poly" ? Int(20 * scale) : 0
func polygons() {
    let small = starRings(seed: 13, count: nPoly24, vertices: 24, rMeters: 20_000)
    let coverer8 = S2RegionCoverer(options: .init(maxCells: 8))
    let (r1, s1) = measure(nPoly24) {
        var x: UInt64 = 0
        for ring in small { for c in try! coverer8.covering(S2Polygon(loops: [S2Loop(ring)])) { x ^= c.id } }
        return x
    }
    print("poly24_cov8", r1, s1)
    let big = starRings(seed: 17, count: nPoly200, vertices: 200, rMeters: 30_000)
    let coverer100 = S2RegionCoverer(options: .init(minLevel: 8, maxLevel: 15, maxCells: 100))
    let (r2, s2) = measure(nPoly200) {
        var x: UInt64 = 0
        for ring in big { for c in try! coverer100.covering(S2Polygon(loops: [S2Loop(ring)])) { x ^= c.id } }
        return x
    }
    print("poly200_cov100_8_15", r2, s2)
    let huge = starRings(seed: 19, count: nPoly5000, vertices: 5000, rMeters: 300_000)
    let coverer500 = S2RegionCoverer(options: .init(maxCells: 500))
    let (r3, s3) = measure(nPoly5000) {
        var x: UInt64 = 0
        for ring in huge { for c in try! coverer500.covering(S2Polygon(loops: [S2Loop(ring)])) { x ^= c.id } }
        return x
    }
    print("poly5000_cov500", r3, s3)
}
if only == nil || only == "poly" { polygons() }
