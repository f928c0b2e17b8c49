/// One echoed input parameter: a number or a word (a tail, a form). Encodes as a bare JSON value.
public enum ParameterValue: Sendable, Equatable, Codable {
    case number(Double)
    case text(String)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let x = try? container.decode(Double.self) {
            self = .number(x)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let x): try container.encode(x)
        case .text(let s): try container.encode(s)
        }
    }
}
