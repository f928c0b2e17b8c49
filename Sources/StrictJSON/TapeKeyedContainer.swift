/// A keyed container over one object node. Reading a member (`decode`, `decodeIfPresent`,
/// `decodeNil`, a nested container or decoder) marks it used; members that nothing read are the
/// unknown fields. A name given twice in one object is refused.
struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let state: DecodingState
    let object: Int
    let codingPath: [any CodingKey]
    /// Member name → value node.
    let members: [String: Int]
    let names: [String]

    init(state: DecodingState, object: Int, codingPath: [any CodingKey]) throws {
        self.state = state
        self.object = object
        self.codingPath = codingPath
        var members: [String: Int] = [:]
        var names: [String] = []
        let tape = state.tape
        let count = tape.count(object)
        members.reserveCapacity(count)
        names.reserveCapacity(count)
        var member = object + 1
        for _ in 0..<count {
            let name = tape.string(member)
            if members.updateValue(member + 1, forKey: name) != nil {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [JSONCodingKey(stringValue: name)],
                                                        debugDescription: "appears more than once in the object"))
            }
            names.append(name)
            member = tape.next(after: member + 1)
        }
        self.members = members
        self.names = names
        state.visited.append((object, codingPath, { Key(stringValue: $0) != nil }))
    }

    var allKeys: [Key] { names.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    /// The value node of `key`, marked used; keyNotFound when absent.
    private func value(_ key: Key) throws -> Int {
        guard let index = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "is required"))
        }
        state.used[index] = true
        return index
    }

    func decodeNil(forKey key: Key) throws -> Bool { state.kind(try value(key)) == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let index = try value(key)
        return try state.decode(T.self, at: index, path: { codingPath + [key] })
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = members[key.stringValue] else { return nil }
        state.used[index] = true
        if state.kind(index) == .null { return nil }
        return try state.decode(T.self, at: index, path: { codingPath + [key] })
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(Bool.self as Bool.Type?, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(String.self as String.Type?, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(Double.self as Double.Type?, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(Float.self as Float.Type?, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(Int.self as Int.Type?, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(Int8.self as Int8.Type?, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(Int16.self as Int16.Type?, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(Int32.self as Int32.Type?, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(Int64.self as Int64.Type?, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(UInt.self as UInt.Type?, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(UInt8.self as UInt8.Type?, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(UInt16.self as UInt16.Type?, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(UInt32.self as UInt32.Type?, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(UInt64.self as UInt64.Type?, key) }

    private func decode<T: Decodable>(_: T.Type?, _ key: Key) throws -> T { try decode(T.self, forKey: key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try TapeDecoder(state: state, index: try value(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TapeDecoder(state: state, index: try value(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        try superDecoder(forKey: Key(stringValue: "super")!)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        TapeDecoder(state: state, index: try value(key), codingPath: codingPath + [key])
    }
}
