/// One bound in a comparison, beside the exact probability.
public struct ComparisonEntry: Sendable, Equatable, Codable {
    /// Endpoint name (markov, chebyshev, cantelli, wlln, chernoff, hoeffding, bernstein, bennett).
    public let name: String
    /// For chernoff: exact, simplified, kl (Chernoff–Hoeffding), mgf (closed-form MGF bound), power2.
    public let form: String?
    /// min(1, raw).
    public let bound: Double
    public let raw: Double
    /// bound / exact; null when the exact probability is 0 (or so small that the ratio overflows).
    public let ratio: Double?
    /// Whether the hypotheses hold (a simplified Chernoff form outside its δ range is listed, invalid).
    public let valid: Bool
    /// The smallest valid bound (ties all marked).
    public let tightest: Bool
    public let statement: String
    /// Why the entry is invalid.
    public let reason: String?
}
