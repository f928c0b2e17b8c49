import Foundation

/// The registry behind `POST /v1/bounds/{name}`.
///
/// ```swift
/// let result = try BoundCalculators.evaluate(name: "markov", json: Data(#"{"mean":40,"threshold":80}"#.utf8))
/// ```
public enum BoundCalculators {
    public static let types: [any BoundCalculator.Type] = [
        Markov.self, Chebyshev.self, Cantelli.self, WeakLaw.self,
        Chernoff.self, Hoeffding.self, Bernstein.self, Bennett.self,
    ]

    public static var names: [String] { types.map { $0.name } }

    public static func type(named name: String) -> (any BoundCalculator.Type)? {
        types.first { $0.name == name }
    }

    /// Decodes the body for the named calculator and evaluates it.
    /// Throws `.unknownBound` (404), `.malformed` (400) or `.invalid` (422).
    public static func evaluate(name: String, json: Data) throws(BoundsError) -> BoundResult {
        guard let type = type(named: name) else { throw .unknownBound(name: name) }
        let calculator = try JSONInput.decode(type, from: json)
        return try calculator.evaluate()
    }
}
