/// One byte form for JSON documents that mean the same: no whitespace, object members sorted by
/// name (UTF-8 byte order, after escapes are resolved), strings re-escaped the same way (only `"`,
/// `\` and control characters, as `\"`, `\\` and `\u00XX`), numbers exactly as written (`1`, `1.0`
/// and `1e0` stay different: a field may read the literal, as exact decimals do).
///
/// ```swift
/// JSONCanonicalForm.bytes(of: Array(#"{ "b": [1, "\u0041"], "a": true }"#.utf8))
/// // {"a":true,"b":[1,"A"]}
/// ```
/// The service compares requests by it (an `Idempotency-Key` retried with the same body whatever
/// its spacing or member order).
public enum JSONCanonicalForm {
    /// The canonical bytes of a JSON document; throws `JSONSyntaxError` when it is not JSON.
    public static func bytes(of document: [UInt8], maxDepth: Int = 256) throws -> [UInt8] {
        let tape = try JSONParser.parse(document, maxDepth: maxDepth)
        var out: [UInt8] = []
        out.reserveCapacity(document.count)
        write(tape, 0, into: &out)
        return out
    }

    private static func write(_ tape: JSONTape, _ index: Int, into out: inout [UInt8]) {
        let node = tape.nodes[index]
        switch node.kind {
        case .object:
            var members: [(name: [UInt8], value: Int)] = []
            members.reserveCapacity(tape.count(index))
            var i = index + 1
            for _ in 0..<tape.count(index) {
                members.append((Array(tape.string(i).utf8), i + 1))
                i = tape.next(after: i + 1)
            }
            members.sort { $0.name.lexicographicallyPrecedes($1.name) }
            out.append(UInt8(ascii: "{"))
            for (n, member) in members.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.name, into: &out)
                out.append(UInt8(ascii: ":"))
                write(tape, member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array:
            out.append(UInt8(ascii: "["))
            var i = index + 1
            for n in 0..<tape.count(index) {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                write(tape, i, into: &out)
                i = tape.next(after: i)
            }
            out.append(UInt8(ascii: "]"))
        case .string:
            writeString(Array(tape.string(index).utf8), into: &out)
        case .number:
            out.append(contentsOf: tape.bytes[Int(node.a)..<Int(node.b)])
        case .true:
            out.append(contentsOf: Array("true".utf8))
        case .false:
            out.append(contentsOf: Array("false".utf8))
        case .null:
            out.append(contentsOf: Array("null".utf8))
        }
    }

    private static func writeString(_ utf8: [UInt8], into out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for c in utf8 {
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\")); out.append(c)
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8)); out.append(hex[Int(c >> 4)]); out.append(hex[Int(c & 15)])
            default:
                out.append(c)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
