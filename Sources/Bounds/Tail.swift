/// Which side of the distribution an event looks at.
/// `upper`: P(X ≥ threshold) or P(X − μ ≥ t); `lower`: P(X ≤ threshold) or P(X − μ ≤ −t);
/// `twoSided`: P(|X − μ| ≥ t).
public enum Tail: String, Sendable, Codable, CaseIterable {
    case upper
    case lower
    case twoSided
}
