/// The answer of `POST /v1/bounds/sample-size`.
public struct SampleSizeResult: Sendable, Equatable, Codable {
    public let method: String
    /// The smallest integer n that meets the bound.
    public let n: Int
    /// The bound's value at n (≤ delta).
    public let bound: Double
    /// The formula's value before the ceiling (n = ⌈value⌉, up to the exact check): for Chebyshev the
    /// exact rational σ²/(ε²δ) rounded once to the nearest double, so an integer is shown exactly.
    public let value: Double
    public let statement: Statement
    public let assumptions: [String]
    public let parameters: [String: ParameterValue]
    public let notes: [String]
}
