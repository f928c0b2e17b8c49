/// An unkeyed container over one array node, walking its elements in order.
struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let state: DecodingState
    let codingPath: [any CodingKey]
    let count: Int?
    private(set) var currentIndex = 0
    /// The node of the current element.
    private var node: Int

    init(state: DecodingState, array: Int, codingPath: [any CodingKey]) {
        self.state = state
        self.codingPath = codingPath
        self.count = state.tape.count(array)
        self.node = array + 1
    }

    var isAtEnd: Bool { currentIndex >= count! }

    private var elementPath: [any CodingKey] { codingPath + [JSONCodingKey(index: currentIndex)] }

    private func checkNotAtEnd<T>(_ type: T.Type) throws {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: elementPath, debugDescription: "the array has only \(count!) elements"))
        }
    }

    private mutating func advance() {
        node = state.tape.next(after: node)
        currentIndex += 1
    }

    mutating func decodeNil() throws -> Bool {
        try checkNotAtEnd(Any?.self)
        guard state.kind(node) == .null else { return false }
        advance()
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try checkNotAtEnd(type)
        let path = codingPath, i = currentIndex
        let value = try state.decode(T.self, at: node, path: { path + [JSONCodingKey(index: i)] })
        advance()
        return value
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decode(Bool.self as Bool.Type?) }
    mutating func decode(_ type: String.Type) throws -> String { try decode(String.self as String.Type?) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decode(Double.self as Double.Type?) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decode(Float.self as Float.Type?) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decode(Int.self as Int.Type?) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decode(Int8.self as Int8.Type?) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decode(Int16.self as Int16.Type?) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decode(Int32.self as Int32.Type?) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decode(Int64.self as Int64.Type?) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decode(UInt.self as UInt.Type?) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(UInt8.self as UInt8.Type?) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(UInt16.self as UInt16.Type?) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(UInt32.self as UInt32.Type?) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(UInt64.self as UInt64.Type?) }

    private mutating func decode<T: Decodable>(_: T.Type?) throws -> T { try decode(T.self) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try checkNotAtEnd(KeyedDecodingContainer<NestedKey>.self)
        let container = try TapeDecoder(state: state, index: node, codingPath: elementPath).container(keyedBy: type)
        advance()
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try checkNotAtEnd((any UnkeyedDecodingContainer).self)
        let container = try TapeDecoder(state: state, index: node, codingPath: elementPath).unkeyedContainer()
        advance()
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        try checkNotAtEnd((any Decoder).self)
        let decoder = TapeDecoder(state: state, index: node, codingPath: elementPath)
        advance()
        return decoder
    }
}
