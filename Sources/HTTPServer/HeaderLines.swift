/// Header lines already formatted, `Name: value\r\n` each, written into a response head as they are: for the
/// fields an application stamps on every response (request id, trace context), where building `HTTPField`s would
/// cost more than the fields. Whoever writes them vouches for their syntax (no CR, LF or NUL inside a line).
///
/// ```swift
/// var lines = HeaderLines()
/// lines.append(atMost: 64) { w in
///     w.write("X-Request-ID: ")
///     w.writeHex(id)
///     w.write("\r\n")
/// }
/// response.preformattedFields = lines
/// ```
/// Sendable: its storage is written only before it is shared, and never after.
public struct HeaderLines: @unchecked Sendable {
    private var storage: ByteStorage?

    public init() {}

    /// Lines from bytes already formatted.
    public init(_ bytes: [UInt8]) {
        append(atMost: bytes.count) { $0.write(bytes) }
    }

    /// Bytes held.
    public var count: Int { storage?.count ?? 0 }
    public var isEmpty: Bool { storage == nil }

    /// Appends what `body` writes, at most `room` bytes; false (and nothing appended) when it needed more.
    /// Each append makes one new allocation, so stamp everything in one call.
    @discardableResult
    public mutating func append(atMost room: Int, _ body: (inout ByteWriter) -> Void) -> Bool {
        let old = storage
        let oldCount = old?.count ?? 0
        var fitted = true
        var written = 0
        let new = ByteStorage.make(count: oldCount + room) { base in
            old?.withUnsafeBytes { UnsafeMutableRawPointer(base).copyMemory(from: $0.baseAddress!, byteCount: oldCount) }
            var writer = ByteWriter(start: base + oldCount, capacity: room)
            body(&writer)
            fitted = !writer.overflowed
            written = writer.count
        }
        guard fitted else { return false }
        new.count = oldCount + written
        storage = oldCount + written == 0 ? nil : new
        return true
    }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let storage else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try storage.withUnsafeBytes(body)
    }
}
