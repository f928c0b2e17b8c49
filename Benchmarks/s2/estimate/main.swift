import Foundation
@testable import S2Geometry

// Polygon covering cost against its estimate (Benchmarks/s2/estimate.sh builds this in release mode).
// For each polygon (stars of 10–100,000 vertices at 0.05°, 1° and 20°, smooth and jagged; 100–10,000
// shells or holes; fans of long edges) and each option set (maxCells 8–10,000, levels 0–30 / 0–16 /
// 10–30, levelMod 1 and 3, interior or not) it prints the estimate (S2Operations.plan without limits),
// the candidates the coverer actually created and the covering time; estimate_analyze.py turns the
// table into the figures quoted in S2CoveringEstimate.swift. `Est profile "<shape>"` times one
// polygon's build, validation and two coverings.
func star(lat: Double, lng: Double, r: Double, n: Int, jag: Double, seed: inout UInt64) -> [[Double]] {
    var ring: [[Double]] = []
    for k in 0..<n {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        let u = Double(seed >> 11) / Double(1 << 53)
        let a = 2 * Double.pi * Double(k) / Double(n)
        let rr = r * (1 - jag * u)
        ring.append([lng + rr * cos(a) / cos(lat * .pi / 180), lat + rr * sin(a)])
    }
    ring.append(ring[0])
    return ring
}
struct Shape { let name: String; let geo: S2GeoJSONPolygon }
var seed: UInt64 = 42
var shapes: [Shape] = []
for n in [10, 100, 1000, 10_000, 100_000] {
    for (rname, r) in [("0.05deg", 0.05), ("1deg", 1.0), ("20deg", 20.0)] {
        for jag in [0.0, 0.4] {
            let lat = 10.0 + r / 3, lng = 20.0
            shapes.append(Shape(name: "star n=\(n) r=\(rname) jag=\(jag)", geo: S2GeoJSONPolygon(rings: [star(lat: lat, lng: lng, r: r, n: n, jag: jag, seed: &seed)])))
        }
    }
}
// Many small shells, and a shell with many holes.
for loops in [100, 1000, 10_000] {
    var polys: [[[[Double]]]] = []
    let side = Int(Double(loops).squareRoot().rounded(.up))
    for k in 0..<loops { polys.append([star(lat: Double(k / side) * 0.1, lng: Double(k % side) * 0.1, r: 0.03, n: 8, jag: 0.3, seed: &seed)]) }
    shapes.append(Shape(name: "multi \(loops)x8", geo: S2GeoJSONPolygon(type: "MultiPolygon", polygons: polys)))
    var rings = [[[-0.1, -0.1], [Double(side) * 0.1, -0.1], [Double(side) * 0.1, Double(side) * 0.1], [-0.1, Double(side) * 0.1], [-0.1, -0.1]]]
    for k in 0..<loops { rings.append(star(lat: Double(k / side) * 0.1, lng: Double(k % side) * 0.1, r: 0.03, n: 8, jag: 0.3, seed: &seed)) }
    shapes.append(Shape(name: "holes \(loops)x8", geo: S2GeoJSONPolygon(rings: rings)))
}
// Fans: n vertices alternating between radius r·0.01 and r (long radial edges meeting near the centre).
for n in [1000, 10_000, 40_000, 100_000] {
    for r in [1.0, 20.0] {
        var ring: [[Double]] = []
        for k in 0..<n {
            let a = 2 * Double.pi * Double(k) / Double(n)
            let rr = k % 2 == 0 ? r : r * 0.01
            ring.append([20 + rr * cos(a), 10 + rr * sin(a)])
        }
        ring.append(ring[0])
        shapes.append(Shape(name: "fan n=\(n) r=\(r)", geo: S2GeoJSONPolygon(rings: [ring])))
    }
}
if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "profile" {
    let s = shapes.first { $0.name == CommandLine.arguments[2] }!
    var t = Date()
    let rings = s.geo.polygons[0].map { ring in S2Loop(ring.dropLast().map { S2LatLng(latDegrees: $0[1], lngDegrees: $0[0]).point }) }
    print("loops", Date().timeIntervalSince(t)); t = Date()
    let poly = S2Polygon(loops: rings)
    print("polygon (index)", Date().timeIntervalSince(t), poly.index.cells.count); t = Date()
    do {
        var num = 0.0, den = 0.0, k2 = 0.0, k1 = 0.0
        for c in poly.index.cells.indices {
            let ids = poly.index.edgeIds[Int(poly.index.edgeStart[c])..<Int(poly.index.edgeStart[c + 1])]
            let k = Double(ids.count)
            let width = S2Metric.maxWidth.value(poly.index.cells[c].level)
            var len = 0.0
            for e in ids { let ed = poly.index.edges[Int(e)]; len += min(ed.a.angle(ed.b), width) }
            num += len * k; den += len; k2 += k * k; k1 += k
        }
        print("e weighted by edges \(k2 / k1), by clipped length \(num / den), cells \(poly.index.cells.count), mean \(k1 / Double(poly.index.cells.count))")
    }
    do { try poly.validate(field: "p") } catch { print("refused:", error); exit(0) }
    print("validate", Date().timeIntervalSince(t)); t = Date()
    _ = poly.area
    print("area", Date().timeIntervalSince(t)); t = Date()
    _ = poly.perimeter
    print("perimeter", Date().timeIntervalSince(t)); t = Date()
    let est = try! S2Operations.plan(S2CoveringRequest(region: .polygon(s.geo), maxCells: 10000, interior: true)).estimate
    var t1 = Date()
    var run = S2RegionCoverer.Run(options: .init(maxCells: 10000), region: poly, interior: true, budget: 1_000_000, isCancelled: { Date().timeIntervalSince(t1) > 20 })
    try? run.coveringInternal()
    print("interior 10000", Date().timeIntervalSince(t1), run.created, est)
    t1 = Date()
    var run2 = S2RegionCoverer.Run(options: .init(maxCells: 10000), region: poly, interior: false, budget: 1_000_000, isCancelled: { Date().timeIntervalSince(t1) > 20 })
    try? run2.coveringInternal()
    print("exterior 10000", Date().timeIntervalSince(t1), run2.created)
    exit(0)
}
let filter = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : ""
var big = S2Limits()
big.maxCandidates = 1 << 40; big.maxOutputCells = 1 << 40; big.maxCells = 1 << 30; big.maxPolygonWork = 1 << 50
if CommandLine.arguments.count > 6 && CommandLine.arguments[1] == "one" {
    // Est one "<shape>" minLevel maxLevel levelMod maxCells [interior]: one covering without limits.
    let a = CommandLine.arguments
    let s = shapes.first { $0.name == a[2] }!
    let req = S2CoveringRequest(region: .polygon(s.geo), minLevel: Int(a[3])!, maxLevel: Int(a[4])!, levelMod: Int(a[5])!,
                                maxCells: Int(a[6])!, interior: a.count > 7)
    let plan = try! S2Operations.plan(req, limits: big)
    var refused = "-"
    do { _ = try S2Operations.plan(req) } catch let e as S2Error { refused = e.field } catch {}
    let t1 = Date()
    var run = S2RegionCoverer.Run(options: plan.options, region: plan.region.polygon!, interior: req.interior, budget: 5_000_000, isCancelled: { Date().timeIntervalSince(t1) > 60 })
    do { try run.coveringInternal() } catch { print("stopped:", error) }
    print("e \(plan.region.edgesPerQuery) estimate \(plan.estimate) refused \(refused) created \(run.created) time \(Date().timeIntervalSince(t1)) s")
    exit(0)
}
if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "regions" {
    // Est regions [filter]: rectangles, caps and a few polygons at levelMod 1–3, maxCells 1,000 and
    // 10,000, levels 0–30 / 0–16 / 10–30, exterior and interior: estimate against created candidates
    // and time (same columns as the polygon table; the weighted column is 0 for rect and cap).
    let f = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : ""
    var regions: [(String, S2CoveringRegion)] = []
    for d in [0.001, 0.1, 1.0, 10.0, 60.0] {
        regions.append(("rect \(d)deg", .rect(lo: .init(lat: 10, lng: 20), hi: .init(lat: 10 + d, lng: 20 + d))))
    }
    regions.append(("rect thin 0.0001x10deg", .rect(lo: .init(lat: 10, lng: 20), hi: .init(lat: 10.0001, lng: 30))))
    regions.append(("rect pole cap 80-90", .rect(lo: .init(lat: 80, lng: -180), hi: .init(lat: 90, lng: 180))))
    regions.append(("rect antimeridian 5deg", .rect(lo: .init(lat: -2, lng: 178), hi: .init(lat: 3, lng: -177))))
    regions.append(("rect full", .rect(lo: .init(lat: -90, lng: -180), hi: .init(lat: 90, lng: 180))))
    for m in [100.0, 10_000, 1_000_000, 5_000_000, 15_000_000] {
        regions.append(("cap \(Int(m))m", .cap(center: .init(lat: 10, lng: 20), radiusMeters: m)))
    }
    regions.append(("cap corner 500km", .cap(center: .init(lat: 35.26438968, lng: 45), radiusMeters: 500_000)))
    for s in shapes where ["star n=1000 r=1deg jag=0.0", "star n=1000 r=1deg jag=0.4", "star n=10000 r=20deg jag=0.4", "multi 1000x8", "fan n=1000 r=20.0"].contains(s.name) {
        regions.append((s.name, .polygon(s.geo)))
    }
    func run<R: S2Region>(_ r: R, _ o: S2RegionCoverer.Options, _ interior: Bool) -> (Int, Int, Double) {
        let t1 = Date()
        var run = S2RegionCoverer.Run(options: o, region: r, interior: interior, budget: 3_000_000, isCancelled: { Date().timeIntervalSince(t1) > 10 })
        var created = -1
        do { try run.coveringInternal(); created = run.created } catch S2Error.cancelled { created = -3 } catch { created = -2 }
        return (run.result.count, created, Date().timeIntervalSince(t1))
    }
    print("shape\tE\tweighted\tmaxK\tidxCells\tbuild_s\tminL\tmaxL\tlm\tmaxCells\tint\tcells\tcreated\testCand\testEdge\trefused\tcover_s")
    for (name, region) in regions where f.isEmpty || name.contains(f) {
        for maxCells in [1000, 10_000] {
            for (minL, maxL) in [(0, 30), (0, 16), (10, 30)] {
                for lm in [1, 2, 3] {
                    for interior in [false, true] {
                        let req = S2CoveringRequest(region: region, minLevel: minL, maxLevel: maxL, levelMod: lm, maxCells: maxCells, interior: interior)
                        guard let plan = try? S2Operations.plan(req, limits: big) else { continue }
                        let est = plan.estimate
                        if est.outputCells > 100_000 || est.trivial { continue }
                        var refused = "-"
                        do { _ = try S2Operations.plan(req) } catch let e as S2Error { refused = e.field } catch {}
                        let (cells, created, t): (Int, Int, Double)
                        if let r = plan.region.rect { (cells, created, t) = run(r, plan.options, interior) }
                        else if let c = plan.region.cap { (cells, created, t) = run(c, plan.options, interior) }
                        else { (cells, created, t) = run(plan.region.polygon!, plan.options, interior) }
                        print("\(name)\t\(plan.region.edges)\t\(String(format: "%.1f", plan.region.edgesPerQuery))\t0\t0\t0\t\(minL)\t\(maxL)\t\(lm)\t\(maxCells)\t\(interior)\t\(cells)\t\(created)\t\(est.candidateCells)\t\(est.polygonWork)\t\(refused)\t\(String(format: "%.4f", t))")
                    }
                }
            }
        }
    }
    exit(0)
}
print("shape\tE\tweighted\tmaxK\tidxCells\tbuild_s\tminL\tmaxL\tlm\tmaxCells\tint\tcells\tcreated\testCand\testEdge\trefused\tcover_s")
for s in shapes where filter.isEmpty || s.name.contains(filter) {
    let t0 = Date()
    guard let poly = try? s.geo.polygon(field: "p", limits: big) else { print("# invalid \(s.name)"); continue }
    let build = Date().timeIntervalSince(t0)
    var sk2 = 0.0, sk = 0.0, maxK = 0
    for k in poly.index.cells.indices {
        let c = Double(poly.index.edgeStart[k + 1] - poly.index.edgeStart[k])
        sk2 += c * c; sk += c; maxK = max(maxK, Int(c))
    }
    let weighted = sk > 0 ? sk2 / sk : 0
    for maxCells in [8, 100, 1000, 10_000] {
        for (minL, maxL) in [(0, 30), (0, 16), (10, 30)] {
            for lm in [1, 3] {
                for interior in [false, true] {
                    let req = S2CoveringRequest(region: .polygon(s.geo), minLevel: minL, maxLevel: maxL, levelMod: lm, maxCells: maxCells, interior: interior)
                    guard let plan = try? S2Operations.plan(req, limits: big) else { continue }
                    let est = plan.estimate
                    if est.outputCells > 100_000 { continue }
                    // What the service answers before any work: the refusing field, or "-".
                    var refused = "-"
                    do { _ = try S2Operations.plan(req) } catch let e as S2Error { refused = e.field } catch {}
                    if est.trivial { continue }
                    if ProcessInfo.processInfo.environment["EST_ONLY"] != nil {
                        // Estimates only (to re-judge a saved table after changing the model).
                        print("\(s.name)\t\(poly.numEdges)\t\(String(format: "%.1f", weighted))\t\(maxK)\t\(poly.index.cells.count)\t0\t\(minL)\t\(maxL)\t\(lm)\t\(maxCells)\t\(interior)\t-\t-\t\(est.candidateCells)\t\(est.polygonWork)\t\(refused)\t-")
                        continue
                    }
                    let t1 = Date()
                    var run = S2RegionCoverer.Run(options: plan.options, region: poly, interior: interior, budget: 1_000_000, isCancelled: { Date().timeIntervalSince(t1) > 20 })
                    var created = -1
                    do { try run.coveringInternal(); created = run.created } catch S2Error.cancelled { created = -3 } catch { created = -2 }
                    let cover = Date().timeIntervalSince(t1)
                    print("\(s.name)\t\(poly.numEdges)\t\(String(format: "%.1f", weighted))\t\(maxK)\t\(poly.index.cells.count)\t\(String(format: "%.4f", build))\t\(minL)\t\(maxL)\t\(lm)\t\(maxCells)\t\(interior)\t\(run.result.count)\t\(created)\t\(est.candidateCells)\t\(est.polygonWork)\t\(refused)\t\(String(format: "%.4f", cover))")
                }
            }
        }
    }
}
