import Foundation

/// An SVG picture of a 2-D geodesic problem: contours of log p (marching squares on a 96×96
/// grid, levels max log p − k·Δ, k = 1…8), the straight segment (dashed) and the geodesic (solid),
/// with the end points marked. Plain string, no dependencies.
struct GeodesicPlot {
    let metric: RiemannianMetric
    var size = 640.0
    var grid = 96

    func svg(from a: [Double], to b: [Double], result: GeodesicResult) -> String {
        // View box: the path and end points, plus nearby component means, with a margin.
        var lo = [min(a[0], b[0]), min(a[1], b[1])], hi = [max(a[0], b[0]), max(a[1], b[1])]
        for p in result.path { lo[0] = min(lo[0], p[0]); lo[1] = min(lo[1], p[1]); hi[0] = max(hi[0], p[0]); hi[1] = max(hi[1], p[1]) }
        let span0 = max(hi[0] - lo[0], hi[1] - lo[1], 1e-9)
        for m in metric.density.meanPoints().prefix(512) where abs(m[0] - 0.5 * (lo[0] + hi[0])) < 2 * span0 && abs(m[1] - 0.5 * (lo[1] + hi[1])) < 2 * span0 {
            lo[0] = min(lo[0], m[0]); lo[1] = min(lo[1], m[1]); hi[0] = max(hi[0], m[0]); hi[1] = max(hi[1], m[1])
        }
        var span = max(hi[0] - lo[0], hi[1] - lo[1], 1e-9)
        let c0 = 0.5 * (lo[0] + hi[0]), c1 = 0.5 * (lo[1] + hi[1])
        span *= 1.3
        let x0 = c0 - span / 2, y0 = c1 - span / 2
        func px(_ x: Double) -> Double { (x - x0) / span * size }
        func py(_ y: Double) -> Double { size - (y - y0) / span * size }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }

        // Sample log p.
        let g = grid
        var values = [Double](repeating: 0, count: (g + 1) * (g + 1))
        var jet = Density.Jet(dimension: 2)
        var ws = Density.Workspace(density: metric.density)
        var top = -Double.infinity
        for i in 0...g {
            for j in 0...g {
                let x = [x0 + span * Double(i) / Double(g), y0 + span * Double(j) / Double(g)]
                metric.density.evaluateScore(at: x, jet: &jet, workspace: &ws)
                values[i * (g + 1) + j] = jet.logDensity
                top = max(top, jet.logDensity)
            }
        }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(size))\" height=\"\(Int(size) + 40)\" viewBox=\"0 0 \(Int(size)) \(Int(size) + 40)\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<g fill=\"none\" stroke-width=\"1\">\n"
        let levels = 8
        for k in 1...levels {
            let level = top - Double(k) * 1.0
            let shade = 40 + 20 * k
            var d = ""
            for i in 0..<g {
                for j in 0..<g {
                    let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
                    let v = corners.map { values[$0.0 * (g + 1) + $0.1] }
                    var crossings: [(Double, Double)] = []
                    for e in 0..<4 {
                        let (p, q) = (e, (e + 1) % 4)
                        if (v[p] < level) != (v[q] < level) {
                            let t = (level - v[p]) / (v[q] - v[p])
                            let xa = Double(corners[p].0) + t * Double(corners[q].0 - corners[p].0)
                            let ya = Double(corners[p].1) + t * Double(corners[q].1 - corners[p].1)
                            crossings.append((x0 + span * xa / Double(g), y0 + span * ya / Double(g)))
                        }
                    }
                    var c = 0
                    while c + 1 < crossings.count {
                        d += "M\(f(px(crossings[c].0))),\(f(py(crossings[c].1)))L\(f(px(crossings[c + 1].0))),\(f(py(crossings[c + 1].1)))"
                        c += 2
                    }
                }
            }
            if !d.isEmpty { out += "<path stroke=\"rgb(\(shade),\(shade),\(min(255, shade + 60)))\" d=\"\(d)\"/>\n" }
        }
        out += "</g>\n"
        out += "<line x1=\"\(f(px(a[0])))\" y1=\"\(f(py(a[1])))\" x2=\"\(f(px(b[0])))\" y2=\"\(f(py(b[1])))\" stroke=\"gray\" stroke-width=\"2\" stroke-dasharray=\"6,4\"/>\n"
        let pts = result.path.map { "\(f(px($0[0]))),\(f(py($0[1])))" }.joined(separator: " ")
        out += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"crimson\" stroke-width=\"2.5\"/>\n"
        out += "<circle cx=\"\(f(px(a[0])))\" cy=\"\(f(py(a[1])))\" r=\"5\" fill=\"black\"/>\n"
        out += "<circle cx=\"\(f(px(b[0])))\" cy=\"\(f(py(b[1])))\" r=\"5\" fill=\"black\"/>\n"
        let caption = "geodesic length \(String(format: "%.6g", result.length)) · straight line \(String(format: "%.6g", result.straightLine.length)) · euclidean \(String(format: "%.6g", result.euclideanDistance))"
        out += "<text x=\"10\" y=\"\(Int(size) + 26)\" font-family=\"sans-serif\" font-size=\"14\">\(caption)</text>\n"
        out += "</svg>\n"
        return out
    }
}
