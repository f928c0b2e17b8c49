/// Members of the body that the request type does not have (a misspelt `maxcells` would otherwise
/// silently do nothing). `paths` are full paths (`region.rect.lo.latt`), in document order.
/// When the body also failed to decode, `underlying` is that error; then only names that no key type
/// at that place knows are listed (members a failed decode had not reached yet are not guessed at).
public struct UnknownFieldsError: Error, CustomStringConvertible {
    public let paths: [String]
    public let underlying: (any Error)?

    public var description: String { "unknown fields: " + paths.joined(separator: ", ") }
}
