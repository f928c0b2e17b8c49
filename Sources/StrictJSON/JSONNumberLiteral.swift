/// Conversions of a JSON number literal (already checked against JSON's grammar) to Swift numbers,
/// each telling exactly why it cannot: out of a type's range (`1e400` for a double, `300` for a
/// `UInt8`) or not an integer (`1.5` for an `Int`). Integral literals in any notation (`5`, `5.0`,
/// `5e0`) are accepted for integer types, as Foundation's JSONDecoder does.
struct JSONNumberLiteral {
    let bytes: UnsafeBufferPointer<UInt8>

    /// The literal's parts: sign, the significant digits (no leading zeros), the decimal exponent of
    /// their last digit (saturated at ±2^40), as in ±digits × 10^exponent.
    struct Parts {
        var negative = false
        var digits: ArraySlice<UInt8> = []
        var exponent = 0
        var isZero: Bool { digits.isEmpty }
    }

    func parts() -> Parts {
        var r = Parts()
        var i = 0
        if bytes[0] == UInt8(ascii: "-") { r.negative = true; i = 1 }
        var all: [UInt8] = []
        var fraction = 0
        var seenPoint = false
        while i < bytes.count, bytes[i] != UInt8(ascii: "e") && bytes[i] != UInt8(ascii: "E") {
            let c = bytes[i]
            if c == UInt8(ascii: ".") { seenPoint = true } else {
                if !(all.isEmpty && c == 48) { all.append(c - 48) }
                if seenPoint { fraction += 1 }
            }
            i += 1
        }
        var exponent = 0
        if i < bytes.count {
            i += 1
            var negativeExponent = false
            if bytes[i] == UInt8(ascii: "-") { negativeExponent = true; i += 1 } else if bytes[i] == UInt8(ascii: "+") { i += 1 }
            while i < bytes.count {
                if exponent < 1 << 40 { exponent = exponent * 10 + Int(bytes[i] - 48) }
                i += 1
            }
            if negativeExponent { exponent = -exponent }
        }
        var end = all.count
        while end > 0 && all[end - 1] == 0 { end -= 1; exponent += 1 }
        r.digits = all[0..<end]
        r.exponent = r.digits.isEmpty ? 0 : exponent - fraction
        return r
    }

    enum IntegerFailure: Error { case notAnInteger, outOfRange }

    /// The exact integer value, or why there is none (magnitude as UInt64 plus sign).
    func integer() -> Result<(negative: Bool, magnitude: UInt64), IntegerFailure> {
        let r = parts()
        if r.isZero { return .success((false, 0)) }
        guard r.exponent >= 0 else { return .failure(.notAnInteger) }
        guard r.digits.count + r.exponent <= 20 else { return .failure(.outOfRange) }
        var v: UInt64 = 0
        for d in r.digits {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1 && !o2 else { return .failure(.outOfRange) }
            v = s
        }
        for _ in 0..<r.exponent {
            let (m, o) = v.multipliedReportingOverflow(by: 10)
            guard !o else { return .failure(.outOfRange) }
            v = m
        }
        return .success((r.negative, v))
    }

    static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { acc, _ in acc * 10 } }

    /// The nearest double (±infinity beyond the range, ±0 below it).
    func double() -> Double {
        // Clinger's fast path: up to 15 digits and |exponent| ≤ 22 are exact in one operation.
        var mantissa: UInt64 = 0, digits = 0, fraction = 0, i = 0, negative = false, simple = true
        if bytes[0] == UInt8(ascii: "-") { negative = true; i = 1 }
        var seenPoint = false
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: ".") { seenPoint = true; i += 1; continue }
            if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { simple = false; break }
            if mantissa != 0 || c != 48 { digits += 1 }
            mantissa = mantissa &* 10 &+ UInt64(c - 48)
            if seenPoint { fraction += 1 }
            i += 1
        }
        if simple && digits <= 15 && fraction <= 22 {
            let m = Double(mantissa)
            let v = fraction == 0 ? m : m / Self.powersOfTen[fraction]
            return negative ? -v : v
        }
        return Double(String(decoding: bytes, as: UTF8.self)) ?? .nan
    }
}
