import Foundation

/// A GeoJSON `Polygon` or `MultiPolygon` geometry as it arrives in a request ([lng, lat] positions).
/// Decodes both shapes; `polygon(field:limits:)` validates and builds the S2Polygon.
public struct S2GeoJSONPolygon: Sendable, Hashable, Codable {
    public var type: String
    /// Polygons, each a list of rings, each a list of positions [lng, lat(, alt)].
    public var polygons: [[[[Double]]]]

    public init(type: String, polygons: [[[[Double]]]]) { self.type = type; self.polygons = polygons }
    /// A `Polygon` with the given rings (first the shell, then holes).
    public init(rings: [[[Double]]]) { type = "Polygon"; polygons = [rings] }

    enum CodingKeys: String, CodingKey { case type, coordinates }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(String.self, forKey: .type)
        switch type {
        case "Polygon": polygons = [try c.decode([[[Double]]].self, forKey: .coordinates)]
        case "MultiPolygon": polygons = try c.decode([[[[Double]]]].self, forKey: .coordinates)
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "expected Polygon or MultiPolygon")
        }
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        if type == "Polygon", polygons.count == 1 { try c.encode(polygons[0], forKey: .coordinates) }
        else { try c.encode(polygons, forKey: .coordinates) }
    }

    /// Validates (type, closed rings of ≥ 4 positions, finite in-range [lng, lat], vertex limit,
    /// no crossing edges) and returns the polygon. Ring orientation is free: each ring is normalised
    /// to enclose less than half the sphere, and loops nest by containment.
    public func polygon(field: String, limits: S2Limits = .default) throws -> S2Polygon {
        guard type == "Polygon" || type == "MultiPolygon" else {
            throw S2Error.invalid(field: field + ".type", message: "type must be Polygon or MultiPolygon")
        }
        guard !polygons.isEmpty else { throw S2Error.invalid(field: field + ".coordinates", message: "at least one polygon is required") }
        var loops: [S2Loop] = []
        var total = 0
        for (pi, rings) in polygons.enumerated() {
            let pfield = type == "Polygon" ? field + ".coordinates" : field + ".coordinates[\(pi)]"
            guard !rings.isEmpty else { throw S2Error.invalid(field: pfield, message: "a polygon needs at least one ring") }
            for (ri, ring) in rings.enumerated() {
                let rfield = pfield + "[\(ri)]"
                guard ring.count >= 4 else { throw S2Error.invalid(field: rfield, message: "a ring needs at least 4 positions (closed)") }
                total += ring.count - 1
                guard total <= limits.maxPolygonVertices else {
                    throw S2Error.tooExpensive(field: field, message: "polygons may have at most \(limits.maxPolygonVertices) vertices")
                }
                var pts: [S2Point] = []
                pts.reserveCapacity(ring.count)
                for (k, pos) in ring.enumerated() {
                    guard pos.count == 2 || pos.count == 3 else {
                        throw S2Error.invalid(field: rfield + "[\(k)]", message: "a position is [lng, lat] (optionally with altitude)")
                    }
                    let ll = try S2Validation.latLng(lat: pos[1], lng: pos[0], field: rfield + "[\(k)]")
                    pts.append(ll.point)
                }
                guard ring.first!.prefix(2) == ring.last!.prefix(2) else {
                    throw S2Error.invalid(field: rfield, message: "a ring must be closed: the last position must equal the first")
                }
                pts.removeLast()
                loops.append(S2Loop(pts))
            }
        }
        let poly = S2Polygon(loops: loops)
        try poly.validate(field: field)
        return poly
    }
}
