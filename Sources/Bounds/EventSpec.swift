/// The `event` object of `POST /v1/bounds/compare`: `tail` (upper: P(X ≥ threshold), lower:
/// P(X ≤ threshold), twoSided: P(|X − mean| ≥ threshold)) and `threshold`.
public struct EventSpec: Sendable, Equatable, Codable {
    public var tail: String?
    public var threshold: Double?

    public init(tail: String? = nil, threshold: Double?) {
        self.tail = tail
        self.threshold = threshold
    }
}
