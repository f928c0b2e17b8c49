/// Input parsing and limit checks shared by the Primes entry points. Every failure is a
/// `PrimesError.invalid` naming the field.
enum PrimesValidation {
    /// Parses a non-negative decimal integer string (ASCII digits only, at most `maxDigits` of them,
    /// leading zeros allowed) into a UInt64 in `range`.
    static func unsigned(_ text: String, field: String, range: ClosedRange<UInt64>) throws(PrimesError) -> UInt64 {
        let trimmed = text.hasPrefix("+") ? String(text.dropFirst()) : text
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw .invalid(field: field, message: "must be a non-negative decimal integer, got \(quoted(text))")
        }
        let significant = trimmed.drop(while: { $0 == "0" })
        guard significant.count <= 20, let value = UInt64(significant.isEmpty ? "0" : String(significant)) else {
            throw .invalid(field: field, message: "must be at most \(range.upperBound)")
        }
        try check(value, field: field, range: range)
        return value
    }

    static func check(_ value: UInt64, field: String, range: ClosedRange<UInt64>) throws(PrimesError) {
        guard range.contains(value) else {
            throw .invalid(field: field, message: "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
    }

    static func check(_ value: Int, field: String, range: ClosedRange<Int>) throws(PrimesError) {
        guard range.contains(value) else {
            throw .invalid(field: field, message: "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
    }

    /// A short, printable rendering of untrusted input for messages.
    static func quoted(_ text: String) -> String {
        let cut = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "\"" + cut.unicodeScalars.map { $0.isASCII && $0.value >= 32 ? String($0) : "?" }.joined() + "\""
    }
}
