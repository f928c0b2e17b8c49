/// A parsed JSON document as a flat array of nodes in document order ("tape"), over the original
/// bytes: strings and numbers stay byte ranges until a decoder asks for them, so a body of two
/// million numbers costs 12 bytes a number and no allocation per number.
///
/// Layout: an object node is followed by its members, each a key (string node) then the value's
/// subtree; an array node by its elements. A container node's `count` is its number of members or
/// elements and `next` the index just past its subtree; a scalar's subtree is itself.
struct JSONTape {
    enum Kind: UInt8 { case object, array, string, number, `true`, `false`, null }

    struct Node {
        var kind: Kind
        /// Strings: contains a backslash escape.
        var escaped: Bool
        /// Scalars: byte range of the literal (strings without their quotes). Containers: `a` is the
        /// member or element count and `b` the index of the node after the subtree.
        var a: UInt32
        var b: UInt32
    }

    let bytes: [UInt8]
    var nodes: [Node]

    func next(after index: Int) -> Int {
        let node = nodes[index]
        switch node.kind {
        case .object, .array: return Int(node.b)
        default: return index + 1
        }
    }

    func count(_ index: Int) -> Int { Int(nodes[index].a) }

    /// The literal text of a number node exactly as written.
    func literal(_ index: Int) -> String {
        let node = nodes[index]
        return String(decoding: bytes[Int(node.a)..<Int(node.b)], as: UTF8.self)
    }

    /// The value of a string node (escapes resolved; validated while parsing).
    func string(_ index: Int) -> String {
        let node = nodes[index]
        let range = Int(node.a)..<Int(node.b)
        if !node.escaped { return String(decoding: bytes[range], as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let c = bytes[i]
            guard c == UInt8(ascii: "\\") else { out.append(c); i += 1; continue }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = UInt32(Self.hex4(bytes, i))
                i += 4
                if scalar >= 0xD800 && scalar < 0xDC00 {   // a high surrogate: the parser checked the pair
                    let low = UInt32(Self.hex4(bytes, i + 2))
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default: out.append(e)   // " \ /
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex4(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        var v: UInt16 = 0
        for k in 0..<4 { v = v << 4 | UInt16(hexValue(bytes[at + k])!) }
        return v
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }
}
