/// Text written straight into memory, for what the server and the access log emit on every request (response
/// heads, log lines, ids): bytes, decimal and hexadecimal numbers and JSON string contents, without `String` and
/// without an array's per-append checks. The writer never writes past its capacity: a write that does not fit is
/// dropped whole and `overflowed` is set, so the caller can retry with more room.
///
/// ```swift
/// var line: [UInt8] = []
/// ByteWriter.append(to: &line, atMost: 64) { w in
///     w.write("status=")
///     w.writeDecimal(200)                  // "200"
///     w.write(" id=")
///     w.writeHex(0xab, digits: 4)          // "00ab"
///     w.write(" path=")
///     w.writeJSONEscaped("a\"b")           // a\"b
/// }
/// ```
public struct ByteWriter {
    public let start: UnsafeMutablePointer<UInt8>
    public let capacity: Int
    /// Bytes written so far.
    public private(set) var count = 0
    /// A write did not fit (and was not made).
    public private(set) var overflowed = false

    public init(start: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.start = start
        self.capacity = capacity
    }

    public init(_ buffer: UnsafeMutableRawBufferPointer) {
        self.init(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), capacity: buffer.count)
    }

    /// Room left.
    @inline(__always)
    public var available: Int { capacity - count }

    /// The bytes written.
    public var written: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: start, count: count) }

    @inline(__always)
    public mutating func write(_ byte: UInt8) {
        guard count < capacity else { overflowed = true; return }
        start[count] = byte
        count += 1
    }

    @inline(__always)
    public mutating func write(_ a: UInt8, _ b: UInt8) {
        guard count + 2 <= capacity else { overflowed = true; return }
        start[count] = a
        start[count + 1] = b
        count += 2
    }

    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= capacity - count else { overflowed = true; return }
        if let source = bytes.baseAddress { UnsafeMutableRawPointer(start + count).copyMemory(from: source, byteCount: bytes.count) }
        count += bytes.count
    }

    public mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) { write(UnsafeRawBufferPointer(bytes)) }

    public mutating func write(_ bytes: [UInt8]) { bytes.withUnsafeBytes { write($0) } }

    public mutating func write(_ lines: HeaderLines) { lines.withUnsafeBytes { write($0) } }

    public mutating func write(_ text: StaticString) {
        write(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// The UTF-8 of `text`, as it is.
    public mutating func write(utf8 text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// An integer in decimal (a negative one with a leading `-`).
    public mutating func writeDecimal(_ value: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let negative = value < 0
        var n = value.magnitude
        var used = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            repeat {
                p[23 - used] = UInt8(truncatingIfNeeded: 48 &+ n % 10)
                n /= 10
                used += 1
            } while n > 0
            if negative { used += 1; p[24 - used] = 45 }
            write(UnsafeRawBufferPointer(start: p + 24 - used, count: used))
        }
    }

    /// `value` as exactly `width` (1–18) decimal digits, zero-padded (the caller keeps it in range).
    public mutating func writePadded(_ value: Int, width: Int) {
        guard width <= capacity - count else { overflowed = true; return }
        var v = value
        var i = width - 1
        while i >= 0 {
            start[count + i] = UInt8(truncatingIfNeeded: 48 &+ v % 10)
            v /= 10
            i -= 1
        }
        count += width
    }

    /// The low `digits` (1–16) hex digits of `value`, most significant first, lowercase.
    public mutating func writeHex(_ value: UInt64, digits: Int = 16) {
        guard digits <= capacity - count else { overflowed = true; return }
        if digits == 16 {
            // Eight digits at a time, computed in a register: no loop, no table.
            UnsafeMutableRawPointer(start + count).storeBytes(of: Self.hexDigits(UInt32(truncatingIfNeeded: value >> 32)), as: UInt64.self)
            UnsafeMutableRawPointer(start + count + 8).storeBytes(of: Self.hexDigits(UInt32(truncatingIfNeeded: value)), as: UInt64.self)
            count += 16
            return
        }
        var v = value
        var i = digits - 1
        while i >= 0 {
            start[count + i] = Self.hexDigit(UInt8(truncatingIfNeeded: v & 15))
            v >>= 4
            i -= 1
        }
        count += digits
    }

    /// The eight lowercase hex digits of `x` as the bytes of a word stored in memory order (most significant
    /// digit first): each nibble is spread into its own byte, then `'0'` is added, and `'a' - '0' - 10` more to
    /// the bytes whose nibble is 10 or more.
    @inline(__always)
    static func hexDigits(_ x: UInt32) -> UInt64 {
        var v = UInt64(x)
        v = (v | v << 16) & 0x0000_FFFF_0000_FFFF
        v = (v | v << 8) & 0x00FF_00FF_00FF_00FF
        v = (v | v << 4) & 0x0F0F_0F0F_0F0F_0F0F
        let letters = ((v &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
        v = v &+ 0x3030_3030_3030_3030 &+ letters &* 0x27
        return v.bigEndian
    }

    /// The contents of a JSON string (no quotes): `"` and `\` escaped, control characters as `\n`, `\r`, `\t`
    /// or `\u00XX`, everything else (UTF-8 included) as it is. All or nothing, like every write.
    public mutating func writeJSONEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        let mark = count
        var run = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F else { continue }
            if run < i { write(UnsafeBufferPointer(rebasing: bytes[run..<i])) }
            run = i + 1
            switch b {
            case 0x22: write(0x5C, 0x22)
            case 0x5C: write(0x5C, 0x5C)
            case 0x0A: write(0x5C, 0x6E)
            case 0x0D: write(0x5C, 0x72)
            case 0x09: write(0x5C, 0x74)
            default:
                write("\\u00")
                write(Self.hexDigit(b >> 4), Self.hexDigit(b & 15))
            }
        }
        if run < bytes.count { write(UnsafeBufferPointer(rebasing: bytes[run..<bytes.count])) }
        if overflowed { count = mark }
    }

    public mutating func writeJSONEscaped(_ text: String) {
        var text = text
        text.withUTF8 { writeJSONEscaped($0) }
    }

    @inline(__always)
    static func hexDigit(_ d: UInt8) -> UInt8 { d < 10 ? 48 &+ d : 87 &+ d }

    // MARK: arrays

    /// Appends what `body` writes to `array`, reserving `atMost` bytes for it; returns false (and appends
    /// nothing) when that was not enough. The array is rebuilt in one new allocation.
    @discardableResult
    public static func append(to array: inout [UInt8], atMost room: Int, _ body: (inout ByteWriter) -> Void) -> Bool {
        guard room > 0 else { return true }
        var fitted = true
        let new = array.withUnsafeBytes { old in
            [UInt8](unsafeUninitializedCapacity: old.count + room) { buffer, initialized in
                if let source = old.baseAddress { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: source, byteCount: old.count) }
                var writer = ByteWriter(start: buffer.baseAddress! + old.count, capacity: room)
                body(&writer)
                fitted = !writer.overflowed
                initialized = old.count + (fitted ? writer.count : 0)
            }
        }
        if fitted { array = new }
        return fitted
    }

    /// A new array of what `body` writes, with room for `atMost` bytes; nil when that was not enough.
    public static func array(atMost room: Int, _ body: (inout ByteWriter) -> Void) -> [UInt8]? {
        guard room > 0 else { return [] }
        var fitted = true
        let new = [UInt8](unsafeUninitializedCapacity: room) { buffer, initialized in
            var writer = ByteWriter(start: buffer.baseAddress!, capacity: room)
            body(&writer)
            fitted = !writer.overflowed
            initialized = fitted ? writer.count : 0
        }
        return fitted ? new : nil
    }
}
