/// How a field is named in error messages: `region.rect.lo.lat`, `points[3].lat`, `vectors[0][2]`.
public enum JSONPath {
    /// The path of `keys`; `root` for the body itself (an empty path).
    public static func string(_ keys: [any CodingKey], root: String = "body") -> String {
        var out = ""
        for key in keys {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                if !out.isEmpty { out += "." }
                out += key.stringValue
            }
        }
        return out.isEmpty ? root : out
    }
}
