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
            return g.polygons.flatMap { $0.map { ring in ring.dropLast().map { S2LatLng(latDegrees: $0[1], lngDegrees: $0[0]) } } }
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

    /// SVG picture: cells (translucent, outlined) and the region outline, fitted to the view with a
    /// 5% margin; x = longitude, y = −latitude. Labels cells with their tokens when there are ≤ 64.
    public static func svg(cells: [S2CellId], region: S2CoveringRegion? = nil, width: Int = 800, title: String? = nil) -> String {
        var cellRings: [[(lng: Double, lat: Double)]] = cells.map { unwrap(cellBoundary($0)) }
        typealias P = (lng: Double, lat: Double)
        var regionRings: [[P]] = region.map { S2Render.regionRings($0).map(S2Render.unwrap) } ?? []
        // Bring everything near a common central longitude.
        let all: [P] = (cellRings + regionRings).flatMap { $0 }
        let ref = regionRings.first?.first?.lng ?? all.first?.lng ?? 0
        func shift(_ r: [(lng: Double, lat: Double)]) -> [(lng: Double, lat: Double)] {
            guard let f = r.first else { return r }
            var d = 0.0
            while f.lng + d - ref > 180 { d -= 360 }
            while f.lng + d - ref < -180 { d += 360 }
            return r.map { ($0.lng + d, $0.lat) }
        }
        cellRings = cellRings.map(shift)
        regionRings = regionRings.map(shift)
        let pts: [P] = (cellRings + regionRings).flatMap { $0 }
        var minX = pts.map(\.lng).min() ?? -180, maxX = pts.map(\.lng).max() ?? 180
        var minY = pts.map(\.lat).min() ?? -90, maxY = pts.map(\.lat).max() ?? 90
        if maxX - minX < 1e-12 { minX -= 1e-6; maxX += 1e-6 }
        if maxY - minY < 1e-12 { minY -= 1e-6; maxY += 1e-6 }
        let padX = (maxX - minX) * 0.05, padY = (maxY - minY) * 0.05
        minX -= padX; maxX += padX; minY -= padY; maxY += padY
        let w = Double(width)
        let h = Swift.max(100, Swift.min(4 * w, w * (maxY - minY) / (maxX - minX)))
        func px(_ p: (lng: Double, lat: Double)) -> String {
            let x = (p.lng - minX) / (maxX - minX) * w
            let y = (maxY - p.lat) / (maxY - minY) * h
            return String(format: "%.2f,%.2f", x, y)
        }
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(Int(h.rounded()))" viewBox="0 0 \#(width) \#(Int(h.rounded()))">"#
        s += #"<rect width="100%" height="100%" fill="white"/>"#
        if let title { s += "<title>\(escape(title))</title>" }
        for (k, r) in cellRings.enumerated() {
            s += #"<polygon points="\#(r.map(px).joined(separator: " "))" fill="rgb(74,144,217)" fill-opacity="0.25" stroke="rgb(31,95,168)" stroke-width="1"><title>\#(cells[k].token) (level \#(cells[k].level))</title></polygon>"#
        }
        for r in regionRings {
            s += #"<polygon points="\#(r.map(px).joined(separator: " "))" fill="none" stroke="rgb(217,83,79)" stroke-width="2"/>"#
        }
        if cells.count <= 64 {
            for (k, r) in cellRings.enumerated() where !r.isEmpty {
                let cx = r.map(\.lng).reduce(0, +) / Double(r.count), cy = r.map(\.lat).reduce(0, +) / Double(r.count)
                let p = px((cx, cy)).split(separator: ",")
                s += #"<text x="\#(p[0])" y="\#(p[1])" font-family="monospace" font-size="10" text-anchor="middle" fill="rgb(17,34,51)">\#(cells[k].token)</text>"#
            }
        }
        s += #"<text x="6" y="14" font-family="sans-serif" font-size="12" fill="rgb(51,51,51)">\#(cells.count) cells</text>"#
        s += "</svg>"
        return s
    }

    static func escape(_ t: String) -> String {
        t.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
