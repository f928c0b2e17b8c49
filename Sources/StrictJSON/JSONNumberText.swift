/// A JSON number exactly as written in the body (`0.4`, `1e400`, `12345678901234567890123`), for
/// values that a binary double would change: exact decimal thresholds, leading digits of huge
/// numbers. Under `StrictJSONDecoder` it is the literal itself; under another decoder it is the
/// shortest text of the nearest double.
public struct JSONNumberText: Decodable, Sendable, Equatable {
    public let text: String

    public init(from decoder: any Decoder) throws {
        if let tape = decoder as? TapeDecoder {
            guard let literal = tape.numberLiteral else {
                throw tape.state.mismatch(JSONNumberText.self, "a number", tape.index, tape.codingPath)
            }
            text = literal
        } else {
            text = "\(try decoder.singleValueContainer().decode(Double.self))"
        }
    }
}
