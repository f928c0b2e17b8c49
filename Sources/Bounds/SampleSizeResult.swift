/// The answer of `POST /v1/bounds/sample-size`.
public struct SampleSizeResult: Sendable, Equatable, Codable {
    public let method: String
    /// The smallest integer n that meets the bound.
    public let n: Int
    /// The bound's value at n (≤ delta).
    public let bound: Double
    /// The formula's unrounded value (n = ⌈value⌉, up to the exact check).
    public let value: Double
    public let statement: Statement
    public let assumptions: [String]
    public let parameters: [String: ParameterValue]
    public let notes: [String]
}
