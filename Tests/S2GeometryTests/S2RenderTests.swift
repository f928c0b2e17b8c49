import Foundation
import Testing
@testable import S2Geometry

/// The covering picture, for small and large coverings alike: token labels never overlap and each
/// names a cell of the covering, the scale bar is a round distance, the title and the options are
/// shown, and every cell is drawn.
@Suite struct S2RenderTests {
    /// The token labels (monospace text) as boxes of their estimated extent.
    static func labels(_ svg: String) -> [(token: String, box: (Double, Double, Double, Double))] {
        let pattern = try! NSRegularExpression(pattern: #"<text x="([-0-9.]+)" y="([-0-9.]+)" font-family="DejaVu Sans Mono, monospace" font-size="([0-9]+)"[^>]*>([0-9a-f]+)</text>"#)
        let ns = svg as NSString
        return pattern.matches(in: svg, range: NSRange(location: 0, length: ns.length)).map { m in
            let x = Double(ns.substring(with: m.range(at: 1)))!, y = Double(ns.substring(with: m.range(at: 2)))!
            let size = Double(ns.substring(with: m.range(at: 3)))!, token = ns.substring(with: m.range(at: 4))
            let w = Double(token.count) * size * 0.6, h = size
            return (token, (x - w / 2, y - h * 0.8, x + w / 2, y + h * 0.2))
        }
    }

    static let requests: [S2CoveringRequest] = {
        var out: [S2CoveringRequest] = [
            S2CoveringRequest(region: .cap(center: .init(lat: -30.1, lng: -51.2), radiusMeters: 5000), maxCells: 16),
            S2CoveringRequest(region: .rect(lo: .init(lat: -30.24, lng: -51.26), hi: .init(lat: -30.0, lng: -51.05)), minLevel: 8, maxLevel: 15, maxCells: 200),
            S2CoveringRequest(region: .polygon(S2GeoJSONPolygon(rings: [[[-73.98, -33.0], [-53.0, -33.7], [-34.8, -7.1], [-50.0, 5.2], [-70.0, -4.0], [-73.98, -33.0]]])), maxCells: 40),
            S2CoveringRequest(region: .cap(center: .init(lat: 90, lng: 0), radiusMeters: 10_007_543), maxCells: 60),
            S2CoveringRequest(region: .rect(lo: .init(lat: -90, lng: -180), hi: .init(lat: 90, lng: 180)), minLevel: 2),
            S2CoveringRequest(region: .rect(lo: .init(lat: -90, lng: -180), hi: .init(lat: 90, lng: 180)), interior: true),
            S2CoveringRequest(region: .rect(lo: .init(lat: -10, lng: 170), hi: .init(lat: 10, lng: -170)), maxCells: 30),
        ]
        var seed: UInt64 = 7
        func next() -> Double { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Double(seed >> 11) / Double(1 << 53) }
        for k in 0..<24 {
            let center = LatLngDegrees(lat: 170 * next() - 85, lng: 360 * next() - 180)
            let meters = pow(10, 1 + 6 * next())
            out.append(S2CoveringRequest(region: .cap(center: center, radiusMeters: meters), maxCells: [8, 50, 200, 1000][k % 4], interior: k % 3 == 2))
        }
        return out
    }()

    @Test func picturesAreReadable() throws {
        for r in Self.requests {
            let cov = try S2Operations.covering(r)
            let title = S2Render.title(r, cells: cov.cells.count)
            let svg = S2Render.svg(cells: cov.cells, region: r.region, title: title, subtitle: S2Render.subtitle(r))
            let what = "\(r.region) maxCells \(r.maxCells)"
            #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
            #expect(svg.contains(">\(S2Render.escape(title))</text>") && svg.contains("maxCells \(S2Render.grouped(r.maxCells))</text>"), "\(what)")
            // Every cell is drawn (once, or twice across the edge of a world-wide view).
            let tips = svg.components(separatedBy: "</title></polygon>").count - 1
            #expect(tips >= cov.cells.count && tips <= 2 * cov.cells.count, "\(what)")
            // Labels: tokens of this covering, no two overlapping.
            let labels = Self.labels(svg)
            let tokens = Set(cov.cells.map(\.token))
            #expect(labels.allSatisfy { tokens.contains($0.token) }, "\(what)")
            #expect(Set(labels.map(\.token)).count == labels.count, "\(what)")
            for i in labels.indices {
                for j in labels.indices where j > i {
                    let a = labels[i].box, b = labels[j].box
                    let overlap = a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
                    #expect(!overlap, "\(what): \(labels[i].token) and \(labels[j].token) overlap")
                }
            }
            if !cov.cells.isEmpty && cov.cells.count <= 8 { #expect(!labels.isEmpty, "\(what)") }
            // A scale bar of a round distance: 1, 2 or 5 × 10ⁿ m or km.
            let scale = try #require(svg.range(of: #">([0-9,]+) (km|m|cm)( along [0-9.]+°[NS]?)?</text>"#, options: .regularExpression), "\(what)")
            let digits = svg[scale].dropFirst().prefix { $0 != " " }.filter { $0 != "," }
            #expect(["1", "2", "5"].contains(String(digits.prefix(1))) && digits.dropFirst().allSatisfy { $0 == "0" }, "\(what): \(svg[scale])")
        }
    }

    @Test func titles() {
        let whole = S2CoveringRegion.rect(lo: .init(lat: -90, lng: -180), hi: .init(lat: 90, lng: 180))
        #expect(S2Render.title(S2CoveringRequest(region: whole, interior: true), cells: 6) == "Interior covering of the whole sphere: 6 cells")
        let porto = S2CoveringRegion.rect(lo: .init(lat: -30.24, lng: -51.26), hi: .init(lat: -30.0, lng: -51.05))
        #expect(S2Render.title(S2CoveringRequest(region: porto), cells: 1) == "Covering of a rectangle of 0.24° × 0.21°: 1 cell")
        let cap = S2CoveringRegion.cap(center: .init(lat: 0, lng: 0), radiusMeters: 2_500_000)
        #expect(S2Render.title(S2CoveringRequest(region: cap), cells: 12_345) == "Covering of a cap of radius 2,500 km: 12,345 cells")
        #expect(S2Render.roundDown(3_700) == 2_000 && S2Render.roundDown(0.07) == 0.05 && S2Render.roundDown(1) == 1)
    }
}
