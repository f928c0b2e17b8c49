import Foundation

/// An SVG bar chart of a Benford analysis: observed proportions as bars, Benford's expected
/// proportions as a line with dots, for `Accept: image/svg+xml`.
public enum BenfordChart {
    /// A self-contained SVG document (UTF-8 text) of `width` × `height` pixels.
    public static func svg(_ result: BenfordResult, width: Int = 720, height: Int = 400) -> String {
        let w = Double(max(200, min(width, 4000))), h = Double(max(150, min(height, 4000)))
        let left = 56.0, right = 16.0, top = 40.0, bottom = 44.0
        let plotW = w - left - right, plotH = h - top - bottom
        let bins = result.observed.count
        let maxP = max(result.observed.map(\.proportion).max() ?? 0, result.expected.map(\.proportion).max() ?? 0, 1e-9) * 1.1
        let slot = plotW / Double(bins)
        func x(_ i: Int) -> Double { left + slot * (Double(i) + 0.5) }
        func y(_ p: Double) -> Double { top + plotH * (1 - p / maxP) }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }

        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" viewBox="0 0 \(Int(w)) \(Int(h))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(w / 2))" y="22" text-anchor="middle" font-size="14">Benford \(result.test.rawValue): N = \(result.count), χ² = \(String(format: "%.2f", result.chiSquare)), p = \(String(format: "%.3g", result.pValue)), MAD = \(String(format: "%.4f", result.mad)) (\(result.conformity))</text>
        <line x1="\(f(left))" y1="\(f(top + plotH))" x2="\(f(left + plotW))" y2="\(f(top + plotH))" stroke="black"/>
        <line x1="\(f(left))" y1="\(f(top))" x2="\(f(left))" y2="\(f(top + plotH))" stroke="black"/>

        """
        for tick in 0...4 {
            let p = maxP * Double(tick) / 4
            s += "<line x1=\"\(f(left - 4))\" y1=\"\(f(y(p)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y(p)))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y(p) + 4))\" text-anchor=\"end\">\(String(format: "%.3f", p))</text>\n"
        }
        let labelEvery = bins > 30 ? 10 : 1
        for (i, bin) in result.observed.enumerated() {
            let barW = slot * 0.7
            s += "<rect x=\"\(f(x(i) - barW / 2))\" y=\"\(f(y(bin.proportion)))\" width=\"\(f(barW))\" height=\"\(f(top + plotH - y(bin.proportion)))\" fill=\"#4a7ab5\"><title>\(bin.digit): \(bin.count) (\(String(format: "%.4f", bin.proportion)))</title></rect>\n"
            if bin.digit % labelEvery == 0 || bins <= 30 {
                s += "<text x=\"\(f(x(i)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(bin.digit)</text>\n"
            }
        }
        let points = result.expected.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element.proportion)))" }.joined(separator: " ")
        s += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"#d0402b\" stroke-width=\"2\"/>\n"
        if bins <= 30 {
            for (i, e) in result.expected.enumerated() {
                s += "<circle cx=\"\(f(x(i)))\" cy=\"\(f(y(e.proportion)))\" r=\"3\" fill=\"#d0402b\"/>\n"
            }
        }
        s += "<text x=\"\(f(left + plotW))\" y=\"\(f(h - 8))\" text-anchor=\"end\"><tspan fill=\"#4a7ab5\">■ observed</tspan>  <tspan fill=\"#d0402b\">● Benford</tspan></text>\n"
        s += "</svg>\n"
        return s
    }
}
