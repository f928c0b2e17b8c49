import Foundation

/// Plain-string renderings of coverings: a GeoJSON FeatureCollection and an SVG picture
/// (equirectangular projection). No I/O; the Service layer sends the strings.
public enum S2Render {
    /// Points along the boundary of a cell, counter-clockwise. Cell edges are straight lines in
    /// (u, v), so interpolating in (u, v) gives points exactly on the geodesic edges; cells above
    /// level 8 get `segments` points per edge so that large cells look right on a flat map.
    public static func cellBoundary(_ id: S2CellId, segments: Int? = nil) -> [S2LatLng] {
        let cell = S2Cell(id)
        let n = segments ?? (id.level < 8 ? 8 : 1)
        var out: [S2LatLng] = []
        for k in 0..<4 {
            let (u0, v0) = cell.uv.vertex(k), (u1, v1) = cell.uv.vertex((k + 1) & 3)
            for s in 0..<n {
                let t = Double(s) / Double(n)
                let p = S2Coords.faceUVtoXYZ(cell.face, u0 + (u1 - u0) * t, v0 + (v1 - v0) * t).normalized
                out.append(S2LatLng(p))
            }
        }
        return out
    }

    /// Longitudes made continuous along a ring (may leave [−180, 180] for rings crossing the antimeridian).
    static func unwrap(_ ring: [S2LatLng]) -> [(lng: Double, lat: Double)] {
        var out: [(Double, Double)] = []
        var prev: Double? = nil
        for ll in ring {
            var lng = ll.lng.degrees
            if let p = prev {
                while lng - p > 180 { lng -= 360 }
                while lng - p < -180 { lng += 360 }
            }
            out.append((lng, ll.lat.degrees))
            prev = lng
        }
        return out
    }

    static func num(_ x: Double) -> String {
        if x == x.rounded() && Swift.abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }

    /// Outline of the request region as lat/lng rings (rect sides sampled, cap as 96 points).
    public static func regionRings(_ region: S2CoveringRegion) -> [[S2LatLng]] {
        switch region {
        case let .rect(lo, hi):
            var hiLng = hi.lng
            if hiLng < lo.lng { hiLng += 360 }
            let n = 16
            var ring: [S2LatLng] = []
            for k in 0..<n { ring.append(S2LatLng(latDegrees: lo.lat, lngDegrees: lo.lng + (hiLng - lo.lng) * Double(k) / Double(n))) }
            for k in 0..<n { ring.append(S2LatLng(latDegrees: lo.lat + (hi.lat - lo.lat) * Double(k) / Double(n), lngDegrees: hiLng)) }
            for k in 0..<n { ring.append(S2LatLng(latDegrees: hi.lat, lngDegrees: hiLng - (hiLng - lo.lng) * Double(k) / Double(n))) }
            for k in 0..<n { ring.append(S2LatLng(latDegrees: hi.lat - (hi.lat - lo.lat) * Double(k) / Double(n), lngDegrees: lo.lng)) }
            return [ring]
        case let .cap(center, meters):
            // Points at angular distance θ in every direction: rotate the pole-centred circle.
            let c = center.s2LatLng.point
            let theta = meters / S2Cap.earthRadiusMeters
            let u = c.ortho, w = c.cross(u)
            return [(0..<96).map { k in
                let phi = 2 * Double.pi * Double(k) / 96
                let p = cos(theta) * c + sin(theta) * (cos(phi) * u + sin(phi) * w)
                return S2LatLng(p)
            }]
        case let .polygon(g):
            // Edges are geodesics: points every degree or so along each, so long edges bend as they should.
            return g.polygons.flatMap { $0.map { ring in
                let pts = ring.dropLast().map { S2LatLng(latDegrees: $0[1], lngDegrees: $0[0]).point }
                var out: [S2LatLng] = []
                for (k, a) in pts.enumerated() {
                    let b = pts[(k + 1) % pts.count]
                    let steps = Swift.max(1, Swift.min(180, Int(a.angle(b) * 180 / Double.pi)))
                    for s in 0..<steps {
                        let t = Double(s) / Double(steps)
                        out.append(S2LatLng(s == 0 ? a : ((1 - t) * a + t * b).normalized))
                    }
                }
                return out
            } }
        }
    }

