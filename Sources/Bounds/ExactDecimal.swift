import Foundation
import StrictJSON

/// A decimal number exactly as written (significand × 10^exponent), for the sample-size formulas
/// whose value can be an exact integer that binary floating point misses (σ² = 0.09, ε = 0.01,
/// δ = 0.03 gives exactly 30000; in doubles 30000.000000000004 and a ceiling of 30001).
///
/// Decodes from a JSON string ("0.09") or number. A number is its literal exactly as written
/// (`JSONNumberText`, under the service's strict decoder); elsewhere Foundation `Decimal` decoding,
/// then a `Double` read through its shortest round-trip text, which equals the written text for up
/// to 15 significant digits.
public struct ExactDecimal: Sendable, Equatable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// The decimal digits of |value| without leading zeros ("0" for zero).
    public let digits: String
    public let exponent: Int
    public let isNegative: Bool

    /// Parses "-12.5e-3"-style text; nil when it is not a finite decimal number.
    public init?(_ text: String) {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        var negative = false
        if s.first == "-" || s.first == "+" {
            negative = s.first == "-"
            s = s.dropFirst()
        }
        var mantissa = s
        var exp = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = s[..<e]
            guard let parsed = Int(s[s.index(after: e)...]), abs(parsed) <= 10_000 else { return nil }
            exp = parsed
        }
        var intPart = mantissa
        var fracPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = mantissa[..<dot]
            fracPart = mantissa[mantissa.index(after: dot)...]
        }
        guard !(intPart.isEmpty && fracPart.isEmpty),
              intPart.allSatisfy({ $0.isASCII && $0.isNumber }),
              fracPart.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var all = String(intPart) + String(fracPart)
        exp -= fracPart.count
        while all.count > 1 && all.first == "0" { all.removeFirst() }
        while all.count > 1 && all.last == "0" { all.removeLast(); exp += 1 }
        guard all.count <= 40 else { return nil }
        if all == "0" { exp = 0; negative = false }
        digits = all
        exponent = exp
        isNegative = negative
    }

    public init(_ decimal: Decimal) {
        self.init(decimal.description)!
    }

    public init(integerLiteral value: Int) { self.init(String(value))! }

    /// A literal in code means the decimal it prints as (0.3 is 0.3).
    public init(floatLiteral value: Double) { self.init(value) }

    /// The shortest round-trip text of a finite double (0.3 is 0.3); non-finite doubles give 0.
    public init(_ double: Double) {
        self = double.isFinite ? ExactDecimal("\(double)") ?? ExactDecimal("0")! : ExactDecimal("0")!
    }

    public init(from decoder: Decoder) throws {
        if let literal = try? JSONNumberText(from: decoder) {
            guard let v = ExactDecimal(literal.text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                    debugDescription: "must be a decimal number of at most 40 significant digits and exponent ±10000, got \(literal.text.prefix(40))"))
            }
            self = v
            return
        }
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            guard let v = ExactDecimal(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "must be a finite decimal number")
            }
            self = v
        } else if let d = try? c.decode(Decimal.self), !d.isNaN, let v = ExactDecimal(d.description) {
            self = v
        } else {
            let x = try c.decode(Double.self)
            guard x.isFinite, let v = ExactDecimal("\(x)") else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "must be a finite decimal number")
            }
            self = v
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(doubleValue)
    }

    public var description: String { (isNegative ? "-" : "") + digits + (exponent == 0 ? "" : "e\(exponent)") }

    public var doubleValue: Double { Double(description) ?? .nan }

    public var isZero: Bool { digits == "0" }

    /// The significand as an exact integer.
    var significand: ExactInteger { ExactInteger(decimalDigits: digits) }
}
