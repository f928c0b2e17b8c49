import Foundation

/// The region of a covering request: exactly one of a rectangle, a cap or a polygon.
public enum S2CoveringRegion: Sendable, Hashable {
    /// lo/hi corners in degrees; lo.lng > hi.lng crosses the antimeridian.
    case rect(lo: LatLngDegrees, hi: LatLngDegrees)
    /// Centre in degrees and radius in metres on the Earth (R = 6371.01 km).
    case cap(center: LatLngDegrees, radiusMeters: Double)
    /// GeoJSON Polygon or MultiPolygon.
    case polygon(S2GeoJSONPolygon)
}

/// A validated region ready for the coverer, with the quantities the cost estimate needs.
public struct S2PreparedRegion: Sendable {
    public let region: any S2Region
    /// Area on the unit sphere (steradians).
    public let area: Double
    /// Boundary length in radians.
    public let perimeter: Double
    /// A rough smallest width in radians (0 for degenerate regions).
    public let width: Double
    /// Number of polygon edges (0 for rect and cap).
    public let edges: Int
    /// Edges a cell query meets on average (`S2Polygon.edgesPerQuery`; 0 for rect and cap).
    public let edgesPerQuery: Double
    public let rect: S2LatLngRect?
    public let cap: S2Cap?
    public let polygon: S2Polygon?

    /// Validates the region; field names follow the request ("region.rect.lo.lat", …).
    public init(_ r: S2CoveringRegion, limits: S2Limits = .default) throws {
        switch r {
        case let .rect(lo, hi):
            let l = try S2Validation.latLng(lo, field: "region.rect.lo")
            let h = try S2Validation.latLng(hi, field: "region.rect.hi")
            guard lo.lat <= hi.lat else {
                throw S2Error.invalid(field: "region.rect.lo.lat", message: "lo.lat must not exceed hi.lat")
            }
            let rect = S2LatLngRect(lo: l, hi: h)
            self.region = rect
            self.rect = rect; self.cap = nil; self.polygon = nil
            area = rect.area
            // Two meridian sides plus two parallels of length lngSpan·cos(lat).
            let latSpan = rect.lat.length
            let lngSpan = Swift.max(0, rect.lng.length)
            perimeter = 2 * latSpan + lngSpan * (cos(rect.lat.lo) + cos(rect.lat.hi))
            width = Swift.min(latSpan, lngSpan * cos(Swift.max(Swift.abs(rect.lat.lo), Swift.abs(rect.lat.hi))))
            edges = 0
            edgesPerQuery = 0
        case let .cap(center, meters):
            let c = try S2Validation.latLng(center, field: "region.cap.center")
            guard meters.isFinite else { throw S2Error.invalid(field: "region.cap.radiusMeters", message: "radiusMeters must be a finite number") }
            let maxMeters = Double.pi * S2Cap.earthRadiusMeters
            guard meters >= 0, meters <= maxMeters else {
                throw S2Error.invalid(field: "region.cap.radiusMeters", message: "radiusMeters must be within [0, \(Int(maxMeters))]")
            }
            let cap = S2Cap(center: c, radiusMeters: meters)
            self.region = cap
            self.rect = nil; self.cap = cap; self.polygon = nil
            let theta = meters / S2Cap.earthRadiusMeters
            area = cap.area
            perimeter = 2 * Double.pi * sin(theta)
            width = 2 * theta
            edges = 0
            edgesPerQuery = 0
        case let .polygon(g):
            let p = try g.polygon(field: "region.polygon", limits: limits)
            self.region = p
            self.rect = nil; self.cap = nil; self.polygon = p
            area = p.area
            perimeter = p.perimeter
            width = perimeter > 0 ? 2 * area / perimeter : 0
            edges = p.numEdges
            edgesPerQuery = p.edgesPerQuery
        }
    }
}

/// A covering request with the contract's defaults (minLevel 0, maxLevel 30, levelMod 1, maxCells 8).
public struct S2CoveringRequest: Sendable, Hashable {
    public var region: S2CoveringRegion
    public var minLevel: Int
    public var maxLevel: Int
    public var levelMod: Int
    public var maxCells: Int
    public var interior: Bool
    public init(region: S2CoveringRegion, minLevel: Int = 0, maxLevel: Int = 30, levelMod: Int = 1,
                maxCells: Int = 8, interior: Bool = false) {
        self.region = region; self.minLevel = minLevel; self.maxLevel = maxLevel
        self.levelMod = levelMod; self.maxCells = maxCells; self.interior = interior
    }
}

/// The options as applied, echoed in responses.
public struct S2AppliedOptions: Sendable, Hashable, Codable {
    public var minLevel: Int
    public var maxLevel: Int
    public var levelMod: Int
    public var maxCells: Int
    public var interior: Bool
}

/// `{cells, options}` of a covering response; cells sorted by id.
public struct S2CoveringResult: Sendable, Hashable {
    public var cells: [S2CellId]
    public var options: S2AppliedOptions
    public var estimate: S2CoveringEstimate
    public var cellRefs: [S2CellRef] { cells.map(S2CellRef.init) }
}
