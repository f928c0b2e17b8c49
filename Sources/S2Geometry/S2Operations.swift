import Foundation

/// Entry points for the S2 endpoints. Every function validates its input (throwing `S2Error` with
/// the request field name) and bounds its cost before doing any work.
///
/// ```swift
/// let info = try S2Operations.cell(lat: -30.0438, lng: -51.14022, level: 15)
/// let cov = try S2Operations.covering(S2CoveringRequest(region: .cap(center: .init(lat: 0, lng: 0), radiusMeters: 5000)))
/// ```
public enum S2Operations {
    /// `GET /v1/s2/cells?lat=&lng=&level=`: the cell at `level` containing the point.
    public static func cell(lat: Double, lng: Double, level: Int = 30) throws -> S2CellInfo {
        let ll = try S2Validation.latLng(lat: lat, lng: lng, field: "")
        _ = try S2Validation.level(level, field: "level")
        return S2CellInfo(S2CellId(ll).parent(level))
    }
    /// `GET /v1/s2/cells/{token}`: token or decimal id.
    public static func cell(token: String) throws -> S2CellInfo {
        S2CellInfo(try S2Validation.cell(token, field: "token"))
    }
    /// `POST /v1/s2/cells`: the cell at `level` of each point, in input order.
    public static func cells(points: [LatLngDegrees], level: Int = 30, limits: S2Limits = .default) throws -> [S2CellRef] {
        _ = try S2Validation.level(level, field: "level")
        guard points.count <= limits.maxBatchPoints else {
            throw S2Error.tooExpensive(field: "points", message: "at most \(limits.maxBatchPoints) points per request")
        }
        return try points.enumerated().map { k, p in
            S2CellRef(S2CellId(try S2Validation.latLng(p, field: "points[\(k)]")).parent(level))
        }
    }
    /// Leaf-or-level ids without building references (fast path for large batches).
    public static func cellIds(points: [LatLngDegrees], level: Int = 30, limits: S2Limits = .default) throws -> [S2CellId] {
        _ = try S2Validation.level(level, field: "level")
        guard points.count <= limits.maxBatchPoints else {
            throw S2Error.tooExpensive(field: "points", message: "at most \(limits.maxBatchPoints) points per request")
        }
        return try points.enumerated().map { k, p in S2CellId(try S2Validation.latLng(p, field: "points[\(k)]")).parent(level) }
    }

    /// Validates a covering request and returns the prepared region, the options and the estimate.
    /// Refuses in advance (`tooExpensive`) only what certainly passes the running budget: the proven
    /// lower bound `minimumCandidates` over `maxCandidates` (naming minLevel), or over the polygon work
    /// budget at 30 + e units a candidate (naming region.polygon). Everything else runs against the budget.
    public static func plan(_ r: S2CoveringRequest, limits: S2Limits = .default) throws
        -> (region: S2PreparedRegion, options: S2RegionCoverer.Options, estimate: S2CoveringEstimate) {
        let options = try S2Validation.options(minLevel: r.minLevel, maxLevel: r.maxLevel, levelMod: r.levelMod,
                                               maxCells: r.maxCells, limits: limits)
        let region = try S2PreparedRegion(r.region, limits: limits)
        let est = S2CoveringEstimate(region: region, options: options, interior: r.interior)
        if est.trivial { return (region, options, est) }
        if est.minimumCandidates > limits.maxCandidates {
            throw S2Error.tooExpensive(field: "minLevel",
                message: "at minLevel \(r.minLevel) the covering examines at least \(est.minimumCandidates) cells (limit \(limits.maxCandidates)); lower minLevel")
        }
        let budget = candidateBudget(region, limits)
        if budget.polygonBound && est.minimumCandidates > budget.cells {
            throw S2Error.tooExpensive(field: "region.polygon",
                message: "at minLevel \(r.minLevel) the covering examines at least \(est.minimumCandidates) cells × (30 + \(Self.edgesText(region.edgesPerQuery)) polygon edges each), over the limit of \(limits.maxPolygonWork) units; lower minLevel or simplify the polygon")
        }
        return (region, options, est)
    }

    static func edgesText(_ e: Double) -> String { e < 10 ? String(format: "%.1f", e) : String(Int(e.rounded())) }

    /// The running budget of a covering, in candidate cells: `maxCandidates`, and for a polygon at most
    /// maxPolygonWork / (30 + edgesPerQuery).
    static func candidateBudget(_ region: S2PreparedRegion, _ limits: S2Limits) -> (cells: Int, polygonBound: Bool) {
        let cells = limits.maxCandidates
        guard region.edges > 0 else { return (cells, false) }
        let byEdges = Int(Double(limits.maxPolygonWork) / S2CoveringEstimate.polygonCellCost(region.edgesPerQuery))
        return byEdges < cells ? (byEdges, true) : (cells, false)
    }

