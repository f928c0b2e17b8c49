import Foundation
import Geodesics
import HTTPServer
import HTTPTypes

/// Geodesics under score-derived metrics (issue 6) over the `Geodesics` domain.
///
/// ```
/// POST /v1/geodesics            {density, metric, from, to, nodes, tolerance} → geodesic;
///                               Accept: image/svg+xml (2-D) → contours, straight line, geodesic
/// POST /v1/geodesics/exp        {density, metric, point, velocity, t, steps} → {endpoint, path, length, speedDrift}
/// POST /v1/geodesics/distances  {density, metric, points, nodes} → {distances}; a job above 32 pairs
/// POST /v1/metric               {density, metric, points, vectors} → {points: [{logDensity, score, tensor, determinant, norm}]}
/// ```
extension Application {
    func registerGeodesicsRoutes() {
        jobs.registerResumable(kind: "geodesic-distances") { spec in
            guard let body = try? JSONDecoder().decode(DistancesRequest.self, from: Data(spec.utf8)) else { return nil }
            return Self.distancesWork(body)
        }
        let computeTimeout = configuration.computeTimeout
        /// Stops an inline computation at the configured limit (the solver polls it between iterations).
        let deadline: @Sendable () -> () -> Bool = {
            let end = Date().addingTimeInterval(computeTimeout)
            return { Date() >= end }
        }
        add(.post, "/v1/geodesics") { ctx in
            let body = try ctx.decode(GeodesicRequest.self)
            let expired = deadline()
            let options = GeodesicOptions(nodes: body.nodes ?? 64, tolerance: body.tolerance ?? 1e-9)
            switch ctx.negotiate(["application/json", "image/svg+xml"]) {
            case "image/svg+xml":
                let svg = try Geodesics.geodesicPicture(density: body.density, metric: body.metric ?? .stein(lambda: 1),
                                                        from: body.from, to: body.to, options: options, isCancelled: expired)
                return HTTPServerResponse(status: .ok, contentType: "image/svg+xml", bytes: Array(svg.utf8))
            default:
                return try JSON.response(try Geodesics.geodesic(density: body.density, metric: body.metric ?? .stein(lambda: 1),
                                                                from: body.from, to: body.to, options: options, isCancelled: expired))
            }
        }

        add(.post, "/v1/geodesics/exp") { ctx in
            let body = try ctx.decode(ExpRequest.self)
            return try JSON.response(try Geodesics.exponentialMap(density: body.density, metric: body.metric ?? .stein(lambda: 1),
                                                                  point: body.point, velocity: body.velocity,
                                                                  t: body.t ?? 1, steps: body.steps ?? 64, isCancelled: deadline()))
        }

        add(.post, "/v1/geodesics/distances", idempotency: .instance) { ctx in
            let body = try ctx.decode(DistancesRequest.self)
            let metric = body.metric ?? .stein(lambda: 1)
            let options = Self.distanceOptions(body)
            if Geodesics.distancePairCount(points: body.points.count) <= 32 {
                let d = try Geodesics.distances(density: body.density, metric: metric, points: body.points, options: options,
                                                isCancelled: deadline())
                return try JSON.response(DistancesResponse(distances: d))
            }
            // Validate synchronously (422 before a job exists) with a trivial point set of the same shape.
            _ = try Geodesics.evaluateMetric(density: body.density, metric: metric, points: body.points)
            guard body.points.count <= GeodesicLimits.default.maxDistancePoints else {
                throw APIError.invalid("points", "at most \(GeodesicLimits.default.maxDistancePoints) points are allowed, got \(body.points.count)")
            }
            // The request itself is the spec: any replica sharing the database can rebuild the work from it.
            return try self.startJob(kind: "geodesic-distances", spec: String(decoding: ctx.request.body, as: UTF8.self),
                                     Self.distancesWork(body))
        }

        add(.post, "/v1/metric") { ctx in
            let body = try ctx.decode(MetricRequest.self)
            let r = try Geodesics.evaluateMetric(density: body.density, metric: body.metric ?? .stein(lambda: 1),
                                                 points: body.points, vectors: body.vectors)
            return try JSON.response(MetricResponse(points: r.map(MetricPointDTO.init)))
        }
    }
}

extension Application {
    /// Pairwise distances use the local solve from the straight line: a matrix of up to thousands of pairs cannot afford
    /// the global search of every pair (the single-geodesic route does that).
    fileprivate static func distanceOptions(_ body: DistancesRequest) -> GeodesicOptions {
        GeodesicOptions(nodes: body.nodes ?? 32, polish: false, globalSearch: false)
    }

    /// The distance-matrix job body.
    fileprivate static func distancesWork(_ body: DistancesRequest) -> @Sendable (JobContext) throws -> String {
        let metric = body.metric ?? .stein(lambda: 1)
        let options = distanceOptions(body)
        return { job in
            do {
                let d = try Geodesics.distances(density: body.density, metric: metric, points: body.points, options: options,
                                                progress: { job.progress($0, of: $1) },
                                                isCancelled: { job.isCancelled || job.isShuttingDown })
                return String(decoding: try JSON.encoder.encode(DistancesResponse(distances: d)), as: UTF8.self)
            } catch GeodesicsError.cancelled {
                throw JobCancelled()
            }
        }
    }
}

private struct GeodesicRequest: Decodable, Sendable {
    var density: DensitySpec
    var metric: MetricSpec?
    var from: [Double]
    var to: [Double]
    var nodes: Int?
    var tolerance: Double?
}

private struct ExpRequest: Decodable, Sendable {
    var density: DensitySpec
    var metric: MetricSpec?
    var point: [Double]
    var velocity: [Double]
    var t: Double?
    var steps: Int?
}

private struct DistancesRequest: Decodable, Sendable {
    var density: DensitySpec
    var metric: MetricSpec?
    var points: [[Double]]
    var nodes: Int?
}

private struct DistancesResponse: Encodable { var distances: [[Double]] }

private struct MetricRequest: Decodable, Sendable {
    var density: DensitySpec
    var metric: MetricSpec?
    var points: [[Double]]
    var vectors: [[Double]]?
}

/// Metric values at a point; conformal entries that overflow a double are null (see logDeterminant).
private struct MetricPointDTO: Encodable {
    var logDensity: Double
    var score: [Double]
    var tensor: [[Double?]]
    var determinant: Double?
    var logDeterminant: Double
    var norm: Double?

    init(_ e: RiemannianMetric.PointEvaluation) {
        logDensity = e.logDensity
        score = e.score
        tensor = e.tensor.map { $0.map { $0.isFinite ? $0 : nil } }
        determinant = e.determinant.isFinite ? e.determinant : nil
        logDeterminant = e.logDeterminant
        norm = e.norm.flatMap { $0.isFinite ? $0 : nil }
    }
}

private struct MetricResponse: Encodable { var points: [MetricPointDTO] }

/// The geodesics domain's errors in HTTP form: invalid input is 422 naming the field.
extension GeodesicsError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .invalidInput(let field, let message): return .invalid(field, message)
        case .cancelled: return .unavailable("the computation took longer than this service allows for one request (--compute-timeout); use fewer nodes or points")
        }
    }
}
