import Foundation

/// `POST /v1/s2/cell-unions`: an operation on one or two lists of cell tokens (or decimal ids).
public struct S2CellUnionRequest: Sendable, Hashable {
    public enum Operation: String, Sendable, Hashable, Codable, CaseIterable {
        case normalize, denormalize, union, intersection, difference, contains
    }
    public var cells: [String]
    public var operation: Operation
    public var other: [String]?
    public var minLevel: Int
    public var levelMod: Int
    public init(cells: [String], operation: Operation, other: [String]? = nil, minLevel: Int = 0, levelMod: Int = 1) {
        self.cells = cells; self.operation = operation; self.other = other
        self.minLevel = minLevel; self.levelMod = levelMod
    }
}

/// `{cells: [tokens]}` or `{contains: bool}`.
public enum S2CellUnionResult: Sendable, Hashable {
    case cells([S2CellId])
    case contains(Bool)
    public var tokens: [String]? { if case .cells(let c) = self { return c.map(\.token) } else { return nil } }
}
