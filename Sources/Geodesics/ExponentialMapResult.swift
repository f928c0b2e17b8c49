import Foundation

/// The answer of the exponential map (`POST /v1/geodesics/exp`).
public struct ExponentialMapResult: Sendable, Codable, Equatable {
    /// x(t).
    public var endpoint: [Double]
    /// x(t_j), t_j = j·t/steps, j = 0…steps.
    public var path: [[Double]]
    /// ∫_0^t ‖ẋ‖_g dt (= |t|·‖v‖_g exactly for a geodesic).
    public var length: Double
    /// max_j |ẋᵀgẋ(t_j) − ẋᵀgẋ(0)| / ẋᵀgẋ(0): the drift of the conserved speed.
    public var speedDrift: Double
}
