/// One inequality calculator: decoded from the request body of `POST /v1/bounds/{name}`
/// (every field optional, so that a missing one is reported by `evaluate()` with its name).
///
/// ```swift
/// let result = try Markov(mean: 40, threshold: 80).evaluate()   // result.bound == 0.5
/// ```
public protocol BoundCalculator: Decodable, Sendable {
    /// The endpoint name.
    static var name: String { get }
    /// Validates the parameters and applies the inequality.
    func evaluate() throws(BoundsError) -> BoundResult
}
