import Foundation

/// The picture behind `Accept: image/svg+xml` on `/v1/bounds/compare`: the exact tail and every valid
/// bound as functions of the threshold (deviation for twoSided), on a log₁₀ probability axis, with
/// the requested threshold marked. Returns a self-contained SVG document as a string.
///
/// Every curve stays visible where curves coincide (Chebyshev and Cantelli far out, Bennett and the exact
/// Chernoff form for a Poisson law): each has its own dash pattern and marker shape, markers are staggered
/// along the curve, and the legend says which curves coincide with which. The exact tail of a binomial or
/// Poisson law (or of a mean of them) is a step function of the threshold and is drawn as steps. Axis
/// ticks sit at round numbers (40, 60, 80, … and powers of ten).
public enum ComparisonPlot {
    static let width = 900.0, height = 540.0
    static let left = 80.0, right = 290.0, top = 50.0, bottom = 60.0
    static let samples = 240
    static let palette = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                          "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939"]
    static let dashes = ["", "8,4", "2,3", "10,3,2,3", "5,5", "12,4,3,4,3,4", "1,4", "6,2", "14,6", "4,2,1,2", "3,7", "9,3,1,3,1,3"]
    /// Most steps drawn for a discrete exact tail; finer lattices are drawn as a line (steps under a pixel).
    static let maxSteps = 600

    /// Round tick positions covering [lo, hi]: multiples of 1, 2 or 5 × 10^k, about `count` of them.
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 6) -> [Double] {
        guard hi > lo, (hi - lo).isFinite else { return [lo] }
        let raw = (hi - lo) / Double(count)
        let e = Int(log10(raw).rounded(.down))
        let scale = pow(10, Double(abs(e)))
        // step = m · 10^e; ticks k·m·10^e formed as (k·m)·10^e or (k·m)/10^−e, so 0.15 is 0.15, not 0.15000000000000002.
        func value(_ k: Double, _ m: Double) -> Double { e >= 0 ? k * m * scale : k * m / scale }
        let m = [1.0, 2, 2.5, 5, 10].first { value(1, $0) >= raw * (1 - 1e-12) } ?? 10
        var out: [Double] = []
        var k = (lo / value(1, m) - 1e-9).rounded(.up)
        while value(k, m) <= hi + value(1, m) * 1e-9 && out.count < 50 {
            out.append(value(k, m) == 0 ? 0 : value(k, m))
            k += 1
        }
        return out
    }

    /// Jump points of the exact tail of a discrete law inside [lo, hi], sorted; nil for continuous laws
    /// or when there are too many to draw as steps.
    static func jumps(_ distribution: Distribution, _ tail: Tail, _ lo: Double, _ hi: Double) -> [Double]? {
        guard let scale = distribution.latticeScale.map(Double.init) else { return nil }
        func lattice(_ a: Double, _ b: Double) -> [Double]? {
            let first = (a * scale).rounded(.up), last = (b * scale).rounded(.down)
            guard last >= first else { return [] }
            guard last - first <= Double(maxSteps) else { return nil }
            return stride(from: first, through: last, by: 1).map { $0 / scale }
        }
        switch tail {
        case .upper, .lower: return lattice(lo, hi)
        case .twoSided:
            let m = distribution.mean
            guard let above = lattice(m + lo, m + hi), let below = lattice(m - hi, m - lo) else { return nil }
            let points = (above.map { $0 - m } + below.map { m - $0 }).filter { $0 > lo && $0 <= hi }.sorted()
            return points.count <= maxSteps ? points : nil
        }
    }

    public static func svg(_ distribution: Distribution, _ tail: Tail, _ threshold: Double) -> String {
        let mean = distribution.mean
        let sd = distribution.variance.squareRoot()
        let t: Double
        switch tail {
        case .upper: t = threshold - mean
        case .lower: t = mean - threshold
        case .twoSided: t = threshold
        }
        let span = 2 * max(t, sd)
        // The axis: thresholds from the mean outwards (upper/lower) or deviations from 0 (twoSided).
        let axisLo: Double, axisHi: Double
        switch tail {
        case .upper: (axisLo, axisHi) = (mean, mean + span)
        case .lower: (axisLo, axisHi) = (mean - span, mean)
        case .twoSided: (axisLo, axisHi) = (0, span)
        }
        let xs: [Double] = (1...samples).map { i in
            let step = span * Double(i) / Double(samples)
            switch tail {
            case .upper: return mean + step
            case .lower: return mean - span + step - span / Double(samples)
            case .twoSided: return step
            }
        }
        let model = BoundModel(distribution)
        var order: [String] = []
        var table: [String: [Double?]] = [:]
        for (i, x) in xs.enumerated() {
            for e in model.evaluate(tail, x) where e.valid {
                let label = e.form.map { "\(e.name) (\($0))" } ?? e.name
                if table[label] == nil {
                    table[label] = Array(repeating: nil, count: xs.count)
                    order.append(label)
                }
                let b = min(1, e.raw)
                table[label]![i] = b > 0 ? b : nil
            }
        }
        // The exact tail: steps at the lattice jumps of a discrete law, else sampled.
        var exactPoints: [(Double, Double?)] = []
        if let jumps = jumps(distribution, tail, axisLo, axisHi) {
            let edges = [axisLo] + jumps + [axisHi]
            for (a, b) in zip(edges, edges.dropFirst()) where b > a {
                let p = distribution.probability(tail, (a + b) / 2)   // constant between jumps
                exactPoints.append((a, p > 0 ? p : nil))
                exactPoints.append((b, p > 0 ? p : nil))
            }
        } else {
            exactPoints = xs.map { x in let p = distribution.probability(tail, x); return (x, p > 0 ? p : nil) }
        }
        let isStep = jumps(distribution, tail, axisLo, axisHi) != nil
        var series: [(label: String, points: [(Double, Double?)])] = [("exact", exactPoints)]
        for label in order { series.append((label, zip(xs, table[label]!).map { ($0, $1) })) }

        let logs = series.flatMap { $0.points.compactMap { $0.1.map(log10) } }
        let low = max(-300, (logs.min() ?? -1).rounded(.down))
        let yMin = min(low, -1), yMax = 0.0
        let plotW = width - left - right, plotH = height - top - bottom
        let xSpan = axisHi > axisLo ? axisHi - axisLo : 1
        func px(_ x: Double) -> Double { left + (x - axisLo) / xSpan * plotW }
        func py(_ ly: Double) -> Double { top + (yMax - max(ly, yMin)) / (yMax - yMin) * plotH }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }

        // Which bound curves coincide with another: identical, within 0.02 decades (a pixel or two) everywhere,
        // or over at least a third of the range (Chebyshev and Cantelli far out). The legend says so.
        func closeness(_ a: [(Double, Double?)], _ b: [(Double, Double?)]) -> (worst: Double, fraction: Double)? {
            var worst = 0.0, shared = 0, close = 0
            for (p, q) in zip(a, b) {
                guard let u = p.1, let v = q.1, u < 1 || v < 1 else { continue }   // both clamped at 1 says nothing
                let d = abs(log10(u) - log10(v))
                worst = max(worst, d)
                shared += 1
                if d <= 0.02 { close += 1 }
            }
            return shared > 0 ? (worst, Double(close) / Double(shared)) : nil
        }
        var notes: [Int: String] = [:]
        for i in 1..<max(1, series.count) {
            for j in 1..<series.count where j != i {
                guard let c = closeness(series[i].points, series[j].points), c.fraction >= 1.0 / 3 else { continue }
                let note = c.worst <= 1e-9 ? "same curve as " : c.fraction >= 1 ? "overlaps " : "overlaps in part "
                notes[i] = note + series[j].label
                break
            }
        }

        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>

        """
        let event: String
        switch tail {
        case .upper: event = "P(X ≥ x)"
        case .lower: event = "P(X ≤ x)"
        case .twoSided: event = "P(|X − μ| ≥ x)"
        }
        s += "<text x=\"\(f(left))\" y=\"24\" font-size=\"15\">\(escape(event)): exact tail and bounds, \(escape(describe(distribution)))</text>\n"
        // Frame, grid at powers of ten and round thresholds.
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333\"/>\n"
        let decades = Int(yMax - yMin)
        let step = [1, 2, 5, 10, 20, 50, 100].first { decades / $0 <= 10 } ?? 100
        var d = 0
        while d <= decades {
            let ly = yMax - Double(d)
            s += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(py(ly)))\" y2=\"\(f(py(ly)))\" stroke=\"#ddd\"/>\n"
            let exponent = Int(ly)
            let text = exponent == 0 ? "1" : "10<tspan dy=\"-6\" font-size=\"9\">\(exponent < 0 ? "−" : "")\(abs(exponent))</tspan>"
            s += "<text x=\"\(f(left - 8))\" y=\"\(f(py(ly) + 4))\" text-anchor=\"end\">\(text)</text>\n"
            d += step
        }
        for x in ticks(axisLo, axisHi) {
            s += "<line x1=\"\(f(px(x)))\" x2=\"\(f(px(x)))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\" stroke=\"#eee\"/>\n"
            s += "<line x1=\"\(f(px(x)))\" x2=\"\(f(px(x)))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH + 5))\" stroke=\"#333\"/>\n"
            s += "<text x=\"\(f(px(x)))\" y=\"\(f(top + plotH + 20))\" text-anchor=\"middle\">\(label(x))</text>\n"
        }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 15))\" text-anchor=\"middle\">\(tail == .twoSided ? "deviation x" : "threshold x")</text>\n"
        s += "<text transform=\"translate(20 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">probability (log scale)</text>\n"
        // The requested threshold.
        if threshold >= axisLo && threshold <= axisHi {
            s += "<line x1=\"\(f(px(threshold)))\" x2=\"\(f(px(threshold)))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\" stroke=\"#555\" stroke-dasharray=\"5,4\"/>\n"
            s += "<text x=\"\(f(px(threshold) + 4))\" y=\"\(f(top + plotH - 8))\" fill=\"#555\">x = \(label(threshold))</text>\n"
        }
        s += "<clipPath id=\"plot\"><rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\"/></clipPath>\n"
        // Curves, bounds first and the exact tail last (on top); markers staggered so coincident curves show both.
        var legendY = top + 10
        for index in (1..<series.count).map({ $0 }) + [0] {
            let curve = series[index]
            let color = index == 0 ? "#000000" : palette[(index - 1) % palette.count]
            let dash = index == 0 ? "" : dashes[(index - 1) % dashes.count]
            let widthAttr = index == 0 ? "2.5" : "1.8"
            var path = ""
            var pen = false
            var markers: [(Double, Double)] = []
            for (i, point) in curve.points.enumerated() {
                guard let v = point.1 else { pen = false; continue }
                let (x, y) = (px(point.0), py(log10(v)))
                path += (pen ? " L" : " M") + "\(f(x)) \(f(y))"
                pen = true
                if index > 0 && (i + 3 * index) % 24 == 0 { markers.append((x, y)) }
            }
            let dashAttr = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            if !path.isEmpty {
                s += "<path d=\"\(path.dropFirst())\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(widthAttr)\"\(dashAttr) clip-path=\"url(#plot)\"/>\n"
            }
            for (x, y) in markers { s += marker(index, x, y, color) }
        }
        for (index, curve) in series.enumerated() {
            let color = index == 0 ? "#000000" : palette[(index - 1) % palette.count]
            let dash = index == 0 ? "" : dashes[(index - 1) % dashes.count]
            let x0 = width - right + 15
            s += "<line x1=\"\(f(x0))\" x2=\"\(f(x0 + 34))\" y1=\"\(f(legendY))\" y2=\"\(f(legendY))\" stroke=\"\(color)\" stroke-width=\"\(index == 0 ? 2.5 : 1.8)\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>\n"
            if index > 0 { s += marker(index, x0 + 17, legendY, color) }
            s += "<text x=\"\(f(x0 + 42))\" y=\"\(f(legendY + 4))\">\(escape(curve.label))</text>\n"
            if index == 0 && isStep {
                legendY += 14
                s += "<text x=\"\(f(x0 + 42))\" y=\"\(f(legendY + 4))\" font-size=\"10\" fill=\"#555\">steps: the law lives on a lattice</text>\n"
            }
            if let note = notes[index] {
                legendY += 14
                s += "<text x=\"\(f(x0 + 42))\" y=\"\(f(legendY + 4))\" font-size=\"10\" fill=\"#555\">\(escape(note))</text>\n"
            }
            legendY += 20
        }
        s += "</svg>\n"
        return s
    }

    /// A small marker of a shape per series: circle, square, triangle, diamond, cross, plus.
    static func marker(_ index: Int, _ x: Double, _ y: Double, _ color: String) -> String {
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        let r = 3.5
        switch (index - 1) % 6 {
        case 0: return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(r)\" fill=\"white\" stroke=\"\(color)\" stroke-width=\"1.5\"/>\n"
        case 1: return "<rect x=\"\(f(x - r))\" y=\"\(f(y - r))\" width=\"\(2 * r)\" height=\"\(2 * r)\" fill=\"\(color)\"/>\n"
        case 2: return "<path d=\"M\(f(x)) \(f(y - r - 1)) L\(f(x + r + 1)) \(f(y + r)) L\(f(x - r - 1)) \(f(y + r)) Z\" fill=\"\(color)\"/>\n"
        case 3: return "<path d=\"M\(f(x)) \(f(y - r - 1)) L\(f(x + r + 1)) \(f(y)) L\(f(x)) \(f(y + r + 1)) L\(f(x - r - 1)) \(f(y)) Z\" fill=\"white\" stroke=\"\(color)\" stroke-width=\"1.5\"/>\n"
        case 4: return "<path d=\"M\(f(x - r)) \(f(y - r)) L\(f(x + r)) \(f(y + r)) M\(f(x + r)) \(f(y - r)) L\(f(x - r)) \(f(y + r))\" stroke=\"\(color)\" stroke-width=\"1.8\"/>\n"
        default: return "<path d=\"M\(f(x - r - 1)) \(f(y)) L\(f(x + r + 1)) \(f(y)) M\(f(x)) \(f(y - r - 1)) L\(f(x)) \(f(y + r + 1))\" stroke=\"\(color)\" stroke-width=\"1.8\"/>\n"
        }
    }

    static func label(_ x: Double) -> String {
        let a = abs(x)
        if a != 0 && (a >= 1e5 || a < 1e-3) { return String(format: "%.3g", x) }
        return String(format: "%.4g", x)
    }

    static func describe(_ d: Distribution) -> String {
        switch d {
        case .binomial(let n, let p): return "Binomial(n = \(n), p = \(label(p)))"
        case .poisson(let lambda): return "Poisson(λ = \(label(lambda)))"
        case .normal(let m, let sd): return "Normal(μ = \(label(m)), σ = \(label(sd)))"
        case .exponential(let rate): return "Exponential(rate = \(label(rate)))"
        case .uniform(let a, let b): return "Uniform[\(label(a)), \(label(b))]"
        case .sampleMean(let base, let n): return "mean of \(n) × \(describe(base))"
        }
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
