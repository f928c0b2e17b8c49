import Foundation

/// Input limits of the geodesics domain. Every public entry point validates against them and
/// throws `GeodesicsError.invalidInput` naming the field that breaks one.
public struct GeodesicLimits: Sendable, Equatable {
    /// Largest data-space dimension.
    public var maxDimension = 256
    /// Largest number of mixture components.
    public var maxComponents = 64
    /// Largest number of KDE sample points.
    public var maxSamples = 4096
    /// Largest number of curve segments of the boundary value solver (`nodes`).
    public var maxNodes = 1024
    /// Smallest number of curve segments.
    public var minNodes = 4
    /// Largest point set for pairwise distances.
    public var maxDistancePoints = 256
    /// Largest point set for metric evaluation.
    public var maxMetricPoints = 10_000
    /// Largest number of output steps of the exponential map.
    public var maxSteps = 100_000
    /// Largest absolute coordinate (points, means, velocities).
    public var maxAbsCoordinate = 1e8
    /// Largest |t| of the exponential map.
    public var maxTime = 1e6
    /// Largest Stein λ.
    public var maxLambda = 1e8
    /// Largest conformal α.
    public var maxAlpha = 100.0
    /// Largest λ‖s‖² at an end point (beyond it the metric is numerically singular).
    public var maxAnisotropy = 1e12

    public init() {}

    /// The default limits.
    public static let `default` = GeodesicLimits()
}
