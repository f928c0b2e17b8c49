/// The inequality that was applied, in words and symbols and in LaTeX.
public struct Statement: Sendable, Equatable, Codable {
    public let text: String
    public let latex: String

    public init(text: String, latex: String) {
        self.text = text
        self.latex = latex
    }
}
