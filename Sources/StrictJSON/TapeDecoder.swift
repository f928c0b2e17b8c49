/// The `Decoder` (and single-value container) for one node of the tape.
final class TapeDecoder: Decoder, SingleValueDecodingContainer {
    let state: DecodingState
    let index: Int
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(state: DecodingState, index: Int, codingPath: [any CodingKey]) {
        self.state = state
        self.index = index
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard state.kind(index) == .object else {
            throw state.mismatch([String: Any].self, "an object", index, codingPath)
        }
        return KeyedDecodingContainer(try TapeKeyedContainer<Key>(state: state, object: index, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard state.kind(index) == .array else {
            throw state.mismatch([Any].self, "an array", index, codingPath)
        }
        return TapeUnkeyedContainer(state: state, array: index, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// The literal text of the number here, nil when this is not a number.
    var numberLiteral: String? { state.kind(index) == .number ? state.tape.literal(index) : nil }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool { state.kind(index) == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try decode(type as Any.Type, Bool.self) }
    func decode(_ type: String.Type) throws -> String { try decode(type as Any.Type, String.self) }
    func decode(_ type: Double.Type) throws -> Double { try decode(type as Any.Type, Double.self) }
    func decode(_ type: Float.Type) throws -> Float { try decode(type as Any.Type, Float.self) }
    func decode(_ type: Int.Type) throws -> Int { try decode(type as Any.Type, Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decode(type as Any.Type, Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decode(type as Any.Type, Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decode(type as Any.Type, Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decode(type as Any.Type, Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try decode(type as Any.Type, UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(type as Any.Type, UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(type as Any.Type, UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(type as Any.Type, UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(type as Any.Type, UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try state.decode(T.self, at: index, path: { codingPath })
    }

    private func decode<T: Decodable>(_: Any.Type, _ type: T.Type) throws -> T {
        try state.decode(T.self, at: index, path: { codingPath })
    }
}
