import Foundation

/// Length and energy of a curve.
public struct CurveCost: Sendable, Codable, Equatable {
    /// L = ∫_0^1 ‖ẋ‖_g dt.
    public var length: Double
    /// E = ½ ∫_0^1 ẋᵀ g ẋ dt.
    public var energy: Double
}

/// Another local geodesic between the same end points.
public struct AlternativeGeodesic: Sendable, Codable, Equatable {
    public var length: Double
}

/// The answer of the boundary value problem (`POST /v1/geodesics`).
public struct GeodesicResult: Sendable, Codable, Equatable {
    /// The geodesic x(t_i), t_i = i/N, i = 0…N, at (approximately, exactly when polished) constant speed.
    public var path: [[Double]]
    /// Geodesic length.
    public var length: Double
    /// Energy ½∫ẋᵀgẋ dt of the returned curve (= length²/2 at constant speed).
    public var energy: Double
    /// ‖to − from‖.
    public var euclideanDistance: Double
    /// Length and energy of the straight segment from → to (adaptive quadrature).
    public var straightLine: CurveCost
    /// The energy minimisation converged (and, when polishing, shooting hit the end point, or else the
    /// internal refinement settled: its last doubling changed the length by at most 1e−3 relative).
    public var converged: Bool
    /// Newton iterations summed over all starts.
    public var iterations: Int
    /// Largest relative residual ‖ẍ + Γ(x)[ẋ, ẋ]‖/‖ẋ‖² of the geodesic equation at the interior
    /// path points, with second-order central differences (O(h²) by construction).
    public var residual: Double
    /// False when several distinct local geodesics were found.
    public var unique: Bool
    /// The other local geodesics found (longer than, or as long as, the returned one).
    public var alternatives: [AlternativeGeodesic]
    /// The log map: ẋ(0) of the returned geodesic (‖ẋ(0)‖_g = length).
    public var initialVelocity: [Double]
    /// True when the path comes from shooting (length exact to the integrator tolerance);
    /// false when it is the discrete minimiser (length Richardson-extrapolated from two resolutions: N and N/2
    /// without polishing, the two finest internal levels when shooting failed; the error is O(h²) before extrapolation).
    public var polished: Bool
    /// ‖Exp_from(initialVelocity) − to‖_∞ when polished.
    public var shootingResidual: Double?
    /// Number of starting curves tried.
    public var starts: Int
}
