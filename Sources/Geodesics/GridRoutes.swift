import Foundation

/// Candidate routes between two points of the plane from a grid graph. They serve only as starting curves of the
/// global search (their topology: on which side of each mode a route passes), never as answers.
///
/// Nodes form a G×G grid over a box around the end points and the nearby component means; each node is joined
/// to its 16 neighbours (steps (±1, 0), (0, ±1), (±1, ±1), (±1, ±2), (±2, ±1)). An edge p → q weighs the metric
/// length of the chord of the lifted surface, which needs log p at the nodes only:
/// - Stein: √(‖Δ‖² + λ(log p(q) − log p(p))²) (g = I + ∇f∇fᵀ with f = √λ·log p is the metric that the graph of f
///   in R³ induces, so lengths are those of the lifted curve);
/// - conformal: ‖Δ‖·exp(−α(log p(p) + log p(q))/4) (the geometric mean of √c at the two nodes).
///
/// Dijkstra trees from a and from b give d_a and d_b. Every route from a to b crosses the bisector
/// {d_a = d_b}, and f(v) = d_a(v) + d_b(v) is the length of the shortest route through v, so each locally
/// shortest route shows up as a local minimum of f along the bisector (the via-node or "plateau" method of
/// alternative route planning). The routes through those minima (tree path a → v, then v → b) are returned
/// shortest first, one per local minimum, leaving out routes that pass next to an earlier one's via node.
/// Grid lengths overestimate the anisotropic Stein metric along steep level sets (metrication), so routes up
/// to `maxRatio` times the shortest graph route are kept.
struct GridRoutes {
    let metric: RiemannianMetric
    var gridSize = 49
    var logShift = 0.0
    /// Routes longer than this multiple of the shortest graph route are left out.
    var maxRatio = 3.0
    var maxRoutes = 8

    /// A route: polyline from a to b, and its graph length.
    struct Route {
        var points: [[Double]]
        var graphLength: Double
    }

