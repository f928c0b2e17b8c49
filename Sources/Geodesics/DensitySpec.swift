import Foundation

/// One component of a Gaussian mixture: weight w > 0, mean μ, covariance Σ (symmetric positive definite).
public struct MixtureComponent: Sendable, Codable, Equatable {
    public var weight: Double
    public var mean: [Double]
    public var covariance: [[Double]]

    public init(weight: Double, mean: [Double], covariance: [[Double]]) {
        self.weight = weight
        self.mean = mean
        self.covariance = covariance
    }
}

/// A density on data space, as the API describes it.
///
/// JSON forms (`kind` selects the case):
/// ```json
/// {"kind":"gaussian","mean":[0,0],"covariance":[[1,0.5],[0.5,2]]}
/// {"kind":"mixture","components":[{"weight":1,"mean":[0,0],"covariance":[[1,0],[0,1]]}]}
/// {"kind":"samples","points":[[0,0],[1,1]],"bandwidth":0.3}
/// ```
/// `samples` is the Gaussian KDE p(x) = (1/n) Σ N(x; x_i, σ²I), whose score is the ideal denoiser
/// score at noise level σ: s(x) = (E[x₀ | x] − x)/σ² (Tweedie).
/// Mixture weights need not sum to one; they are normalised.
public enum DensitySpec: Sendable, Codable, Equatable {
    case gaussian(mean: [Double], covariance: [[Double]])
    case mixture(components: [MixtureComponent])
    case samples(points: [[Double]], bandwidth: Double)

    private enum CodingKeys: String, CodingKey {
        case kind, mean, covariance, components, points, bandwidth
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "gaussian":
            self = .gaussian(mean: try c.decode([Double].self, forKey: .mean),
                             covariance: try c.decode([[Double]].self, forKey: .covariance))
        case "mixture":
            self = .mixture(components: try c.decode([MixtureComponent].self, forKey: .components))
        case "samples":
            self = .samples(points: try c.decode([[Double]].self, forKey: .points),
                            bandwidth: try c.decode(Double.self, forKey: .bandwidth))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c,
                debugDescription: "unknown density kind '\(kind)' (expected gaussian, mixture or samples)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .gaussian(let mean, let covariance):
            try c.encode("gaussian", forKey: .kind)
            try c.encode(mean, forKey: .mean)
            try c.encode(covariance, forKey: .covariance)
        case .mixture(let components):
            try c.encode("mixture", forKey: .kind)
            try c.encode(components, forKey: .components)
        case .samples(let points, let bandwidth):
            try c.encode("samples", forKey: .kind)
            try c.encode(points, forKey: .points)
            try c.encode(bandwidth, forKey: .bandwidth)
        }
    }
}
