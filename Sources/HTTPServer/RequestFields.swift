import HTTPTypes

/// The header fields of a received request, read from the bytes the client sent: one buffer holds the field
/// lines and a table of where each name and value starts and ends, so receiving a request builds no `HTTPField`,
/// no name and no value string. Strings are made when a handler asks for a value.
///
/// ```swift
/// request.headerFields[.accept]                 // "application/json, */*" (repeated fields joined by ", ")
/// request.headerFields[values: .acceptEncoding] // each value on its own
/// for field in request.headerFields { print(field.name, field.value) }
/// ```
///
/// Names match case-insensitively (as received they keep their spelling); values are trimmed of surrounding
/// whitespace and never contain CR, LF or NUL (the parser refuses those).
/// Sendable: its storage is written only before it is shared, and never after.
public struct RequestFields: @unchecked Sendable, Sequence {
    /// The bytes of the fields, then four `UInt32` per field (name start, name end, value start, value end),
    /// offsets into the bytes; nil without fields.
    private let storage: ByteStorage?
    private let tableStart: Int
    /// How many fields the request sent.
    public let count: Int

    /// No fields.
    public init() {
        storage = nil
        tableStart = 0
        count = 0
    }

    /// Fields built by hand (for a request made without a parser, as in tests).
    public init(_ fields: HTTPFields) {
        var bytes: [UInt8] = []
        var spans: [Span] = []
        for field in fields {
            let nameStart = UInt32(bytes.count)
            bytes.append(contentsOf: field.name.rawName.utf8)
            let nameEnd = UInt32(bytes.count)
            bytes.append(contentsOf: [58, 32])
            let valueStart = UInt32(bytes.count)
            bytes.append(contentsOf: field.value.utf8)
            spans.append(Span(nameStart: nameStart, nameEnd: nameEnd, valueStart: valueStart, valueEnd: UInt32(bytes.count)))
            bytes.append(contentsOf: [13, 10])
        }
        self = bytes.withUnsafeBufferPointer { lines in spans.withUnsafeBufferPointer { RequestFields(lines: lines, spans: $0) } }
    }

    /// Fields whose lines lie in `lines` and whose `count` spans `Span`s (offsets into `lines`) are in `spans`:
    /// one allocation holds both.
    init(lines: UnsafeBufferPointer<UInt8>, spans: UnsafeBufferPointer<Span>) {
        let tableBytes = spans.count * MemoryLayout<Span>.stride
        storage = spans.isEmpty ? nil : ByteStorage.make(count: lines.count + tableBytes) { base in
            let raw = UnsafeMutableRawPointer(base)
            if let source = lines.baseAddress { raw.copyMemory(from: source, byteCount: lines.count) }
            if let table = spans.baseAddress { (raw + lines.count).copyMemory(from: table, byteCount: tableBytes) }
        }
        tableStart = lines.count
        count = spans.count
    }

    /// Where one field's name and value lie in the field bytes.
    struct Span {
        var nameStart: UInt32
        var nameEnd: UInt32
        var valueStart: UInt32
        var valueEnd: UInt32
    }

    @inline(__always)
    private func span(_ i: Int, _ bytes: UnsafeRawBufferPointer) -> Span {
        bytes.loadUnaligned(fromByteOffset: tableStart + i * MemoryLayout<Span>.stride, as: Span.self)
    }

    // MARK: reading

    /// All values of `name` joined by `, ` (`; ` for Cookie, as `HTTPFields` does); nil when the request has none.
    public subscript(_ name: HTTPField.Name) -> String? {
        let values = self[values: name]
        if values.isEmpty { return nil }
        return values.count == 1 ? values[0] : values.joined(separator: name == .cookie ? "; " : ", ")
    }

    /// Every value of `name`, in the order received.
    public subscript(values name: HTTPField.Name) -> [String] {
        var canonical = name.canonicalName
        return canonical.withUTF8 { lowercase in
            var out: [String] = []
            forEachValue(named: lowercase) { out.append(String(decoding: $0, as: UTF8.self)) }
            return out
        }
    }

