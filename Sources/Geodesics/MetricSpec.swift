import Foundation

/// The Riemannian metric built from a density p with score s = ∇log p.
///
/// - `stein(lambda:)`: g(x) = I + λ s sᵀ (λ > 0, units length²); ‖v‖²_x = ‖v‖² + λ(s·v)².
/// - `conformal(alpha:)`: g(x) = p(x)^(−α) I (α > 0), the density-based (Fermat) metric.
///
/// JSON: `{"kind":"stein","lambda":1}` or `{"kind":"conformal","alpha":1}`; the parameter defaults to 1.
public enum MetricSpec: Sendable, Codable, Equatable {
    case stein(lambda: Double)
    case conformal(alpha: Double)

    private enum CodingKeys: String, CodingKey { case kind, lambda, alpha }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "stein": self = .stein(lambda: try c.decodeIfPresent(Double.self, forKey: .lambda) ?? 1)
        case "conformal": self = .conformal(alpha: try c.decodeIfPresent(Double.self, forKey: .alpha) ?? 1)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c, debugDescription: "unknown metric kind '\(kind)' (expected stein or conformal)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .stein(let lambda):
            try c.encode("stein", forKey: .kind)
            try c.encode(lambda, forKey: .lambda)
        case .conformal(let alpha):
            try c.encode("conformal", forKey: .kind)
            try c.encode(alpha, forKey: .alpha)
        }
    }
}
