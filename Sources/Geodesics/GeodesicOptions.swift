import Foundation

/// Options of the boundary value solver (`POST /v1/geodesics`).
public struct GeodesicOptions: Sendable, Equatable {
    /// Number of curve segments N (the returned path has N + 1 points). Default 64.
    public var nodes: Int
    /// Relative gradient tolerance of the energy minimisation: stop when max|∇E_h| ≤ tol·max(1, E_h).
    public var tolerance: Double
    /// Start from several curves (at least the straight line and two bulges on either side of it); otherwise only
    /// from the straight line.
    public var multiStart: Bool
    /// Refine the discrete geodesic internally (2N, 4N, … segments up to 1024, until its length settles)
    /// and polish it by single or multiple shooting (log map), so that the length and the path (the exact
    /// geodesic sampled at N + 1 equal times) are exact up to the integrator tolerance instead of O(h²).
    public var polish: Bool
    /// With `multiStart`: search globally for the shortest of the distinct routes, also starting from the locally
    /// shortest routes of a grid graph (2-D) and from curves through and around the nearest component means
    /// (see `StartingCurves`); otherwise only the straight line and the two bulges.
    public var globalSearch: Bool
    /// Iteration cap of the damped Newton method.
    public var maxIterations: Int

    public init(nodes: Int = 64, tolerance: Double = 1e-9, multiStart: Bool = true, polish: Bool = true, globalSearch: Bool = true,
                maxIterations: Int = 200) {
        self.nodes = nodes
        self.tolerance = tolerance
        self.multiStart = multiStart
        self.polish = polish
        self.globalSearch = globalSearch
        self.maxIterations = maxIterations
    }

    func validate(limits: GeodesicLimits) throws {
        guard nodes >= limits.minNodes, nodes <= limits.maxNodes else {
            throw GeodesicsError.invalidInput(field: "nodes", message: "nodes must be between \(limits.minNodes) and \(limits.maxNodes), got \(nodes)")
        }
        guard tolerance.isFinite, tolerance >= 1e-14, tolerance <= 1e-2 else {
            throw GeodesicsError.invalidInput(field: "tolerance", message: "tolerance must be a number in [1e-14, 1e-2]")
        }
        guard maxIterations >= 1, maxIterations <= 10_000 else {
            throw GeodesicsError.invalidInput(field: "maxIterations", message: "maxIterations must be between 1 and 10000")
        }
    }
}
