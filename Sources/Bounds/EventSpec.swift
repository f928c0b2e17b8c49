/// The `event` object of `POST /v1/bounds/compare`: `tail` (upper: P(X ≥ threshold), lower:
/// P(X ≤ threshold), twoSided: P(|X − mean| ≥ threshold)) and `threshold`, the exact decimal written.
public struct EventSpec: Sendable, Equatable, Codable {
    public var tail: String?
    public var threshold: ExactDecimal?

    public init(tail: String? = nil, threshold: ExactDecimal?) {
        self.tail = tail
        self.threshold = threshold
    }
}
