/// A strict RFC 8259 parser producing a `JSONTape`: one value with optional surrounding whitespace
/// (and a UTF-8 byte-order mark), strings of valid UTF-8 with valid escapes (no unpaired
/// surrogates, no raw control characters), numbers in JSON's grammar (any magnitude: the range is
/// checked where a decoder converts them, so that the error can name the field), nesting at most
/// `maxDepth` deep. Every failure names the byte, line and column.
struct JSONParser {
    static func parse(_ bytes: [UInt8], maxDepth: Int) throws(JSONSyntaxError) -> JSONTape {
        guard bytes.count < Int(UInt32.max) else {
            throw bytes.withUnsafeBufferPointer { JSONSyntaxError("the body is too large to parse", at: 0, in: $0) }
        }
        let nodes: [JSONTape.Node] = try bytes.withUnsafeBufferPointer { (p) throws(JSONSyntaxError) -> [JSONTape.Node] in
            var parser = JSONParser(p: p, maxDepth: maxDepth)
            return try parser.document()
        }
        return JSONTape(bytes: bytes, nodes: nodes)
    }

    let p: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var i = 0
    var nodes: [JSONTape.Node] = []

    init(p: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.p = p
        self.maxDepth = maxDepth
        nodes.reserveCapacity(max(16, p.count / 8))
    }

    func fail(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(message, at: offset ?? i, in: p)
    }

    func describe(_ offset: Int) -> String {
        guard offset < p.count else { return "the end of the body" }
        let c = p[offset]
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "byte 0x" + String(c, radix: 16, uppercase: true)
    }

