import Foundation
@testable import S2Geometry

// Swift side of Benchmarks/s2/large.sh: reads the requests reference.cc reads (one a line on stdin) and
// answers each through S2Operations.covering with the service's default limits, as the endpoint does.
// Writes "<id> <cpu seconds> <cells> <fnv1a of the tokens> <refused field or -> <candidates created>
// <peak RSS MB>": CPU time of the covering (best of 3, one run when the first takes over 0.3 s); the
// candidates the coverer creates without any budget (stopped at 20,000,000 or 30 s: then negative)
// calibrate the running budget against the reference's time; the process's peak resident memory during
// the covering runs (VmHWM, reset before each request through /proc/self/clear_refs), which is what one
// request costs a replica in memory.
func cpu() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Resets the peak-RSS mark (Linux ≥ 4.0: writing 5 to clear_refs).
func resetPeak() {
    if let f = fopen("/proc/self/clear_refs", "w") { fputs("5", f); fclose(f) }
}
/// Peak resident memory since the last reset, in MB (VmHWM of /proc/self/status).
func peakMB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
    return kb / 1024
}

while let line = readLine() {
    var f = line.split(separator: " ").map(String.init)
    let id = f.removeFirst(), kind = f.removeFirst()
    var d = f.map { Double($0)! }
    let region: S2CoveringRegion
    switch kind {
    case "rect":
        region = .rect(lo: .init(lat: d[0], lng: d[1]), hi: .init(lat: d[2], lng: d[3])); d.removeFirst(4)
    case "cap":
        region = .cap(center: .init(lat: d[0], lng: d[1]), radiusMeters: d[2]); d.removeFirst(3)
    default:
        var rings: [[[Double]]] = []
        let count = Int(d.removeFirst())
        for _ in 0..<count {
            let n = Int(d.removeFirst())
            var ring = (0..<n).map { k in [d[2 * k + 1], d[2 * k]] }
            ring.append(ring[0])
            rings.append(ring)
            d.removeFirst(2 * n)
        }
        region = .polygon(S2GeoJSONPolygon(rings: rings))
    }
    let req = S2CoveringRequest(region: region, minLevel: Int(d[0]), maxLevel: Int(d[1]), levelMod: Int(d[2]),
                                maxCells: Int(d[3]), interior: d[4] != 0)
    var best = Double.infinity, cells: [S2CellId] = [], refused = "-"
    resetPeak()
    for _ in 0..<3 {
        let t0 = cpu()
        do { cells = try S2Operations.covering(req).cells } catch let e as S2Error { refused = e.field } catch { refused = "?" }
        let t = cpu() - t0
        best = min(best, t)
        if t > 0.3 || refused != "-" { break }
    }
    let peak = peakMB()
    var h: UInt64 = 1469598103934665603
    for c in cells { for b in (c.token + ",").utf8 { h ^= UInt64(b); h = h &* 1099511628211 } }
    var created = 0
    if ProcessInfo.processInfo.environment["NO_CREATED"] == nil, let plan = try? S2Operations.plan(req, limits: {
        var l = S2Limits(); l.maxCandidates = 1 << 40; l.maxOutputCells = 1 << 40; l.maxPolygonWork = 1 << 50; return l }()) {
        let t1 = Date()
        func count<R: S2Region>(_ r: R) -> Int {
            var run = S2RegionCoverer.Run(options: plan.options, region: r, interior: req.interior, budget: 20_000_000,
                                          isCancelled: { Date().timeIntervalSince(t1) > 30 })
            do { try run.coveringInternal(); return run.created } catch { return -run.created }
        }
        created = plan.region.rect.map(count) ?? plan.region.cap.map(count) ?? count(plan.region.polygon!)
    }
    print("\(id) \(String(format: "%.6f", best)) \(cells.count) \(String(repeating: "0", count: 16 - String(h, radix: 16).count) + String(h, radix: 16)) \(refused) \(created) \(String(format: "%.1f", peak))")
    fflush(nil)
}
