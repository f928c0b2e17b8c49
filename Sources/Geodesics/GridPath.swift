import Foundation

/// A shortest path on a 2-D grid graph, used only as an initial curve (its topology: which side
/// of a mode the geodesic passes). Nodes form a G×G grid over a box around the end points and
/// the density's component means; edges join each node to its 16 neighbours (steps (±1,0),
/// (±1,±1), (±1,±2), (±2,±1)), weighted by the midpoint-rule metric length √(Δᵀg(m)Δ).
/// Dijkstra's algorithm with a binary heap; the end points are joined to their nearest nodes.
struct GridPath {
    let metric: RiemannianMetric
    var gridSize = 41
    var logShift = 0.0

    func path(from a: [Double], to b: [Double]) -> [[Double]]? {
        guard metric.dimension == 2 else { return nil }
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
        let span = max(hi[0] - lo[0], hi[1] - lo[1], 1e-9)
        for k in 0..<2 { lo[k] -= 0.25 * span; hi[k] += 0.25 * span }
        let g = gridSize
        let dx = (hi[0] - lo[0]) / Double(g - 1), dy = (hi[1] - lo[1]) / Double(g - 1)
        func point(_ i: Int, _ j: Int) -> [Double] { [lo[0] + Double(i) * dx, lo[1] + Double(j) * dy] }
        func nearest(_ p: [Double]) -> Int {
            let i = min(g - 1, max(0, Int(((p[0] - lo[0]) / dx).rounded())))
            let j = min(g - 1, max(0, Int(((p[1] - lo[1]) / dy).rounded())))
            return i * g + j
        }
        var jet = Density.Jet(dimension: 2)
        var ws = Density.Workspace(density: metric.density)
        func cost(_ p: [Double], _ q: [Double]) -> Double {
            let m = [0.5 * (p[0] + q[0]), 0.5 * (p[1] + q[1])]
            metric.density.evaluateScore(at: m, jet: &jet, workspace: &ws)
            let v = [q[0] - p[0], q[1] - p[1]]
            let c = metric.squaredNorm(v, jet: jet, logShift: logShift).squareRoot()
            return c.isFinite ? c : Double.greatestFiniteMagnitude / 1e10
        }
        let moves = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1),
                     (1, 2), (1, -2), (-1, 2), (-1, -2), (2, 1), (2, -1), (-2, 1), (-2, -1)]
        let source = nearest(a), target = nearest(b)
        var dist = [Double](repeating: .infinity, count: g * g)
        var prev = [Int](repeating: -1, count: g * g)
        var heap = MinHeap()
        dist[source] = 0
        heap.push(0, source)
        while let (dcur, u) = heap.pop() {
            if dcur > dist[u] { continue }
            if u == target { break }
            let ui = u / g, uj = u % g
            let pu = point(ui, uj)
            for (di, dj) in moves {
                let vi = ui + di, vj = uj + dj
                guard vi >= 0, vi < g, vj >= 0, vj < g else { continue }
                let v = vi * g + vj
                let nd = dcur + cost(pu, point(vi, vj))
                if nd < dist[v] { dist[v] = nd; prev[v] = u; heap.push(nd, v) }
            }
        }
        guard dist[target].isFinite else { return nil }
        var nodes: [Int] = []
        var c = target
        while c != -1 { nodes.append(c); c = prev[c] }
        nodes.reverse()
        var out = [a]
        for n in nodes.dropFirst().dropLast() { out.append(point(n / g, n % g)) }
        out.append(b)
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
