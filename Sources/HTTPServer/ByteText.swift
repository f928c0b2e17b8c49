/// Text written straight into byte buffers, for the lines the server and the access log emit on every
/// request: decimal and hexadecimal numbers and JSON string contents, without going through `String`.
///
/// ```swift
/// var out: [UInt8] = []
/// ByteText.appendDecimal(200, to: &out)                 // "200"
/// ByteText.appendHex(0xab, digits: 4, to: &out)         // "00ab"
/// ByteText.appendJSONEscaped("a\"b", to: &out)          // a\"b
/// ```
public enum ByteText {
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A non-negative integer in decimal (a negative one gets a leading `-`).
    public static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(45); appendDecimal(value == .min ? .max : -value, to: &out); return }
        if value < 10 { out.append(UInt8(truncatingIfNeeded: 48 + value)); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var n = value, count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            while n > 0 { p[23 - count] = UInt8(truncatingIfNeeded: 48 + n % 10); n /= 10; count += 1 }
            out.append(contentsOf: UnsafeBufferPointer(start: p + 24 - count, count: count))
        }
    }

    /// `value` as exactly `width` decimal digits, zero-padded (the caller keeps it in range).
    @inline(__always)
    public static func appendPadded(_ value: Int, width: Int, to out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor &*= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(truncatingIfNeeded: 48 &+ v / divisor))
            v %= divisor
            divisor /= 10
        }
    }

    /// The low `digits` (1–16) hex digits of `value`, most significant first, lowercase.
    public static func appendHex(_ value: UInt64, digits: Int = 16, to out: inout [UInt8]) {
        var text: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &text) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var v = value
            var i = digits - 1
            while i >= 0 {
                let d = UInt8(truncatingIfNeeded: v & 15)
                p[i] = d < 10 ? 48 &+ d : 87 &+ d
                v >>= 4
                i -= 1
            }
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: digits))
        }
    }

    /// The contents of a JSON string (no quotes): `"` and `\` escaped, control characters as `\n`, `\r`, `\t`
    /// or `\u00XX`, everything else (UTF-8 included) as it is.
    public static func appendJSONEscaped(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendJSONEscaped($0, to: &out) }
    }

    public static func appendJSONEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var start = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F else { continue }
            if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
            start = i + 1
            out.append(0x5C)
            switch b {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x0A: out.append(0x6E)
            case 0x0D: out.append(0x72)
            case 0x09: out.append(0x74)
            default:
                out.append(contentsOf: [0x75, 0x30, 0x30]) // u00
                out.append(hexDigits[Int(b >> 4)]); out.append(hexDigits[Int(b & 15)])
            }
        }
        if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])) }
    }
}
