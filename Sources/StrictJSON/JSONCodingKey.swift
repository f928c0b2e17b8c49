/// A coding key for array indices and for member names that a container's own key type refuses.
struct JSONCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
    init(index: Int) { self.init(intValue: index) }
}