    func routes(from a: [Double], to b: [Double]) -> [Route] {
        guard metric.dimension == 2 else { return [] }
        var lo = [min(a[0], b[0]), min(a[1], b[1])]
        var hi = [max(a[0], b[0]), max(a[1], b[1])]
        let span0 = max(hi[0] - lo[0], hi[1] - lo[1], 1e-9)
        for p in metric.density.meanPoints() {
            // Include the data only within a few end-point spans.
            if abs(p[0] - 0.5 * (a[0] + b[0])) < 3 * span0 && abs(p[1] - 0.5 * (a[1] + b[1])) < 3 * span0 {
                lo[0] = min(lo[0], p[0]); lo[1] = min(lo[1], p[1])
                hi[0] = max(hi[0], p[0]); hi[1] = max(hi[1], p[1])
            }
        }
        // Routes around a mode pass a few standard deviations beyond it: a generous margin.
        let span = max(hi[0] - lo[0], hi[1] - lo[1], 1e-9)
        for k in 0..<2 { lo[k] -= 0.4 * span; hi[k] += 0.4 * span }
        let g = gridSize
        let dx = (hi[0] - lo[0]) / Double(g - 1), dy = (hi[1] - lo[1]) / Double(g - 1)
        func point(_ v: Int) -> [Double] { [lo[0] + Double(v / g) * dx, lo[1] + Double(v % g) * dy] }
        func nearest(_ p: [Double]) -> Int {
            let i = min(g - 1, max(0, Int(((p[0] - lo[0]) / dx).rounded())))
            let j = min(g - 1, max(0, Int(((p[1] - lo[1]) / dy).rounded())))
            return i * g + j
        }
        var logp = [Double](repeating: 0, count: g * g)
        var jet = Density.Jet(dimension: 2)
        var ws = Density.Workspace(density: metric.density)
        for v in 0..<(g * g) {
            metric.density.evaluateScore(at: point(v), jet: &jet, workspace: &ws)
            logp[v] = jet.logDensity
        }
        let moves = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1),
                     (1, 2), (1, -2), (-1, 2), (-1, -2), (2, 1), (2, -1), (-2, 1), (-2, -1)]
        let spec = metric.spec
        let shift = logShift
        func cost(_ u: Int, _ v: Int, _ di: Int, _ dj: Int) -> Double {
            let ex = Double(di) * dx, ey = Double(dj) * dy
            let e2 = ex * ex + ey * ey
            let c: Double
            switch spec {
            case .stein(let lambda):
                let df = logp[v] - logp[u]
                c = (e2 + lambda * df * df).squareRoot()
            case .conformal(let alpha):
                c = e2.squareRoot() * exp(-0.25 * alpha * (logp[u] + logp[v]) - 0.5 * shift)
            }
            return c.isFinite ? c : Double.greatestFiniteMagnitude / 1e10
        }
        func dijkstra(from source: Int) -> ([Double], [Int]) {
            var dist = [Double](repeating: .infinity, count: g * g)
            var prev = [Int](repeating: -1, count: g * g)
            var heap = MinHeap()
            dist[source] = 0
            heap.push(0, source)
            while let (dcur, u) = heap.pop() {
                if dcur > dist[u] { continue }
                let ui = u / g, uj = u % g
                for (di, dj) in moves {
                    let vi = ui + di, vj = uj + dj
                    guard vi >= 0, vi < g, vj >= 0, vj < g else { continue }
                    let v = vi * g + vj
                    let nd = dcur + cost(u, v, di, dj)
                    if nd < dist[v] { dist[v] = nd; prev[v] = u; heap.push(nd, v) }
                }
            }
            return (dist, prev)
        }
        let source = nearest(a), target = nearest(b)
        guard source != target else { return [Route(points: [a, b], graphLength: 0)] }
        let (da, pa) = dijkstra(from: source)
        let (db, pb) = dijkstra(from: target)
        guard da[target].isFinite else { return [] }

        // Bisector band: nodes on a's side with a 4-neighbour on b's side.
        var inBand = [Bool](repeating: false, count: g * g)
        for v in 0..<(g * g) where da[v] <= db[v] {
            let i = v / g, j = v % g
            for (di, dj) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
                let wi = i + di, wj = j + dj
                guard wi >= 0, wi < g, wj >= 0, wj < g else { continue }
                if da[wi * g + wj] > db[wi * g + wj] { inBand[v] = true; break }
            }
        }
        func f(_ v: Int) -> Double { da[v] + db[v] }
        // Local minima of f on the band (no band node within two steps is shorter; ties go to the lower index).
        var minima: [Int] = []
        for v in 0..<(g * g) where inBand[v] {
            let i = v / g, j = v % g
            var isMin = true
            outer: for wi in max(0, i - 2)...min(g - 1, i + 2) {
                for wj in max(0, j - 2)...min(g - 1, j + 2) {
                    let w = wi * g + wj
                    guard w != v, inBand[w] else { continue }
                    if f(w) < f(v) || (f(w) == f(v) && w < v) { isMin = false; break outer }
                }
            }
            if isMin { minima.append(v) }
        }
        minima.sort { f($0) < f($1) }
        let best = f(minima.first ?? target)
        var out: [Route] = []
        var used: [[Int]] = []
        for v in minima where f(v) <= maxRatio * best {
            guard out.count < maxRoutes else { break }
            // The same route as an earlier one when that one passes within two steps of v.
            let vi = v / g, vj = v % g
            if used.contains(where: { r in r.contains { abs($0 / g - vi) <= 2 && abs($0 % g - vj) <= 2 } }) { continue }
            var nodes: [Int] = []
            var c = v
            while c != -1 { nodes.append(c); c = pa[c] }
            nodes.reverse()
            c = pb[v]
            while c != -1 { nodes.append(c); c = pb[c] }
            used.append(nodes)
            var pts = [a]
            for n in nodes.dropFirst().dropLast() { pts.append(point(n)) }
            pts.append(b)
            out.append(Route(points: pts, graphLength: f(v)))
        }
        return out
    }

    /// A binary min-heap of (key, value) pairs.
    struct MinHeap {
        var keys: [Double] = []
        var values: [Int] = []
        mutating func push(_ k: Double, _ v: Int) {
            keys.append(k); values.append(v)
            var i = keys.count - 1
            while i > 0 {
                let p = (i - 1) / 2
                if keys[p] <= keys[i] { break }
                keys.swapAt(p, i); values.swapAt(p, i); i = p
            }
        }
        mutating func pop() -> (Double, Int)? {
            guard !keys.isEmpty else { return nil }
            let top = (keys[0], values[0])
            let lk = keys.removeLast(), lv = values.removeLast()
            if !keys.isEmpty {
                keys[0] = lk; values[0] = lv
                var i = 0
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var m = i
                    if l < keys.count && keys[l] < keys[m] { m = l }
                    if r < keys.count && keys[r] < keys[m] { m = r }
                    if m == i { break }
                    keys.swapAt(m, i); values.swapAt(m, i); i = m
                }
            }
            return top
        }
    }
}
