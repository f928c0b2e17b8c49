/// A keyed container over one object node. Reading a member (`decode`, `decodeIfPresent`,
/// `decodeNil`, a nested container or decoder) marks it used; members that nothing read are the
/// unknown fields. A name given twice in one object is refused.
struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let state: DecodingState
    let object: Int
    let codingPath: [any CodingKey]
    /// Member names and value nodes in document order (searched linearly: request objects are small).
    let members: [(name: String, value: Int)]
    /// Name → value node, only for objects with many members.
    let index: [String: Int]?

    init(state: DecodingState, object: Int, codingPath: [any CodingKey]) throws {
        self.state = state
        self.object = object
        self.codingPath = codingPath
        let tape = state.tape
        let count = tape.count(object)
        var members: [(name: String, value: Int)] = []
        members.reserveCapacity(count)
        var member = object + 1
        for _ in 0..<count {
            members.append((tape.string(member), member + 1))
            member = tape.next(after: member + 1)
        }
        var index: [String: Int]?
        if count > 16 {
            var map: [String: Int] = [:]
            map.reserveCapacity(count)
            for m in members where map.updateValue(m.value, forKey: m.name) != nil {
                throw Self.duplicate(m.name, codingPath)
            }
            index = map
        } else {
            for i in members.indices.dropFirst() where members[..<i].contains(where: { $0.name == members[i].name }) {
                throw Self.duplicate(members[i].name, codingPath)
            }
        }
        self.members = members
        self.index = index
        state.visited.append((object, codingPath, Key.self))
    }

    static func duplicate(_ name: String, _ codingPath: [any CodingKey]) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath + [JSONCodingKey(stringValue: name)], debugDescription: "appears more than once in the object"))
    }

    func find(_ name: String) -> Int? {
        if let index { return index[name] }
        for m in members where m.name == name { return m.value }
        return nil
    }

    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.name) } }

    func contains(_ key: Key) -> Bool { find(key.stringValue) != nil }

    /// The value node of `key`, marked used; keyNotFound when absent.
    private func value(_ key: Key) throws -> Int {
        guard let index = find(key.stringValue) else {
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
        guard let index = find(key.stringValue) else { return nil }
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
        let key = JSONCodingKey(stringValue: "super")
        guard let index = find(key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "is required"))
        }
        state.used[index] = true
        return TapeDecoder(state: state, index: index, codingPath: codingPath + [key])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        TapeDecoder(state: state, index: try value(key), codingPath: codingPath + [key])
    }
}
