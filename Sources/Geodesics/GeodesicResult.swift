import Foundation

/// Length and energy of a curve.
public struct CurveCost: Sendable, Codable, Equatable {
    /// L = ∫_0^1 ‖ẋ‖_g dt.
    public var length: Double
    /// E = ½ ∫_0^1 ẋᵀ g ẋ dt.
    public var energy: Double
}

/// Another local geodesic between the same end points (a distinct minimiser of the curve energy).
public struct AlternativeGeodesic: Sendable, Codable, Equatable {
    /// Its length. Where it could compete with the answer (within 10% on `nodes` segments; in dimension 3 and up
    /// only the two most promising curves) it is refined like the answer (Richardson length of its finest internal
    /// level, relative error ≲ 1e−4); otherwise it is the length on `nodes` segments (O(h²) error, up to a few % on
    /// sharp metrics).
    public var length: Double
    /// The point at half its metric length, to tell the routes apart.
    public var midpoint: [Double]
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
    /// The returned curve is the geodesic to the stated tolerance: the energy minimisation behind it converged at
    /// every level (`energyGradient` ≤ `tolerance`, or no step lowers the energy in floating point any more with
    /// `energyGradient` ≤ 1e−6), and either it is polished (shooting reached `to` within 1e−10·max(1, ‖to − from‖),
    /// see `endpointError`) or its estimated `lengthError` is at most 1e−4.
    public var converged: Bool
    /// Newton iterations summed over all starts and levels.
    public var iterations: Int
    /// max|∇E_h| / max(1, E_h) of the discrete curve energy at the minimiser the answer comes from (the finest
    /// internal level): the residual of the discrete geodesic equations, which the request's `tolerance` bounds.
    public var energyGradient: Double
    /// Estimated relative error of `length`. Polished: the integrator's, the larger of the drift of the conserved
    /// speed ẋᵀgẋ and |∫‖ẋ‖_g dt − ‖ẋ(0)‖_g| / length. Not polished: the Richardson correction
    /// |L_fine − L_coarse| / (3·L_fine) of the two finest levels (the size of the O(h²) error it removed; the
    /// extrapolated length is usually much closer). Nil when there is no estimate.
    public var lengthError: Double?
    /// Polished only: ‖Exp_from(initialVelocity) − to‖∞, how far the integrated geodesic lands from `to`.
    public var endpointError: Double?
    /// True only when every starting curve whose minimisation converged reached the same curve (when polishing, a
    /// minimisation counts as converged when every refinement level converged and the discretisation resolves the
    /// curve). False when several distinct local geodesics were found (they are in `alternatives`), and false when
    /// the minimisation behind the answer did not converge (then no start is known to have reached a geodesic).
    public var unique: Bool
    /// The other local geodesics found, shortest first. None is shorter than the answer beyond the error of its
    /// length: in a near-tie a refined alternative (relative error ≲ 1e−4) can show a length slightly below the
    /// answer's polished one.
    public var alternatives: [AlternativeGeodesic]
    /// The log map: ẋ(0) of the returned geodesic (‖ẋ(0)‖_g = length).
    public var initialVelocity: [Double]
    /// True when the path comes from shooting (length exact to the integrator tolerance);
    /// false when it is the discrete minimiser (length Richardson-extrapolated from two resolutions: N and N/2
    /// without polishing, the two finest internal levels when shooting failed; the error is O(h²) before extrapolation).
    public var polished: Bool
    /// Number of starting curves tried.
    public var starts: Int
}
