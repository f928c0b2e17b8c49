import Foundation

/// The picture behind `Accept: image/svg+xml` on `/v1/bounds/compare`: the exact tail and every valid
/// bound as functions of the threshold (deviation for twoSided), on a log₁₀ probability axis, with
/// the requested threshold marked. Returns a self-contained SVG document as a string.
public enum ComparisonPlot {
    static let width = 860.0, height = 520.0
    static let left = 80.0, right = 230.0, top = 50.0, bottom = 60.0
    static let samples = 160
    static let palette = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                          "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939"]

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
        // Abscissae: thresholds (upper/lower) or deviations (twoSided).
        let xs: [Double] = (1...samples).map { i in
            let step = span * Double(i) / Double(samples)
            switch tail {
            case .upper: return mean + step
            case .lower: return mean - step
            case .twoSided: return step
            }
        }
        let model = BoundModel(distribution)
        var series: [(label: String, values: [Double?])] = [("exact", xs.map { x in
            let p = distribution.probability(tail, x)
            return p > 0 ? p : nil
        })]
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
        for label in order { series.append((label, table[label]!)) }

        let logs = series.flatMap { $0.values.compactMap { $0.map(log10) } }
        let low = max(-300, (logs.min() ?? -1).rounded(.down))
        let yMin = min(low, -1), yMax = 0.0
        let xMin = min(xs.first!, xs.last!), xMax = max(xs.first!, xs.last!)
        let plotW = width - left - right, plotH = height - top - bottom
        // Thresholds can collapse to one double (|mean| ≫ sd): keep the axis finite.
        let xSpan = xMax > xMin ? xMax - xMin : 1
        func px(_ x: Double) -> Double { left + (x - xMin) / xSpan * plotW }
        func py(_ ly: Double) -> Double { top + (yMax - max(ly, yMin)) / (yMax - yMin) * plotH }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }

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
        // Axes and grid.
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333\"/>\n"
        let decades = Int(yMax - yMin)
        let step = max(1, Int((Double(decades) / 10).rounded(.up)))
        var d = 0
        while d <= decades {
            let ly = yMax - Double(d)
            s += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(py(ly)))\" y2=\"\(f(py(ly)))\" stroke=\"#ddd\"/>\n"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(py(ly) + 4))\" text-anchor=\"end\">1e\(Int(ly))</text>\n"
            d += step
        }
        for k in 0...5 {
            let x = xMin + xSpan * Double(k) / 5
            s += "<line x1=\"\(f(px(x)))\" x2=\"\(f(px(x)))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH + 5))\" stroke=\"#333\"/>\n"
            s += "<text x=\"\(f(px(x)))\" y=\"\(f(top + plotH + 20))\" text-anchor=\"middle\">\(label(x))</text>\n"
        }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 15))\" text-anchor=\"middle\">\(tail == .twoSided ? "deviation x" : "threshold x")</text>\n"
        s += "<text transform=\"translate(20 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">probability (log scale)</text>\n"
        // The requested threshold.
        let marked = threshold
        if marked >= xMin && marked <= xMax {
            s += "<line x1=\"\(f(px(marked)))\" x2=\"\(f(px(marked)))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\" stroke=\"#555\" stroke-dasharray=\"5,4\"/>\n"
            s += "<text x=\"\(f(px(marked) + 4))\" y=\"\(f(top + 14))\" fill=\"#555\">x = \(label(marked))</text>\n"
        }
        // Curves.
        for (index, curve) in series.enumerated() {
            let color = index == 0 ? "#000000" : palette[(index - 1) % palette.count]
            var path = ""
            var pen = false
            for (i, v) in curve.values.enumerated() {
                guard let v else { pen = false; continue }
                path += (pen ? " L" : " M") + "\(f(px(xs[i]))) \(f(py(log10(v))))"
                pen = true
            }
            if !path.isEmpty {
                s += "<path d=\"\(path.dropFirst())\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(index == 0 ? 3 : 1.6)\"\(index == 0 ? "" : " stroke-opacity=\"0.9\"")/>\n"
            }
            let ly = top + 10 + Double(index) * 20
            s += "<line x1=\"\(f(width - right + 15))\" x2=\"\(f(width - right + 40))\" y1=\"\(f(ly))\" y2=\"\(f(ly))\" stroke=\"\(color)\" stroke-width=\"\(index == 0 ? 3 : 1.6)\"/>\n"
            s += "<text x=\"\(f(width - right + 46))\" y=\"\(f(ly + 4))\">\(escape(curve.label))</text>\n"
        }
        s += "</svg>\n"
        return s
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
