/// The answer of one inequality calculator (`POST /v1/bounds/{name}`).
public struct BoundResult: Sendable, Equatable, Codable {
    /// Endpoint name: markov, chebyshev, cantelli, wlln, chernoff, hoeffding, bernstein, bennett.
    public let name: String
    /// min(1, raw): the bound as a probability.
    public let bound: Double
    /// The formula's value before clamping (may exceed 1: the bound is then vacuous).
    public let raw: Double
    /// The statement that was applied (for Chernoff, the form actually used).
    public let statement: Statement
    /// Hypotheses the bound relies on.
    public let assumptions: [String]
    /// The input, echoed.
    public let parameters: [String: ParameterValue]
    /// Remarks such as "vacuous: the bound is ≥ 1".
    public let notes: [String]

    public init(name: String, raw: Double, statement: Statement, assumptions: [String],
                parameters: [String: ParameterValue], notes: [String] = []) {
        self.name = name
        self.raw = min(raw, .greatestFiniteMagnitude)  // an overflowing (vacuous) value stays JSON-encodable
        self.bound = min(1, raw)
        self.statement = statement
        self.assumptions = assumptions
        self.parameters = parameters
        var allNotes = notes
        if raw >= 1 { allNotes.append("vacuous: the bound is ≥ 1") }
        self.notes = allNotes
    }
}
