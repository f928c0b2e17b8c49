import Foundation
import HTTPServer
import HTTPTypes
import S2Geometry

/// S2 cells, batches, coverings and cell unions (issue 3) over the `S2Geometry` domain.
///
/// ```
/// GET  /v1/s2/cells?lat=&lng=&level=     the cell containing a point (level defaults to 30)
/// GET  /v1/s2/cells/{token}              the same object for a token or a decimal id
/// POST /v1/s2/cells {points, level}      many points at once (≤ 100,000), in input order
/// POST /v1/s2/coverings {region, …}      covering / interior covering of a rect, cap or polygon;
///                                        Accept: application/geo+json or image/svg+xml for pictures
/// POST /v1/s2/cell-unions {cells, operation, other, minLevel, levelMod}
/// ```
extension Application {
    func registerS2Routes() {
        add(.get, "/v1/s2/cells") { ctx in
            let lat = try ctx.queryDouble("lat", in: -90...90)
            let lng = try ctx.queryDouble("lng", in: -180...180)
            let level = try ctx.queryInt("level", default: 30, in: 0...30)
            return try JSON.response(try S2Operations.cell(lat: lat, lng: lng, level: level))
        }

        add(.get, "/v1/s2/cells/{token}") { ctx in
            let text = ctx.parameter("token")
            do {
                return try JSON.response(try S2Operations.cell(token: text))
            } catch let e as S2Error {
                // A path segment that is no cell at all cannot be read: 400, naming the parameter.
                throw APIError.badRequest(e.message, field: "token")
            }
        }

        add(.post, "/v1/s2/cells") { ctx in
            let body = try ctx.decode(S2BatchRequest.self)
            let level = body.level ?? 30
            let cells = try S2Operations.cells(points: body.points, level: level)
            return try JSON.response(S2BatchResponse(cells: cells))
        }

        let computeTimeout = configuration.computeTimeout
        let admission = s2Admission
        add(.post, "/v1/s2/coverings") { ctx in
            let body = try ctx.decode(S2CoveringBody.self)
            let request = S2CoveringRequest(region: try body.region.region(), minLevel: body.minLevel ?? 0,
                                            maxLevel: body.maxLevel ?? 30, levelMod: body.levelMod ?? 1,
                                            maxCells: body.maxCells ?? 8, interior: body.interior ?? false)
            let format = ctx.negotiate(["application/json", "application/geo+json", "image/svg+xml"])
            // The candidate budget bounds the work to about a second; the configured compute timeout
            // still applies on a machine slow or busy enough to need longer.
            let end = Date().addingTimeInterval(computeTimeout)
            let result = try S2Operations.covering(request, admission: admission, isCancelled: { Date() >= end })
            let drawLimit = format == "image/svg+xml" ? S2Render.maxSVGCells : S2Render.maxGeoJSONCells
            if format != "application/json", result.cells.count > drawLimit {
                let field = request.minLevel > 0 ? "minLevel" : "maxCells"
                throw APIError.invalid(field, "the covering has \(result.cells.count) cells; \(format) is drawn for at most \(drawLimit) (application/json has no such limit); lower \(field)")
            }
            switch format {
            case "application/geo+json":
                return HTTPServerResponse(status: .ok, contentType: "application/geo+json",
                                          bytes: Array(S2Render.geoJSON(cells: result.cells, region: request.region).utf8))
            case "image/svg+xml":
                return HTTPServerResponse(status: .ok, contentType: "image/svg+xml",
                                          bytes: Array(S2Render.svg(cells: result.cells, region: request.region,
                                                                    title: S2Render.title(request, cells: result.cells.count),
                                                                    subtitle: S2Render.subtitle(request)).utf8))
            default:
                return S2CoveringJSON.response(result)
            }
        }

        add(.post, "/v1/s2/cell-unions") { ctx in
            let body = try ctx.decode(S2CellUnionBody.self)
            guard let op = S2CellUnionRequest.Operation(rawValue: body.operation) else {
                throw APIError.invalid("operation", "must be one of " + S2CellUnionRequest.Operation.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let result = try S2Operations.cellUnion(S2CellUnionRequest(cells: body.cells, operation: op, other: body.other,
                                                                       minLevel: body.minLevel ?? 0, levelMod: body.levelMod ?? 1))
            switch result {
            case .cells(let ids): return try JSON.response(S2CellUnionCells(cells: ids.map(\.token)))
            case .contains(let b): return try JSON.response(S2CellUnionContains(contains: b))
            }
        }
    }
}

/// The S2 domain's errors in HTTP form: invalid input and refused expensive requests are 422 naming the
/// field; a batch over the point limit is 413; a cancelled computation 503.
extension S2Error: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case let .invalid(field, message): return .invalid(field, message)
        case let .tooExpensive(field, message):
            if field == "points" || field == "cells" || field == "other" { return .tooLarge(field, message) }
            return .invalid(field, message)
        case .budgetExceeded: return .invalid(field, message)
        case .cancelled: return .unavailable("the computation took longer than this service allows for one request (--compute-timeout)")
        case .busy: return .unavailable(message, retryAfter: 1)
        }
    }
}

struct S2BatchRequest: Decodable {
    var points: [LatLngDegrees]
    var level: Int?
}

struct S2BatchResponse: Encodable {
    var cells: [S2CellRef]
}

/// `region` with exactly one of `rect`, `cap`, `polygon`.
struct S2RegionBody: Decodable {
    struct Rect: Decodable { var lo: LatLngDegrees; var hi: LatLngDegrees }
    struct Cap: Decodable { var center: LatLngDegrees; var radiusMeters: Double }
    var rect: Rect?
    var cap: Cap?
    var polygon: S2GeoJSONPolygon?

    func region() throws -> S2CoveringRegion {
        let given = [rect != nil, cap != nil, polygon != nil].filter { $0 }.count
        guard given == 1 else { throw APIError.invalid("region", "must have exactly one of rect, cap, polygon") }
        if let rect { return .rect(lo: rect.lo, hi: rect.hi) }
        if let cap { return .cap(center: cap.center, radiusMeters: cap.radiusMeters) }
        return .polygon(polygon!)
    }
}

struct S2CoveringBody: Decodable {
    var region: S2RegionBody
    var minLevel: Int?
    var maxLevel: Int?
    var levelMod: Int?
    var maxCells: Int?
    var interior: Bool?
}

struct S2CellUnionBody: Decodable {
    var cells: [String]
    var operation: String
    var other: [String]?
    var minLevel: Int?
    var levelMod: Int?
}

struct S2CellUnionCells: Encodable { var cells: [String] }
struct S2CellUnionContains: Encodable { var contains: Bool }
