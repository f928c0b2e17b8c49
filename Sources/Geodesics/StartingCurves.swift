import Foundation

/// The starting curves of the global search for the shortest geodesic between a and b, in order of priority,
/// each a node array of N + 1 points (a and b included):
///
/// 1. the straight segment;
/// 2. two quadratic Bézier bulges, apex ±½‖b − a‖ off the segment along a perpendicular (the rotation by 90° in
///    2-D, a fixed pseudo-random direction in higher dimension);
/// 3. in 2-D, the locally shortest routes of a grid graph (`GridRoutes`: one per route around or between the
///    modes, up to 8), resampled at equal metric arc length;
/// 4. for the component means nearest the segment (measured across it in units of the component's spread), in the
///    plane through a, b and the mean: a curve through the mean (over a mode of a Stein metric, into one of a
///    conformal metric) and one around it on its far side, 2.5 spreads beyond it.
///
/// Starts within 3% of ‖b − a‖ of an earlier one are left out (they lead to the same minimiser). The number of
/// starts is bounded so that the search costs a bounded multiple of one damped-Newton solve: up to 20 in 2-D;
/// in higher dimension one solve costs about N·(d³ + 4Kd²) flops per iteration, and the starts are limited to
/// 3.5·10⁷ flops at 15 iterations each, between 3 (the straight line and the two bulges) and 8 (with 64 segments
/// and 3 components: 8 up to d = 13, 5 at d = 16, 3 from d = 18 on).
struct StartingCurves {
    let metric: RiemannianMetric
    let segments: Int
    var logShift = 0.0
    /// Items 3 and 4 (grid routes, component means); without them only the straight line and the bulges.
    var global = true

    /// Upper bound on the number of starts for a problem size (see the type's documentation).
    static func maxStarts(dimension d: Int, components k: Int, segments n: Int) -> Int {
        if d <= 2 { return 20 }
        let dd = Double(d)
        let perStart = 15 * Double(n) * (dd * dd * dd + 4 * Double(k) * dd * dd)
        return max(3, min(8, Int(3.5e7 / perStart)))
    }

    /// Component means taken into account (nearest the segment first).
    static let maxComponents = 4

    func curves(from a: [Double], to b: [Double], multiStart: Bool) -> [[Double]] {
        let d = metric.dimension, n = segments
        var out: [[Double]] = [straightLine(a, b, n)]
        guard multiStart && d >= 2 else { return out }
        var u = [Double](repeating: 0, count: d)
        for i in 0..<d { u[i] = b[i] - a[i] }
        let euclid = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let limit = Self.maxStarts(dimension: d, components: metric.density.count, segments: n)
        func add(_ c: [Double]) {
            guard out.count < limit, c.allSatisfy(\.isFinite) else { return }
            // Skip a start that stays within 3% of ‖b − a‖ of an earlier one.
            for o in out {
                var dev = 0.0
                for t in 0..<c.count { dev = max(dev, abs(c[t] - o[t])) }
                if dev <= 0.03 * euclid { return }
            }
            out.append(c)
        }
        let perp = perpendicular(u)
        for sign in [1.0, -1.0] {
            var c = [Double](repeating: 0, count: d)
            for i in 0..<d { c[i] = 0.5 * (a[i] + b[i]) + sign * euclid * perp[i] }
            add(bezier(a, c, b, n))
        }
        guard global else { return out }
        if d == 2 {
            for r in GridRoutes(metric: metric, logShift: logShift).routes(from: a, to: b) {
                add(resample(r.points, n))
            }
        }
        for (mean, dir, spread) in nearestComponents(a, b, u) {
            // Through the mean: the Bézier whose apex (t = ½) is the mean; around it: apex 2.5 spreads beyond.
            for apex in [mean, zip(mean, dir).map { $0 + 2.5 * spread * $1 }] {
                var c = [Double](repeating: 0, count: d)
                for i in 0..<d { c[i] = 2 * apex[i] - 0.5 * (a[i] + b[i]) }
                add(bezier(a, c, b, n))
            }
        }
        return out
    }

