import Foundation

/// An SVG picture of a 2-D geodesic problem: the density as filled bands of log p with contour lines (marching
/// squares on a 96×96 grid, levels max log p − k, k = 1…8, the maximum taken over the view), the component means
/// (or sample points), the straight segment (dashed), the other local geodesics found (dotted) and the geodesic,
/// inside a square frame with equal scales on both axes, ticks at round coordinates, a title naming the metric
/// and a legend with the lengths. Plain string, no dependencies.
struct GeodesicPlot {
    let metric: RiemannianMetric
    /// Side of the square plot area in pixels.
    var size = 560.0
    var grid = 96

    private let top = 56.0, right = 24.0
    /// Approximate advance of a 12 px tick-label character (DejaVu Sans digits are 0.64 em).
    static let tickCharWidth = 7.7

    func svg(from a: [Double], to b: [Double], result: GeodesicResult, alternatives: [[[Double]]] = []) -> String {
        // View: the curves and end points, plus nearby component means, with a margin.
        var lo = [min(a[0], b[0]), min(a[1], b[1])], hi = [max(a[0], b[0]), max(a[1], b[1])]
        for p in result.path + alternatives.flatMap({ $0 }) {
            lo[0] = min(lo[0], p[0]); lo[1] = min(lo[1], p[1]); hi[0] = max(hi[0], p[0]); hi[1] = max(hi[1], p[1])
        }
        let span0 = max(hi[0] - lo[0], hi[1] - lo[1], 1e-9)
        let means = metric.density.meanPoints()
        // Nearby components with two standard deviations around their means.
        let centre = [0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1])]
        for (k, m) in means.enumerated().prefix(4096) where abs(m[0] - centre[0]) < 2 * span0 && abs(m[1] - centre[1]) < 2 * span0 {
            let sd = metric.density.standardDeviations(component: k)
            for c in 0..<2 {
                lo[c] = min(lo[c], m[c] - 2 * sd[c])
                hi[c] = max(hi[c], m[c] + 2 * sd[c])
            }
        }
        let span = 1.1 * max(hi[0] - lo[0], hi[1] - lo[1], 1e-9)
        let x0 = 0.5 * (lo[0] + hi[0]) - span / 2, y0 = 0.5 * (lo[1] + hi[1]) - span / 2
        let w = size
        // Ticks at whole multiples of a round step (no accumulated drift). The left margin holds the widest y label
        // and the axis name beside it; x labels are thinned to every second or fifth tick when they would touch.
        let step = GeodesicPlot.tickStep(span)
        let decimals = max(0, Int((-log10(step)).rounded(.up)) + (step / pow(10, log10(step).rounded(.down)) == 2.5 ? 1 : 0))
        func ticks(_ start: Double) -> [(value: Double, index: Double, label: String)] {
            let first = (start / step).rounded(.up), last = ((start + span) / step + 1e-9).rounded(.down)
            guard first <= last else { return [] }
            // At most ten: the step gives five to eight; the cap only matters where coordinates dwarf the span.
            return (0...Int(min(last - first, 10))).map { i in
                let k = first + Double(i)
                return (k * step, k, GeodesicPlot.label(k * step, decimals))
            }
        }
        let xTicks = ticks(x0), yTicks = ticks(y0)
        func textWidth(_ s: String) -> Double { Double(s.count) * GeodesicPlot.tickCharWidth }
        let yLabelWidth = yTicks.map { textWidth($0.label) }.max() ?? 0
        let left = max(64, (yLabelWidth + 9 + 26).rounded(.up))
        let xLabelWidth = xTicks.map { textWidth($0.label) }.max() ?? 0
        let xEvery = [1, 2, 5].first { Double($0) * step / span * w >= xLabelWidth + 8 } ?? 10
        func px(_ x: Double) -> Double { left + (x - x0) / span * w }
        func py(_ y: Double) -> Double { top + w - (y - y0) / span * w }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        func num(_ v: Double) -> String { String(format: "%.6g", v) }

        // Sample log p at the grid corners; the maximum over the view sets the levels.
        let g = grid
        var values = [Double](repeating: 0, count: (g + 1) * (g + 1))
        var jet = Density.Jet(dimension: 2)
        var ws = Density.Workspace(density: metric.density)
        var peak = -Double.infinity
        for i in 0...g {
            for j in 0...g {
                let x = [x0 + span * Double(i) / Double(g), y0 + span * Double(j) / Double(g)]
                metric.density.evaluateScore(at: x, jet: &jet, workspace: &ws)
                values[i * (g + 1) + j] = jet.logDensity
                peak = max(peak, jet.logDensity)
            }
        }
        let levels = 8
        let height = top + w + 150
        let width = left + w + right
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(f(left))\" y=\"24\" font-size=\"17\" font-weight=\"bold\">\(title(result))</text>\n"
        out += "<text x=\"\(f(left))\" y=\"44\" font-size=\"13\" fill=\"#444\">\(escape(metricDescription()))</text>\n"
        out += "<defs><clipPath id=\"frame\"><rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(w))\" height=\"\(f(w))\"/></clipPath></defs>\n"
        out += "<g clip-path=\"url(#frame)\">\n"

        // Filled regions {log p ≥ peak − k}, k = 8 (lightest) … 1 (darkest) painted in turn, each one path: cells
        // entirely inside merged into row runs, boundary cells clipped at the level (linear along cell edges).
        let palette = ["#f5f9fc", "#e8f0f8", "#d9e7f3", "#c8dcee", "#b5d0e7", "#a0c2df", "#8ab4d7", "#74a5ce"]
        for k in stride(from: levels, through: 1, by: -1) {
            let level = peak - Double(k)
            var d = ""
            for j in 0..<g {
                var runStart = -1
                for i in 0...g {
                    let inside = i < g && [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)].allSatisfy { values[$0.0 * (g + 1) + $0.1] >= level }
                    if inside {
                        if runStart < 0 { runStart = i }
                        continue
                    }
                    if runStart >= 0 {
                        let xa = px(x0 + span * Double(runStart) / Double(g)), xb = px(x0 + span * Double(i) / Double(g))
                        let ya = py(y0 + span * Double(j) / Double(g)), yb = py(y0 + span * Double(j + 1) / Double(g))
                        d += "M\(f(xa)),\(f(ya))H\(f(xb))V\(f(yb))H\(f(xa))Z"
                        runStart = -1
                    }
                    guard i < g else { continue }
                    // Boundary cell: Sutherland–Hodgman clip of the cell against {v ≥ level}.
                    let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
                    let v = corners.map { values[$0.0 * (g + 1) + $0.1] }
                    var poly: [(Double, Double)] = []
                    for e in 0..<4 {
                        let (p, q) = (e, (e + 1) % 4)
                        if v[p] >= level { poly.append((Double(corners[p].0), Double(corners[p].1))) }
                        if (v[p] >= level) != (v[q] >= level) {
                            let t = (level - v[p]) / (v[q] - v[p])
                            poly.append((Double(corners[p].0) + t * Double(corners[q].0 - corners[p].0),
                                         Double(corners[p].1) + t * Double(corners[q].1 - corners[p].1)))
                        }
                    }
                    guard poly.count >= 3 else { continue }
                    for (m, pt) in poly.enumerated() {
                        d += (m == 0 ? "M" : "L") + "\(f(px(x0 + span * pt.0 / Double(g)))),\(f(py(y0 + span * pt.1 / Double(g))))"
                    }
                    d += "Z"
                }
            }
            if !d.isEmpty { out += "<path fill=\"\(palette[levels - k])\" d=\"\(d)\"/>\n" }
        }

        // Contour lines by marching squares.
        out += "<g fill=\"none\" stroke=\"#2c5d8a\" stroke-opacity=\"0.55\" stroke-width=\"0.8\">\n"
        for k in 1...levels {
            let level = peak - Double(k)
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
            if !d.isEmpty { out += "<path d=\"\(d)\"/>\n" }
        }
        out += "</g>\n"

        // Component means (a cross each) or, for a sample density, the sample points (dots).
        let visible = means.filter { $0[0] >= x0 && $0[0] <= x0 + span && $0[1] >= y0 && $0[1] <= y0 + span }
        if metric.density.isIsotropic {
            out += "<g fill=\"#333\" fill-opacity=\"0.75\">\n"
            for m in visible.prefix(4096) { out += "<circle cx=\"\(f(px(m[0])))\" cy=\"\(f(py(m[1])))\" r=\"2\"/>\n" }
            out += "</g>\n"
        } else {
            out += "<g stroke=\"#333\" stroke-width=\"1.5\">\n"
            for m in visible.prefix(512) {
                let cx = px(m[0]), cy = py(m[1])
                out += "<path d=\"M\(f(cx - 5)),\(f(cy))H\(f(cx + 5))M\(f(cx)),\(f(cy - 5))V\(f(cy + 5))\"/>\n"
            }
            out += "</g>\n"
        }
        // Straight line, other local geodesics, the geodesic, end points.
        out += "<line x1=\"\(f(px(a[0])))\" y1=\"\(f(py(a[1])))\" x2=\"\(f(px(b[0])))\" y2=\"\(f(py(b[1])))\" stroke=\"#555\" stroke-width=\"1.8\" stroke-dasharray=\"7,5\"/>\n"
        for alt in alternatives {
            let pts = alt.map { "\(f(px($0[0]))),\(f(py($0[1])))" }.joined(separator: " ")
            out += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"#e08a00\" stroke-width=\"2\" stroke-dasharray=\"2,4\" stroke-linecap=\"round\"/>\n"
        }
        let pts = result.path.map { "\(f(px($0[0]))),\(f(py($0[1])))" }.joined(separator: " ")
        out += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"#c8102e\" stroke-width=\"2.8\" stroke-linejoin=\"round\"/>\n"
        for (p, name) in [(a, "from"), (b, "to")] {
            let cx = px(p[0]), cy = py(p[1])
            out += "<circle cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"5\" fill=\"black\" stroke=\"white\" stroke-width=\"1.5\"/>\n"
            out += "<text x=\"\(f(cx + 8))\" y=\"\(f(cy - 8))\" font-size=\"13\" font-weight=\"bold\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">\(name)</text>\n"
        }
        out += "</g>\n"

        // Frame, ticks at round coordinates and their labels.
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(w))\" height=\"\(f(w))\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.2\"/>\n"
        out += "<g font-size=\"12\" fill=\"#222\">\n"
        for tick in xTicks {
            let x = px(tick.value)
            out += "<line x1=\"\(f(x))\" y1=\"\(f(top + w))\" x2=\"\(f(x))\" y2=\"\(f(top + w + 6))\" stroke=\"#222\"/>\n"
            if tick.index.truncatingRemainder(dividingBy: Double(xEvery)) == 0 {
                out += "<text x=\"\(f(x))\" y=\"\(f(top + w + 20))\" text-anchor=\"middle\">\(tick.label)</text>\n"
            }
        }
        for tick in yTicks {
            let y = py(tick.value)
            out += "<line x1=\"\(f(left - 6))\" y1=\"\(f(y))\" x2=\"\(f(left))\" y2=\"\(f(y))\" stroke=\"#222\"/>\n"
            out += "<text x=\"\(f(left - 9))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(tick.label)</text>\n"
        }
        out += "<text x=\"\(f(left + w / 2))\" y=\"\(f(top + w + 40))\" text-anchor=\"middle\" font-size=\"13\" font-style=\"italic\">x₁</text>\n"
        out += "<text x=\"\(f(left - 9 - yLabelWidth - 10))\" y=\"\(f(top + w / 2))\" text-anchor=\"end\" font-size=\"13\" font-style=\"italic\">x₂</text>\n"
        out += "</g>\n"

        // Legend.
        var y = top + w + 64
        out += "<g font-size=\"13\" fill=\"#222\">\n"
        func entry(_ stroke: String, _ dash: String, _ widthPx: Double, _ text: String) {
            out += "<line x1=\"\(f(left))\" y1=\"\(f(y - 4))\" x2=\"\(f(left + 34))\" y2=\"\(f(y - 4))\" stroke=\"\(stroke)\" stroke-width=\"\(widthPx)\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") stroke-linecap=\"round\"/>\n"
            out += "<text x=\"\(f(left + 44))\" y=\"\(f(y))\">\(escape(text))</text>\n"
            y += 20
        }
        entry("#c8102e", "", 2.8, "geodesic: length \(num(result.length))\(result.converged ? "" : " (not converged)")")
        entry("#555", "7,5", 1.8, "straight line: length \(num(result.straightLine.length)) · euclidean distance \(num(result.euclideanDistance))")
        if !result.alternatives.isEmpty {
            let lengths = result.alternatives.prefix(4).map { num($0.length) }.joined(separator: ", ")
            let more = result.alternatives.count > 4 ? ", …" : ""
            entry("#e08a00", "2,4", 2, "other local geodesic\(result.alternatives.count > 1 ? "s" : ""): length \(lengths)\(more)")
        } else {
            out += "<text x=\"\(f(left + 44))\" y=\"\(f(y))\">every start reached the same geodesic (unique)</text>\n"
            y += 20
        }
        let marks = metric.density.isIsotropic ? "dots: sample points" : "+: component means"
        out += "<text x=\"\(f(left))\" y=\"\(f(y))\" fill=\"#555\" font-size=\"12\">shading: log p, contours 1 apart below its maximum in view · \(marks)</text>\n"
        out += "</g>\n"
        out += "</svg>\n"
        return out
    }

    func title(_ result: GeodesicResult) -> String {
        result.unique ? "Shortest geodesic" : "Shortest of \(result.alternatives.count + 1) local geodesics found"
    }

    func metricDescription() -> String {
        switch metric.spec {
        case .stein(let lambda): return "Stein metric g = I + λ s sᵀ, λ = \(String(format: "%g", lambda))"
        case .conformal(let alpha): return "conformal metric g = p^(−α) I, α = \(String(format: "%g", alpha))"
        }
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A round tick step (1, 2, 2.5 or 5 × 10ᵏ) giving five to eight ticks over `span`.
    static func tickStep(_ span: Double) -> Double {
        let raw = span / 8
        let p = pow(10, log10(raw).rounded(.down))
        for m in [1.0, 2.0, 2.5, 5.0] where m * p >= raw { return m * p }
        return 10 * p
    }

    /// A tick label with a fixed number of decimals and no "-0".
    static func label(_ v: Double, _ decimals: Int) -> String {
        let s = String(format: "%.\(decimals)f", v)
        return Double(s) == 0 ? String(format: "%.\(decimals)f", 0.0) : s.replacingOccurrences(of: "-", with: "−")
    }
}
