import Foundation

/// A GeoJSON `Polygon` or `MultiPolygon` geometry as it arrives in a request ([lng, lat] positions).
/// Decodes both shapes; `polygon(field:limits:)` validates and builds the S2Polygon.
///
/// As RFC 7946 allows: a `bbox` member (§5: [west, south, east, north], or with altitudes
/// [west, south, low, east, north, high]) is accepted and validated (4 or 6 numbers, longitudes
/// −180…180, latitudes −90…90, south ≤ north, low ≤ high; west > east crosses the antimeridian), but not
/// used: the covering follows the coordinates. Foreign members (§6.1, any other name) are accepted and
/// ignored, except the three that make an object another GeoJSON type, which a geometry must not have
/// (§7.1): `geometry`, `properties` and `features` (a Feature or FeatureCollection sent in place of its
/// geometry) are refused naming the member.
public struct S2GeoJSONPolygon: Sendable, Hashable, Codable {
    public var type: String
    /// Polygons, each a list of rings, each a list of positions [lng, lat(, alt)].
    public var polygons: [[[[Double]]]]
    /// The GeoJSON `bbox` member, if given (validated by `polygon(field:limits:)`, otherwise unused).
    public var bbox: [Double]?
    /// Members of other GeoJSON types found on this geometry (`geometry`, `properties`, `features`).
    public var misplacedMembers: [String] = []

    public init(type: String, polygons: [[[[Double]]]], bbox: [Double]? = nil) {
        self.type = type; self.polygons = polygons; self.bbox = bbox
    }
    /// A `Polygon` with the given rings (first the shell, then holes).
    public init(rings: [[[Double]]]) { type = "Polygon"; polygons = [rings] }

    enum CodingKeys: String, CodingKey { case type, coordinates, bbox }
    /// Any member name: reads the foreign members so that a strict decoder counts them as handled.
    struct MemberName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
    /// Member names that define another GeoJSON type (RFC 7946 §7.1).
    static let otherTypesMembers: Set<String> = ["geometry", "properties", "features"]

    public init(from decoder: Decoder) throws {
        let members = try decoder.container(keyedBy: MemberName.self)
        for key in members.allKeys where CodingKeys(stringValue: key.stringValue) == nil {
            _ = try members.decodeNil(forKey: key)
            if Self.otherTypesMembers.contains(key.stringValue) { misplacedMembers.append(key.stringValue) }
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bbox = try c.decodeIfPresent([Double].self, forKey: .bbox)
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
        try c.encodeIfPresent(bbox, forKey: .bbox)
    }

    /// Checks the `bbox` member's shape (RFC 7946 §5): 4 or 6 numbers, in range, south ≤ north, low ≤ high.
    func validateBBox(field: String) throws {
        guard let b = bbox else { return }
        let f = field + ".bbox"
        guard b.count == 4 || b.count == 6 else {
            throw S2Error.invalid(field: f, message: "a bbox is [west, south, east, north] or [west, south, low, east, north, high] (4 or 6 numbers), got \(b.count)")
        }
        let n = b.count / 2
        for (k, name) in [(0, "west"), (n, "east")] where !(-180...180).contains(b[k]) {
            throw S2Error.invalid(field: f + "[\(k)]", message: "the \(name) longitude must be within −180…180, got \(b[k])")
        }
        for (k, name) in [(1, "south"), (n + 1, "north")] where !(-90...90).contains(b[k]) {
            throw S2Error.invalid(field: f + "[\(k)]", message: "the \(name) latitude must be within −90…90, got \(b[k])")
        }
        guard b[1] <= b[n + 1] else {
            throw S2Error.invalid(field: f, message: "south (\(b[1])) must not be north of north (\(b[n + 1]))")
        }
        if n == 3, b[2] > b[5] {
            throw S2Error.invalid(field: f, message: "the low altitude (\(b[2])) must not be above the high one (\(b[5]))")
        }
    }

    /// Validates (type, closed rings of ≥ 4 positions, finite in-range [lng, lat], vertex limit,
    /// no crossing edges) and returns the polygon. Ring orientation is free: each ring is normalised
    /// to enclose less than half the sphere, and loops nest by containment.
    public func polygon(field: String, limits: S2Limits = .default) throws -> S2Polygon {
        guard type == "Polygon" || type == "MultiPolygon" else {
            throw S2Error.invalid(field: field + ".type", message: "type must be Polygon or MultiPolygon")
        }
        if let name = misplacedMembers.first {
            throw S2Error.invalid(field: field + "." + name,
                message: "a GeoJSON geometry must not have a '\(name)' member (RFC 7946 §7.1): send the geometry of a Feature, not the Feature")
        }
        try validateBBox(field: field)
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