    /// GeoJSON FeatureCollection: one Polygon feature per cell with properties {id, token, level},
    /// and optionally the region outline with property {role: "region"}.
    public static func geoJSON(cells: [S2CellId], region: S2CoveringRegion? = nil) -> String {
        var features: [String] = []
        func ringJSON(_ ring: [S2LatLng]) -> String {
            var pts = unwrap(ring)
            if let f = pts.first { pts.append(f) }
            return "[" + pts.map { "[\(num($0.lng)),\(num($0.lat))]" }.joined(separator: ",") + "]"
        }
        if let region {
            let rings = regionRings(region).map(ringJSON)
            features.append(#"{"type":"Feature","properties":{"role":"region"},"geometry":{"type":"MultiLineString","coordinates":["# + rings.joined(separator: ",") + "]}}")
        }
        for c in cells {
            features.append(#"{"type":"Feature","properties":{"id":""# + String(c.id) + #"","token":""# + c.token
                + #"","level":"# + String(c.level) + #"},"geometry":{"type":"Polygon","coordinates":["# + ringJSON(cellBoundary(c)) + "]}}")
        }
        return #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}"
    }

    /// Largest covering drawn as SVG (a picture of more cells shows nothing a person can read, and
    /// each cell costs about 200 bytes of SVG).
    public static let maxSVGCells = 20_000
    /// Largest covering sent as GeoJSON (about 250 bytes a cell).
    public static let maxGeoJSONCells = 200_000

    /// The picture's title: what was covered and how many cells came back.
    public static func title(_ r: S2CoveringRequest, cells: Int) -> String {
        let what: String
        switch r.region {
        case let .rect(lo, hi):
            let dLng = hi.lng >= lo.lng ? hi.lng - lo.lng : hi.lng - lo.lng + 360
            what = hi.lat - lo.lat >= 180 && dLng >= 360 ? "the whole sphere"
                : "a rectangle of \(significant(hi.lat - lo.lat))° × \(significant(dLng))°"
        case let .cap(_, m):
            what = m >= Double.pi * S2Cap.earthRadiusMeters ? "the whole sphere" : "a cap of radius \(distanceText(m / 1000))"
        case let .polygon(g):
            let rings = g.polygons.reduce(0) { $0 + $1.count }
            what = g.polygons.count > 1 ? "\(g.polygons.count) polygons" : rings > 1 ? "a polygon with \(rings - 1) hole\(rings > 2 ? "s" : "")" : "a polygon"
        }
        return "\(r.interior ? "Interior covering" : "Covering") of \(what): \(grouped(cells)) cell\(cells == 1 ? "" : "s")"
    }

    /// The options line under the title.
    public static func subtitle(_ r: S2CoveringRequest) -> String {
        "minLevel \(r.minLevel) · maxLevel \(r.maxLevel) · levelMod \(r.levelMod) · maxCells \(grouped(r.maxCells))"
    }

    /// SVG picture of a covering: a title band, the cells (coloured by level, with a legend) over a
    /// graticule with labelled degrees, the region outlined in red, a scale bar, and each cell's token
    /// where it fits inside the cell without touching another label (larger cells first; the footer
    /// says how many are labelled). Projection: x = longitude · k, y = latitude, with k = cos(mid
    /// latitude) (at least 0.25) so that shapes keep their proportions at the middle of the view; a view
    /// wider than 360° shows one turn of the globe, with cells crossing its edge drawn on both sides.
    /// Cells around a pole are closed through it.
    public static func svg(cells: [S2CellId], region: S2CoveringRegion? = nil, width: Int = 800,
                           title: String? = nil, subtitle: String? = nil) -> String {
        typealias P = (lng: Double, lat: Double)
        // Rings with continuous longitudes, all brought near one reference longitude.
        var cellRings: [[P]] = cells.map { unwrap(cellBoundary($0)) }
        var regionRings: [[P]] = region.map { S2Render.regionRings($0).map(S2Render.unwrap) } ?? []
        let ref = regionRings.first.map { r in (r.map(\.lng).min()! + r.map(\.lng).max()!) / 2 }
            ?? cellRings.first?.first?.lng ?? 0
        func shift(_ r: [P]) -> [P] {
            guard let lo = r.map(\.lng).min(), let hi = r.map(\.lng).max() else { return r }
            var d = 0.0
            while (lo + hi) / 2 + d - ref > 180 { d -= 360 }
            while (lo + hi) / 2 + d - ref < -180 { d += 360 }
            return r.map { ($0.lng + d, $0.lat) }
        }
        cellRings = cellRings.map(shift)
        regionRings = regionRings.map(shift)
        // Cells around a pole are filled up to it, so the view takes the pole in.
        let filled = cellRings.map(closedThroughPole)
        let pts = (filled + regionRings).flatMap { $0 }
        var minX = pts.map(\.lng).min() ?? -180, maxX = pts.map(\.lng).max() ?? 180
        var minY = pts.map(\.lat).min() ?? -90, maxY = pts.map(\.lat).max() ?? 90
        if maxX - minX > 300 { minX = ref - 180; maxX = ref + 180 }
        if maxY - minY < 1e-9 { minY -= 1e-6; maxY += 1e-6 }
        if maxX - minX < 1e-9 { minX -= 1e-6; maxX += 1e-6 }
        let padY = (maxY - minY) * 0.04
        minY = Swift.max(-90, minY - padY); maxY = Swift.min(90, maxY + padY)
        if maxX - minX < 359 { let padX = (maxX - minX) * 0.04; minX -= padX; maxX += padX }
        let midLat = (minY + maxY) / 2
        let k = Swift.max(0.25, cos(midLat * .pi / 180))
        // Layout: title band, map, footer (scale bar, then the legend).
        let w = Double(width)
        let left = 56.0, right = 16.0, top = title == nil ? 16.0 : (subtitle == nil ? 40.0 : 58.0), bottom = 76.0
        let mapW = w - left - right
        let mapH = Swift.max(120, Swift.min(3 * mapW, mapW * (maxY - minY) / ((maxX - minX) * k)))
        let h = top + mapH + bottom
        let sx = mapW / (maxX - minX), sy = mapH / (maxY - minY)
        func X(_ lng: Double) -> Double { left + (lng - minX) * sx }
        func Y(_ lat: Double) -> Double { top + (maxY - lat) * sy }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func points(_ r: [P], dx: Double = 0) -> String { r.map { f(X($0.lng + dx)) + "," + f(Y($0.lat)) }.joined(separator: " ") }
        /// The shifts (0, ±360) at which a ring meets the view.
        func copies(_ r: [P]) -> [Double] {
            guard let lo = r.map(\.lng).min(), let hi = r.map(\.lng).max() else { return [] }
            return [0.0, -360, 360].filter { hi + $0 >= minX && lo + $0 <= maxX }
        }

        var s = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(Int(h.rounded()))" viewBox="0 0 \#(width) \#(Int(h.rounded()))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">"#
        s += #"<rect width="100%" height="100%" fill="white"/>"#
        if let title {
            s += "<title>\(escape(title))</title>"
            s += #"<text x="\#(f(left))" y="26" font-size="17" font-weight="bold" fill="rgb(34,34,34)">\#(escape(title))</text>"#
            if let subtitle {
                s += #"<text x="\#(f(left))" y="46" font-size="12" fill="rgb(90,90,90)">\#(escape(subtitle))</text>"#
            }
        }
        s += #"<defs><clipPath id="map"><rect x="\#(f(left))" y="\#(f(top))" width="\#(f(mapW))" height="\#(f(mapH))"/></clipPath></defs>"#
        s += #"<rect x="\#(f(left))" y="\#(f(top))" width="\#(f(mapW))" height="\#(f(mapH))" fill="rgb(248,250,252)" stroke="none"/>"#
        // Graticule with labelled degrees.
        let stepX = graticuleStep(maxX - minX, lines: Swift.max(3, Int(mapW / 120))), stepY = graticuleStep(maxY - minY, lines: Swift.max(3, Int(mapH / 90)))
        s += #"<g stroke="rgb(214,220,228)" stroke-width="1">"#
        var labels = ""
        var g = (minX / stepX).rounded(.up) * stepX
        while g <= maxX + 1e-9 {
            s += #"<line x1="\#(f(X(g)))" y1="\#(f(top))" x2="\#(f(X(g)))" y2="\#(f(top + mapH))"/>"#
            labels += #"<text x="\#(f(X(g)))" y="\#(f(top + mapH + 14))" font-size="11" text-anchor="middle" fill="rgb(90,90,90)">\#(degreesText(g, step: stepX, positive: "E", negative: "W", wrap: true))</text>"#
            g += stepX
        }
        g = (minY / stepY).rounded(.up) * stepY
        while g <= maxY + 1e-9 {
            s += #"<line x1="\#(f(left))" y1="\#(f(Y(g)))" x2="\#(f(left + mapW))" y2="\#(f(Y(g)))"/>"#
            labels += #"<text x="\#(f(left - 5))" y="\#(f(Y(g) + 4))" font-size="11" text-anchor="end" fill="rgb(90,90,90)">\#(degreesText(g, step: stepY, positive: "N", negative: "S", wrap: false))</text>"#
            g += stepY
        }
        s += "</g>" + labels
        // Cells, one colour per level.
        let levels = Array(Set(cells.map(\.level))).sorted()
        let palette = [(78, 121, 167), (242, 142, 43), (89, 161, 79), (225, 87, 89), (118, 183, 178), (237, 201, 72),
                       (176, 122, 161), (156, 117, 95), (186, 176, 172), (255, 157, 167)]
        func colour(_ level: Int) -> (Int, Int, Int) { palette[(levels.firstIndex(of: level) ?? 0) % palette.count] }
        let thin = cells.count > 2000
        s += #"<g clip-path="url(#map)" stroke-width="\#(thin ? "0.5" : "1")" stroke-linejoin="round">"#
        for (n, r) in cellRings.enumerated() {
            let (cr, cg, cb) = colour(cells[n].level)
            let fill = filled[n]
            for dx in copies(r) {
                let paint = #"fill="rgb(\#(cr),\#(cg),\#(cb))" fill-opacity="0.28""#
                let stroke = #"stroke="rgb(\#(cr * 2 / 3),\#(cg * 2 / 3),\#(cb * 2 / 3))""#
                let tip = #"<title>\#(cells[n].token) (level \#(cells[n].level))</title>"#
                if fill.count == r.count {
                    s += #"<polygon points="\#(points(r, dx: dx))" \#(paint) \#(stroke)>\#(tip)</polygon>"#
                } else {
                    // Around a pole: filled up to the pole, outlined along the cell's own edges only.
                    s += #"<polygon points="\#(points(fill, dx: dx))" \#(paint) stroke="none">\#(tip)</polygon>"#
                    s += #"<polyline points="\#(points(r + [fill[r.count]], dx: dx))" fill="none" \#(stroke)/>"#
                }
            }
        }
        for r in regionRings {
            for dx in copies(r) {
                s += #"<polygon points="\#(points(r, dx: dx))" fill="none" stroke="rgb(214,39,40)" stroke-width="2"/>"#
            }
        }
        s += "</g>"
        s += #"<rect x="\#(f(left))" y="\#(f(top))" width="\#(f(mapW))" height="\#(f(mapH))" fill="none" stroke="rgb(120,120,120)" stroke-width="1"/>"#
        // Tokens where they fit: larger cells first, no two labels touching.
        var placed: [(Double, Double, Double, Double)] = []
        var labelled = 0
        // Each cell's box in the view (of its copy that shows most), in pixels.
        let boxes: [(Double, Double, Double, Double)?] = filled.map { r in
            guard let lo = r.map(\.lng).min(), let hi = r.map(\.lng).max() else { return nil }
            let y0 = Y(Swift.min(maxY, r.map(\.lat).max()!)), y1 = Y(Swift.max(minY, r.map(\.lat).min()!))
            let spans = copies(r).map { dx in (X(Swift.max(minX, lo + dx)), X(Swift.min(maxX, hi + dx))) }
            guard let best = spans.max(by: { $0.1 - $0.0 < $1.1 - $1.0 }), best.1 > best.0, y1 > y0 else { return nil }
            return (best.0, y0, best.1, y1)
        }
        let order = boxes.indices.filter { boxes[$0] != nil }.sorted { a, b in
            let ba = boxes[a]!, bb = boxes[b]!
            return (ba.2 - ba.0) * (ba.3 - ba.1) > (bb.2 - bb.0) * (bb.3 - bb.1)
        }
        var text = ""
        for n in order where labelled < 400 {
            let (x0, y0, x1, y1) = boxes[n]!
            let cx = (x0 + x1) / 2, cy = (y0 + y1) / 2
            guard cx > left + 2, cx < left + mapW - 2, cy > top + 8, cy < top + mapH - 4 else { continue }
            let token = cells[n].token
            for size in [11.0, 9.0] {
                let tw = Double(token.count) * size * 0.62 + 4, th = size + 3
                guard tw <= (x1 - x0) * 0.9, th <= (y1 - y0) * 0.8 else { continue }
                let box = (cx - tw / 2, cy - th / 2, cx + tw / 2, cy + th / 2)
                if placed.contains(where: { box.0 < $0.2 + 2 && $0.0 < box.2 + 2 && box.1 < $0.3 + 2 && $0.1 < box.3 + 2 }) { break }
                placed.append(box)
                labelled += 1
                text += #"<text x="\#(f(cx))" y="\#(f(cy + size * 0.35))" font-family="DejaVu Sans Mono, monospace" font-size="\#(Int(size))" text-anchor="middle" fill="rgb(17,34,51)" stroke="white" stroke-width="3" stroke-opacity="0.8" paint-order="stroke">\#(token)</text>"#
                break
            }
        }
        s += text
        // Footer: scale bar (exact along the parallel at the middle latitude) and the legend.
        let kmPerPx = 111.19508 * Swift.max(0.05, cos(midLat * .pi / 180)) / (sx / 1)
        let barKm = roundDown(kmPerPx * mapW * 0.22)
        let barPx = barKm / kmPerPx
        let yb = top + mapH + 36
        s += #"<g stroke="rgb(34,34,34)" stroke-width="1.5"><line x1="\#(f(left))" y1="\#(f(yb))" x2="\#(f(left + barPx))" y2="\#(f(yb))"/><line x1="\#(f(left))" y1="\#(f(yb - 5))" x2="\#(f(left))" y2="\#(f(yb + 5))"/><line x1="\#(f(left + barPx))" y1="\#(f(yb - 5))" x2="\#(f(left + barPx))" y2="\#(f(yb + 5))"/><line x1="\#(f(left + barPx / 2))" y1="\#(f(yb - 3))" x2="\#(f(left + barPx / 2))" y2="\#(f(yb + 3))"/></g>"#
        let along = maxY - minY > 2 ? " along \(degreesText(midLat, step: 0.1, positive: "N", negative: "S", wrap: false))" : ""
        s += #"<text x="\#(f(left + barPx + 8))" y="\#(f(yb + 4))" font-size="12" fill="rgb(34,34,34)">\#(distanceText(barKm))\#(along)</text>"#
        let note = labelled == cells.count ? "" : (labelled == 0 ? "tokens: hover a cell" : "tokens on \(grouped(labelled)) of \(grouped(cells.count)) cells (where they fit)")
        if !note.isEmpty {
            s += #"<text x="\#(f(w - right))" y="\#(f(yb + 4))" font-size="11" text-anchor="end" fill="rgb(90,90,90)">\#(escape(note))</text>"#
        }
        // Legend on its own line: the levels from coarse to fine, then the region.
        var lx = left
        let ly = yb + 24
        func legendItem(_ label: String, swatch: String) {
            if !swatch.isEmpty {
                s += swatch.replacingOccurrences(of: "X0", with: f(lx)).replacingOccurrences(of: "Y0", with: f(ly - 9))
                lx += 17
            }
            s += #"<text x="\#(f(lx))" y="\#(f(ly))" font-size="12" fill="rgb(34,34,34)">\#(escape(label))</text>"#
            lx += Double(label.count) * 7 + 14
        }
        if levels.count <= 8 {
            for level in levels {
                let (cr, cg, cb) = colour(level)
                legendItem("level \(level)", swatch: #"<rect x="X0" y="Y0" width="12" height="10" fill="rgb(\#(cr),\#(cg),\#(cb))" fill-opacity="0.45" stroke="rgb(\#(cr * 2 / 3),\#(cg * 2 / 3),\#(cb * 2 / 3))"/>"#)
            }
        } else {
            legendItem("cells of levels \(levels.first!)–\(levels.last!), one colour a level", swatch: "")
        }
        if region != nil {
            legendItem("region", swatch: #"<rect x="X0" y="Y0" width="12" height="10" fill="none" stroke="rgb(214,39,40)" stroke-width="2"/>"#)
        }
        s += "</svg>"
        return s
    }

    /// A ring that goes once around a pole (its longitudes advance by ±360°) closed through that pole,
    /// so that filling it covers the cap around the pole; other rings unchanged.
    static func closedThroughPole(_ r: [(lng: Double, lat: Double)]) -> [(lng: Double, lat: Double)] {
        guard let first = r.first, let last = r.last else { return r }
        var closing = first.lng - last.lng
        while closing > 180 { closing -= 360 }
        while closing < -180 { closing += 360 }
        let turn = last.lng + closing - first.lng
        guard Swift.abs(turn) > 180 else { return r }
        let pole = r.map(\.lat).reduce(0, +) >= 0 ? 90.0 : -90.0
        return r + [(first.lng + turn, first.lat), (first.lng + turn, pole), (first.lng, pole)]
    }

    /// A round graticule step giving about `lines` lines over `span` degrees.
    static func graticuleStep(_ span: Double, lines: Int) -> Double {
        let steps = [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 45, 60, 90]
        return steps.first { span / $0 <= Double(lines) } ?? 90
    }

    /// 30°N, 0.25°W, 170°E (longitudes wrapped into (−180, 180]).
    static func degreesText(_ v: Double, step: Double, positive: String, negative: String, wrap: Bool) -> String {
        var x = v
        if wrap { while x > 180 { x -= 360 }; while x <= -180 { x += 360 } }
        let decimals = Swift.max(0, Int((-log10(step)).rounded(.up)))
        let a = String(format: "%.\(decimals)f", Swift.abs(x))
        if Double(a) == 0 { return "0°" }
        if wrap && Double(a) == 180 { return "180°" }
        return "\(a)°" + (x > 0 ? positive : negative)
    }

    /// The largest 1, 2 or 5 × 10ⁿ not above x.
    static func roundDown(_ x: Double) -> Double {
        guard x > 0 else { return 1 }
        let p = pow(10, (log10(x)).rounded(.down))
        return [5.0, 2, 1].map { $0 * p }.first { $0 <= x * (1 + 1e-12) } ?? p
    }

    /// "2,000 km", "500 m", "20 cm".
    static func distanceText(_ km: Double) -> String {
        if km >= 1 { return "\(grouped(Int(km.rounded()))) km" }
        if km >= 0.001 { return "\(grouped(Int((km * 1000).rounded()))) m" }
        return "\(Int((km * 100_000).rounded())) cm"
    }

    /// Three significant digits, no trailing zeros: 0.24, 180, 0.000123.
    static func significant(_ x: Double) -> String {
        guard x != 0 else { return "0" }
        let decimals = Swift.max(0, 2 - Int(log10(Swift.abs(x)).rounded(.down)))
        var t = String(format: "%.\(decimals)f", x)
        if t.contains(".") { while t.hasSuffix("0") { t.removeLast() }; if t.hasSuffix(".") { t.removeLast() } }
        return t
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(Swift.abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func escape(_ t: String) -> String {
        t.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