    mutating func document() throws(JSONSyntaxError) -> [JSONTape.Node] {
        if p.count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3 }
        skipSpace()
        guard i < p.count else { throw fail("the body has no JSON value") }
        try value(depth: 0)
        skipSpace()
        guard i == p.count else { throw fail("unexpected \(describe(i)) after the JSON value") }
        return nodes
    }

    @inline(__always) mutating func skipSpace() {
        while i < p.count {
            let c = p[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            i += 1
        }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) {
        guard i < p.count else { throw fail("expected a value, found the end of the body") }
        switch p[i] {
        case UInt8(ascii: "{"): try object(depth: depth + 1)
        case UInt8(ascii: "["): try array(depth: depth + 1)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "-"), 48...57: try number()
        case UInt8(ascii: "t"): try word("true", .true)
        case UInt8(ascii: "f"): try word("false", .false)
        case UInt8(ascii: "n"): try word("null", .null)
        default: throw fail("expected a value, found \(describe(i))")
        }
    }

    mutating func word(_ text: StaticString, _ kind: JSONTape.Kind) throws(JSONSyntaxError) {
        let n = text.utf8CodeUnitCount
        let start = i
        for k in 0..<n where i + k >= p.count || p[i + k] != text.utf8Start[k] {
            throw fail("expected a value, found \(describe(start))", at: start)
        }
        i += n
        nodes.append(JSONTape.Node(kind: kind, escaped: false, a: UInt32(start), b: UInt32(i)))
    }

    mutating func object(depth: Int) throws(JSONSyntaxError) {
        guard depth <= maxDepth else { throw fail("values are nested more than \(maxDepth) deep") }
        let index = nodes.count
        nodes.append(JSONTape.Node(kind: .object, escaped: false, a: 0, b: 0))
        i += 1
        skipSpace()
        var count: UInt32 = 0
        if i < p.count && p[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                guard i < p.count, p[i] == UInt8(ascii: "\"") else {
                    throw fail(count == 0 ? "expected a member name in quotes or '}', found \(describe(i))"
                                          : "expected a member name in quotes, found \(describe(i))")
                }
                try string()
                skipSpace()
                guard i < p.count, p[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a member name, found \(describe(i))") }
                i += 1
                skipSpace()
                try value(depth: depth)
                count += 1
                skipSpace()
                guard i < p.count else { throw fail("expected ',' or '}' after an object member, found the end of the body") }
                if p[i] == UInt8(ascii: ",") {
                    i += 1
                    skipSpace()
                    continue
                }
                guard p[i] == UInt8(ascii: "}") else { throw fail("expected ',' or '}' after an object member, found \(describe(i))") }
                i += 1
                break
            }
        }
        nodes[index].a = count
        nodes[index].b = UInt32(nodes.count)
    }

    mutating func array(depth: Int) throws(JSONSyntaxError) {
        guard depth <= maxDepth else { throw fail("values are nested more than \(maxDepth) deep") }
        let index = nodes.count
        nodes.append(JSONTape.Node(kind: .array, escaped: false, a: 0, b: 0))
        i += 1
        skipSpace()
        var count: UInt32 = 0
        if i < p.count && p[i] == UInt8(ascii: "]") {
            i += 1
        } else {
            while true {
                try value(depth: depth)
                count += 1
                skipSpace()
                guard i < p.count else { throw fail("expected ',' or ']' after an array element, found the end of the body") }
                if p[i] == UInt8(ascii: ",") {
                    i += 1
                    skipSpace()
                    continue
                }
                guard p[i] == UInt8(ascii: "]") else { throw fail("expected ',' or ']' after an array element, found \(describe(i))") }
                i += 1
                break
            }
        }
        nodes[index].a = count
        nodes[index].b = UInt32(nodes.count)
    }

    mutating func digits() -> Int {
        let start = i
        while i < p.count && p[i] >= 48 && p[i] <= 57 { i += 1 }
        return i - start
    }

    mutating func number() throws(JSONSyntaxError) {
        let start = i
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard i < p.count, p[i] >= 48 && p[i] <= 57 else { throw fail("expected a digit after '-', found \(describe(i))") }
        if p[i] == 48 {
            i += 1
            if i < p.count && p[i] >= 48 && p[i] <= 57 { throw fail("a number must not have leading zeros") }
        } else {
            _ = digits()
        }
        if i < p.count && p[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw fail("expected a digit after the decimal point, found \(describe(i))") }
        }
        if i < p.count && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            if i < p.count && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits() > 0 else { throw fail("expected a digit in the exponent, found \(describe(i))") }
        }
        nodes.append(JSONTape.Node(kind: .number, escaped: false, a: UInt32(start), b: UInt32(i)))
    }

    mutating func hex4(at offset: Int) throws(JSONSyntaxError) -> UInt16 {
        guard offset + 4 <= p.count else { throw fail("expected four hexadecimal digits after \\u", at: offset) }
        var v: UInt16 = 0
        for k in 0..<4 {
            guard let h = JSONTape.hexValue(p[offset + k]) else {
                throw fail("expected four hexadecimal digits after \\u, found \(describe(offset + k))", at: offset + k)
            }
            v = v << 4 | UInt16(h)
        }
        return v
    }

    mutating func string() throws(JSONSyntaxError) {
        let open = i
        i += 1
        let start = i
        var escaped = false
        while true {
            guard i < p.count else { throw fail("the string that starts here is not terminated", at: open) }
            let c = p[i]
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { throw fail("a control character (\(describe(i))) must be escaped in a string") }
            if c == UInt8(ascii: "\\") {
                escaped = true
                guard i + 1 < p.count else { throw fail("the string that starts here is not terminated", at: open) }
                switch p[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    let u = try hex4(at: i + 2)
                    if u >= 0xDC00 && u < 0xE000 { throw fail("\\u\(String(u, radix: 16)) is an unpaired low surrogate") }
                    if u >= 0xD800 && u < 0xDC00 {
                        guard i + 7 < p.count, p[i + 6] == UInt8(ascii: "\\"), p[i + 7] == UInt8(ascii: "u"),
                              case let low = try hex4(at: i + 8), low >= 0xDC00 && low < 0xE000 else {
                            throw fail("\\u\(String(u, radix: 16)) is a high surrogate without its low surrogate")
                        }
                        i += 12
                    } else {
                        i += 6
                    }
                default:
                    throw fail("invalid escape \\\(describe(i + 1))", at: i)
                }
                continue
            }
            if c < 0x80 { i += 1; continue }
            try utf8Sequence()
        }
        nodes.append(JSONTape.Node(kind: .string, escaped: escaped, a: UInt32(start), b: UInt32(i)))
        i += 1
    }

    /// One well-formed multi-byte UTF-8 sequence (Unicode Table 3-7) at `i`.
    mutating func utf8Sequence() throws(JSONSyntaxError) {
        let c = p[i]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw fail("invalid UTF-8 (\(describe(i)))")
        }
        guard i + length <= p.count else { throw fail("invalid UTF-8: truncated sequence") }
        for k in 1..<length {
            let b = p[i + k]
            let (lo, hi) = k == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard b >= lo && b <= hi else { throw fail("invalid UTF-8 (\(describe(i + k)))", at: i + k) }
        }
        i += length
    }
}