    /// Up to `maxComponents` component means nearest the segment a b: (mean, unit direction from the segment to the
    /// mean, spread σ = 1/√(r̂ᵀ P r̂) of the component along it), ordered by distance/σ. A mean on the segment uses
    /// the perpendicular of the bulges.
    func nearestComponents(_ a: [Double], _ b: [Double], _ u: [Double]) -> [([Double], [Double], Double)] {
        let density = metric.density, d = density.dimension
        let uu = u.reduce(0) { $0 + $1 * $1 }
        guard uu > 0 else { return [] }
        var ranked: [(Double, [Double], [Double], Double)] = []
        for k in 0..<density.count {
            let mean = Array(density.means[(k * d)..<((k + 1) * d)])
            var t = 0.0
            for i in 0..<d { t += (mean[i] - a[i]) * u[i] }
            t = min(1, max(0, t / uu))
            var r = [Double](repeating: 0, count: d)
            for i in 0..<d { r[i] = mean[i] - (a[i] + t * u[i]) }
            var dist = r.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if dist <= 1e-9 * uu.squareRoot() {
                r = perpendicular(u)
                dist = 0
            } else {
                for i in 0..<d { r[i] /= dist }
            }
            var q = 0.0
            if density.isIsotropic {
                q = density.isotropicPrecision
            } else {
                let po = k * d * d
                for i in 0..<d {
                    var s = 0.0
                    for j in 0..<d { s += density.precisions[po + i * d + j] * r[j] }
                    q += r[i] * s
                }
            }
            let spread = 1 / q.squareRoot()
            guard spread.isFinite, spread > 0 else { continue }
            ranked.append((dist / spread, mean, r, spread))
        }
        ranked.sort { $0.0 < $1.0 }
        return ranked.prefix(Self.maxComponents).map { ($0.1, $0.2, $0.3) }
    }

    func straightLine(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var x = [Double](repeating: 0, count: (n + 1) * a.count)
        for i in 0...n {
            let t = Double(i) / Double(n)
            for k in 0..<a.count { x[i * a.count + k] = a[k] + t * (b[k] - a[k]) }
        }
        return x
    }

    /// Quadratic Bézier (1−t)²a + 2t(1−t)c + t²b.
    func bezier(_ a: [Double], _ c: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var x = [Double](repeating: 0, count: (n + 1) * a.count)
        for i in 0...n {
            let t = Double(i) / Double(n)
            for k in 0..<a.count { x[i * a.count + k] = (1 - t) * (1 - t) * a[k] + 2 * t * (1 - t) * c[k] + t * t * b[k] }
        }
        return x
    }

    /// A unit vector perpendicular to u: the rotation by 90° in 2-D; in higher dimension a fixed
    /// pseudo-random vector (deterministic LCG) with its u-component removed.
    func perpendicular(_ u: [Double]) -> [Double] {
        let d = u.count
        var p: [Double]
        if d == 2 {
            p = [-u[1], u[0]]
        } else {
            var state: UInt64 = 0x9E3779B97F4A7C15
            p = (0..<d).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Double(state >> 11) / Double(1 << 53) - 0.5
            }
            let uu = u.reduce(0) { $0 + $1 * $1 }
            let pu = zip(p, u).reduce(0) { $0 + $1.0 * $1.1 }
            for i in 0..<d { p[i] -= pu / uu * u[i] }
        }
        let norm = p.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return p.map { $0 / norm }
    }

    /// Resample a polyline to n + 1 points equally spaced in (midpoint-rule) metric arc length.
    func resample(_ pts: [[Double]], _ n: Int) -> [Double] {
        let d = metric.dimension
        var jet = Density.Jet(dimension: d)
        var ws = Density.Workspace(density: metric.density)
        var cum = [0.0]
        for i in 1..<pts.count {
            var m = [Double](repeating: 0, count: d), v = m
            for k in 0..<d { m[k] = 0.5 * (pts[i][k] + pts[i - 1][k]); v[k] = pts[i][k] - pts[i - 1][k] }
            metric.density.evaluateScore(at: m, jet: &jet, workspace: &ws)
            let l = metric.squaredNorm(v, jet: jet, logShift: logShift).squareRoot()
            cum.append(cum[cum.count - 1] + (l.isFinite ? l : 0))
        }
        let total = cum[cum.count - 1]
        var out = [Double]()
        var seg = 1
        for i in 0...n {
            let target = total * Double(i) / Double(n)
            while seg < pts.count - 1 && cum[seg] < target { seg += 1 }
            let l0 = cum[seg - 1], l1 = cum[seg]
            let t = l1 > l0 ? min(1, max(0, (target - l0) / (l1 - l0))) : 0
            for k in 0..<d { out.append(pts[seg - 1][k] + t * (pts[seg][k] - pts[seg - 1][k])) }
        }
        return out
    }
}
