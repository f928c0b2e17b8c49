import Foundation

/// What one decode shares between its decoders and containers: the tape, which object members a
/// container has read, and every object a keyed container was made for (with its path and the key
/// types that looked at it), from which the unknown members are found at the end.
final class DecodingState {
    let tape: JSONTape
    /// Per node: a member value that some container read (or asked about with `decodeNil`).
    var used: [Bool]
    /// Objects that keyed containers were made for, with their paths and key types.
    var visited: [(object: Int, path: [any CodingKey], keys: any CodingKey.Type)] = []

    init(tape: JSONTape) {
        self.tape = tape
        used = [Bool](repeating: false, count: tape.nodes.count)
    }

    func kind(_ index: Int) -> JSONTape.Kind { tape.nodes[index].kind }

    static func found(_ kind: JSONTape.Kind) -> String {
        switch kind {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .true, .false: return "a boolean"
        case .null: return "null"
        }
    }

    func mismatch<T>(_ type: T.Type, _ expected: String, _ index: Int, _ path: [any CodingKey]) -> DecodingError {
        if kind(index) == .null {
            return .valueNotFound(type, .init(codingPath: path, debugDescription: "expected \(expected), found null"))
        }
        return .typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(expected), found \(Self.found(kind(index)))"))
    }

    /// The literal of a number node for a message, cut to 40 characters.
    func shown(_ index: Int) -> String {
        let text = tape.literal(index)
        return text.count <= 40 ? text : String(text.prefix(37)) + "…"
    }

    func withLiteral<R>(_ index: Int, _ body: (JSONNumberLiteral) -> R) -> R {
        let node = tape.nodes[index]
        return tape.bytes.withUnsafeBufferPointer { p in
            body(JSONNumberLiteral(bytes: UnsafeBufferPointer(rebasing: p[Int(node.a)..<Int(node.b)])))
        }
    }

    // MARK: - values

    /// Decodes the value at `index`; `path` is only formed when it is needed (an error, a nested value).
    func decode<T: Decodable>(_ type: T.Type, at index: Int, path: () -> [any CodingKey]) throws -> T {
        if T.self == Double.self { return try double(index, path) as! T }
        if T.self == String.self { return try string(index, path) as! T }
        if T.self == Int.self { return try integer(Int.self, index, path) as! T }
        if T.self == Bool.self { return try bool(index, path) as! T }
        if T.self == Float.self { return try float(index, path) as! T }
        if T.self == Int64.self { return try integer(Int64.self, index, path) as! T }
        if T.self == UInt64.self { return try integer(UInt64.self, index, path) as! T }
        if T.self == Int32.self { return try integer(Int32.self, index, path) as! T }
        if T.self == UInt32.self { return try integer(UInt32.self, index, path) as! T }
        if T.self == Int16.self { return try integer(Int16.self, index, path) as! T }
        if T.self == UInt16.self { return try integer(UInt16.self, index, path) as! T }
        if T.self == Int8.self { return try integer(Int8.self, index, path) as! T }
        if T.self == UInt8.self { return try integer(UInt8.self, index, path) as! T }
        if T.self == UInt.self { return try integer(UInt.self, index, path) as! T }
        if T.self == Decimal.self { return try decimal(index, path) as! T }
        return try T(from: TapeDecoder(state: self, index: index, codingPath: path()))
    }

    func bool(_ index: Int, _ path: () -> [any CodingKey]) throws -> Bool {
        switch kind(index) {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, "a boolean", index, path())
        }
    }

    func string(_ index: Int, _ path: () -> [any CodingKey]) throws -> String {
        guard kind(index) == .string else { throw mismatch(String.self, "a string", index, path()) }
        return tape.string(index)
    }

    func double(_ index: Int, _ path: () -> [any CodingKey]) throws -> Double {
        guard kind(index) == .number else { throw mismatch(Double.self, "a number", index, path()) }
        let x = withLiteral(index) { $0.double() }
        guard x.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(),
                debugDescription: "\(shown(index)) is outside the range of a double-precision number (magnitude at most 1.7976931348623157e308)"))
        }
        return x
    }

    func float(_ index: Int, _ path: () -> [any CodingKey]) throws -> Float {
        let x = Float(try double(index, path))
        guard x.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(),
                debugDescription: "\(shown(index)) is outside the range of a single-precision number (magnitude at most 3.4028235e38)"))
        }
        return x
    }

    func integer<I: FixedWidthInteger>(_ type: I.Type, _ index: Int, _ path: () -> [any CodingKey]) throws -> I {
        guard kind(index) == .number else { throw mismatch(I.self, "an integer", index, path()) }
        let range = "between \(I.min) and \(I.max)"
        switch withLiteral(index, { $0.integer() }) {
        case .failure(.notAnInteger):
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "must be an integer, got \(shown(index))"))
        case .failure(.outOfRange):
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "must be an integer \(range), got \(shown(index))"))
        case .success(let (negative, magnitude)):
            if negative {
                if magnitude == 0 { return 0 }
                guard I.isSigned, magnitude - 1 <= UInt64(I.max) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "must be an integer \(range), got \(shown(index))"))
                }
                return I(0) - I(magnitude - 1) - I(1)
            }
            guard let v = I(exactly: magnitude) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "must be an integer \(range), got \(shown(index))"))
            }
            return v
        }
    }

    /// A Foundation `Decimal` holding the literal exactly (at most 38 significant digits, decimal
    /// exponent −128…127); anything it would round is refused rather than rounded.
    func decimal(_ index: Int, _ path: () -> [any CodingKey]) throws -> Decimal {
        guard kind(index) == .number else { throw mismatch(Decimal.self, "a number", index, path()) }
        let parts = withLiteral(index) { $0.parts() }
        if parts.isZero { return 0 }
        guard parts.digits.count <= 38, parts.exponent >= -128, parts.exponent <= 127,
              let d = Decimal(string: tape.literal(index), locale: Locale(identifier: "en_US_POSIX")) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(),
                debugDescription: "\(shown(index)) cannot be held exactly as a decimal (at most 38 significant digits, exponent −128…127)"))
        }
        return d
    }

    // MARK: - unknown members

    /// Unknown members in document order: after a successful decode, members no container read; after
    /// a failed one, members whose names no key type at that place accepts.
    func unknownFields(decoded: Bool) -> [String] {
        var byObject: [Int: (path: [any CodingKey], keys: [any CodingKey.Type])] = [:]
        for v in visited {
            if byObject[v.object] == nil { byObject[v.object] = (v.path, []) }
            byObject[v.object]!.keys.append(v.keys)
        }
        var out: [(member: Int, path: String)] = []
        for object in byObject.keys {
            let entry = byObject[object]!
            var member = object + 1
            for _ in 0..<tape.count(object) {
                let value = member + 1
                let name = tape.string(member)
                let unknown = decoded ? !used[value] : !entry.keys.contains { $0.init(stringValue: name) != nil }
                if unknown { out.append((member, JSONPath.string(entry.path + [JSONCodingKey(stringValue: name)]))) }
                member = tape.next(after: value)
            }
        }
        return out.sorted { $0.member < $1.member }.map(\.path)
    }
}
