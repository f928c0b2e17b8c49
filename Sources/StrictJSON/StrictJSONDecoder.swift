/// Decodes a JSON request body into a `Decodable` type, refusing what a lenient decoder lets
/// through: members the type does not read (a misspelt `maxcells`), names given twice, numbers a
/// field's type cannot hold (`1e400` for a double, `1.5` for an integer). Any `Decodable` type is
/// strict with no work on its side: the decoder notes which members each keyed container reads.
///
/// ```swift
/// let body = try StrictJSONDecoder().decode(CoveringBody.self, from: bytes)
/// // {"maxcells": 3}  → UnknownFieldsError(paths: ["maxcells"])
/// // {"level": 1e400} → DecodingError.dataCorrupted at "level": outside the range of …
/// // {"level": 3,}    → JSONSyntaxError("expected a member name in quotes", line 1, column 13)
/// ```
///
/// Throws `JSONSyntaxError` (not JSON), `UnknownFieldsError` (possibly carrying the decoding error
/// of the same body), `DecodingError` with the field's coding path, or whatever a type's own
/// `init(from:)` throws.
public struct StrictJSONDecoder: Sendable {
    /// Deepest nesting of arrays and objects accepted.
    public var maxDepth: Int

    public init(maxDepth: Int = 256) {
        self.maxDepth = maxDepth
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let state = DecodingState(tape: try JSONParser.parse(bytes, maxDepth: maxDepth))
        let value: T
        do {
            value = try state.decode(T.self, at: 0, path: { [] })
        } catch {
            let unknown = state.unknownFields(decoded: false)
            if !unknown.isEmpty { throw UnknownFieldsError(paths: unknown, underlying: error) }
            throw error
        }
        let unknown = state.unknownFields(decoded: true)
        if !unknown.isEmpty { throw UnknownFieldsError(paths: unknown, underlying: nil) }
        return value
    }
}