    /// Whether the request has a field `name`.
    public func contains(_ name: HTTPField.Name) -> Bool {
        var canonical = name.canonicalName
        return canonical.withUTF8 { lowercase in
            var found = false
            forEachValue(named: lowercase) { _ in found = true }
            return found
        }
    }

    /// Calls `body` with the bytes of every value of the field named `lowercase` (ASCII lowercase), in order.
    public func forEachValue(named lowercase: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let storage else { return }
        storage.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            for i in 0..<count {
                let s = span(i, raw)
                let nameStart = Int(s.nameStart), nameEnd = Int(s.nameEnd)
                guard nameEnd - nameStart == lowercase.count,
                      Self.equalsLowercase(UnsafeBufferPointer(rebasing: bytes[nameStart..<nameEnd]), lowercase) else { continue }
                body(UnsafeBufferPointer(rebasing: bytes[Int(s.valueStart)..<Int(s.valueEnd)]))
            }
        }
    }

    /// Calls `body` with the name (as received) and value bytes of every field, in order.
    public func forEach(_ body: (_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) -> Void) {
        guard let storage else { return }
        storage.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            for i in 0..<count {
                let s = span(i, raw)
                body(UnsafeBufferPointer(rebasing: bytes[Int(s.nameStart)..<Int(s.nameEnd)]),
                     UnsafeBufferPointer(rebasing: bytes[Int(s.valueStart)..<Int(s.valueEnd)]))
            }
        }
    }

    /// ASCII case-insensitive equality of `bytes` with `lowercase`, which must be as long (check the lengths first).
    @inline(__always)
    public static func equalsLowercase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: UnsafeBufferPointer<UInt8>) -> Bool {
        for j in 0..<bytes.count {
            var c = bytes[j]
            if c >= 65 && c <= 90 { c |= 0x20 }
            if c != lowercase[j] { return false }
        }
        return true
    }

    /// The fields as `HTTPFields` (built on each call).
    public var httpFields: HTTPFields {
        var fields = HTTPFields()
        for field in self { fields.append(field) }
        return fields
    }

    /// `Accept-Encoding` allows gzip: listed (or `*`) with a q-value above zero.
    public var acceptsGzip: Bool {
        var gzipQ: Double?
        var starQ: Double?
        for header in self[values: .acceptEncoding] {
            for item in header.split(separator: ",") {
                let parts = item.split(separator: ";")
                let coding = parts[0].trimmingWhitespace().lowercased()
                var q = 1.0
                for p in parts.dropFirst() {
                    let kv = p.split(separator: "=", maxSplits: 1)
                    if kv.count == 2, kv[0].trimmingWhitespace().lowercased() == "q" { q = Double(kv[1].trimmingWhitespace()) ?? 0 }
                }
                if coding == "gzip" || coding == "x-gzip" { gzipQ = q } else if coding == "*" { starQ = q }
            }
        }
        if let gzipQ { return gzipQ > 0 }
        if let starQ { return starQ > 0 }
        return false
    }

    // MARK: Sequence

    /// Yields each field as an `HTTPField`, in order (a name the parser accepted is always a valid token).
    public struct Iterator: IteratorProtocol {
        let fields: RequestFields
        var index = 0

        public mutating func next() -> HTTPField? {
            while index < fields.count, let storage = fields.storage {
                defer { index += 1 }
                let field: HTTPField? = storage.withUnsafeBytes { raw in
                    let bytes = raw.bindMemory(to: UInt8.self)
                    let s = fields.span(index, raw)
                    let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(s.nameStart)..<Int(s.nameEnd)]), as: UTF8.self)
                    let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(s.valueStart)..<Int(s.valueEnd)]), as: UTF8.self)
                    return HTTPField.Name(name).map { HTTPField(name: $0, value: value) }
                }
                if let field { return field }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator { Iterator(fields: self) }
}