    /// `POST /v1/s2/coverings`: covering or interior covering, cells sorted by id. The coverer runs
    /// against its running budget (`candidateBudget`); a covering that passes it is `tooExpensive`,
    /// naming the parameter that bounds that work: region.polygon when the polygon work budget stopped
    /// it, minLevel while the coverer was still walking down to minLevel, otherwise maxLevel for an
    /// interior covering (the coverer walks the boundary down to maxLevel when little fits inside) and
    /// maxCells for a covering. With an `admission`, a large covering that finds its places taken stops
    /// with `S2Error.busy`.
    public static func covering(_ r: S2CoveringRequest, limits: S2Limits = .default,
                                admission: S2CoveringAdmission? = nil,
                                progress: (Int, Int) -> Void = { _, _ in },
                                isCancelled: () -> Bool = { false }) throws -> S2CoveringResult {
        let (region, options, est) = try plan(r, limits: limits)
        let applied = S2AppliedOptions(minLevel: options.minLevel, maxLevel: options.maxLevel,
                                       levelMod: options.levelMod, maxCells: options.maxCells, interior: r.interior)
        progress(0, 1)
        if est.trivial {
            progress(1, 1)
            return S2CoveringResult(cells: [], options: applied, estimate: est)
        }
        let budget = candidateBudget(region, limits)
        let coverer = S2RegionCoverer(options: options, maxCandidates: budget.cells, admission: admission)
        let cells: [S2CellId]
        do {
            cells = r.interior
                ? try coverer.interiorCovering(region.region, isCancelled: isCancelled)
                : try coverer.covering(region.region, isCancelled: isCancelled)
        } catch S2Error.budgetExceeded(let field, let limit) {
            if budget.polygonBound {
                throw S2Error.tooExpensive(field: "region.polygon",
                    message: "the covering was stopped after \(limit) cells × (30 + \(edgesText(region.edgesPerQuery)) polygon edges each) (limit \(limits.maxPolygonWork) units); lower maxCells, maxLevel or minLevel, or simplify the polygon")
            }
            throw S2Error.tooExpensive(field: field,
                message: "the covering was stopped after examining \(limit) cells, the limit for one request; lower \(field)\(field == "maxLevel" ? " (or widen the region: nothing fits inside it until cells are narrower than it)" : "")")
        }
        progress(1, 1)
        return S2CoveringResult(cells: cells, options: applied, estimate: est)
    }

    /// `POST /v1/s2/cell-unions`. Inputs are normalised first (as `S2CellUnion` does).
    public static func cellUnion(_ r: S2CellUnionRequest, limits: S2Limits = .default) throws -> S2CellUnionResult {
        func parse(_ list: [String], _ field: String) throws -> S2CellUnion {
            guard list.count <= limits.maxUnionCells else {
                throw S2Error.tooExpensive(field: field, message: "at most \(limits.maxUnionCells) cells per list")
            }
            return S2CellUnion(try list.enumerated().map { try S2Validation.cell($1, field: "\(field)[\($0)]") })
        }
        let a = try parse(r.cells, "cells")
        func otherUnion() throws -> S2CellUnion {
            guard let o = r.other else {
                throw S2Error.invalid(field: "other", message: "operation '\(r.operation.rawValue)' needs 'other'")
            }
            return try parse(o, "other")
        }
        switch r.operation {
        case .normalize:
            return .cells(a.cellIds)
        case .denormalize:
            _ = try S2Validation.level(r.minLevel, field: "minLevel")
            guard (1...3).contains(r.levelMod) else { throw S2Error.invalid(field: "levelMod", message: "levelMod must be 1, 2 or 3") }
            let n = a.denormalizedCount(minLevel: r.minLevel, levelMod: r.levelMod)
            guard n <= UInt64(limits.maxOutputCells) else {
                throw S2Error.tooExpensive(field: "minLevel", message: "denormalizing gives \(n) cells, over the limit of \(limits.maxOutputCells)")
            }
            return .cells(a.denormalized(minLevel: r.minLevel, levelMod: r.levelMod))
        case .union:
            return .cells(a.union(try otherUnion()).cellIds)
        case .intersection:
            return .cells(a.intersection(try otherUnion()).cellIds)
        case .difference:
            return .cells(a.difference(try otherUnion()).cellIds)
        case .contains:
            return .contains(a.contains(try otherUnion()))
        }
    }
}
