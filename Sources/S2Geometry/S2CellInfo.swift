import Foundation

/// A latitude/longitude pair in degrees, as it travels in JSON (`{lat, lng}`).
public struct LatLngDegrees: Sendable, Hashable, Codable {
    public var lat: Double
    public var lng: Double
    public init(lat: Double, lng: Double) { self.lat = lat; self.lng = lng }
    public init(_ ll: S2LatLng) { lat = ll.lat.degrees; lng = ll.lng.degrees }
    public var s2LatLng: S2LatLng { S2LatLng(latDegrees: lat, lngDegrees: lng) }
}

/// `{id, token, level}`: a cell reference in responses; `id` is the unsigned decimal string.
public struct S2CellRef: Sendable, Hashable, Codable {
    public var id: String
    public var token: String
    public var level: Int
    public init(_ c: S2CellId) { id = String(c.id); token = c.token; level = c.level }
}

/// Everything about one cell, with the field names of `GET /v1/s2/cells`.
public struct S2CellInfo: Sendable, Hashable, Codable {
    public var id: String
    public var token: String
    public var level: Int
    public var face: Int
    /// Centre of the cell (C++ `S2CellId::ToLatLng`).
    public var center: LatLngDegrees
    /// The four vertices, counter-clockwise.
    public var vertices: [LatLngDegrees]
    /// Exact area on the unit sphere.
    public var areaSteradians: Double
    /// areaSteradians · R², R = 6371.01 km.
    public var areaKm2: Double
    /// Parent token; absent at level 0.
    public var parent: String?
    /// Child tokens; absent at level 30.
    public var children: [String]?
    /// Tokens of the four edge neighbours: down, right, up, left.
    public var edgeNeighbors: [String]
    /// Decimal ids of the first and last leaf cells inside.
    public var rangeMin: String
    public var rangeMax: String

    public init(_ cid: S2CellId) {
        let cell = S2Cell(cid)
        id = String(cid.id)
        token = cid.token
        level = cid.level
        face = cid.face
        center = LatLngDegrees(cid.latLng)
        vertices = (0..<4).map { LatLngDegrees(cell.latLngVertex($0)) }
        areaSteradians = cell.exactArea
        let rkm = S2Cap.earthRadiusMeters / 1000
        areaKm2 = areaSteradians * rkm * rkm
        parent = cid.level > 0 ? cid.parent.token : nil
        children = cid.level < S2CellId.maxLevel ? cid.children.map(\.token) : nil
        edgeNeighbors = cid.edgeNeighbors.map(\.token)
        rangeMin = String(cid.rangeMin.id)
        rangeMax = String(cid.rangeMax.id)
    }
}
