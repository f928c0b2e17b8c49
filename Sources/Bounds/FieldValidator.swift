/// Input checks shared by every calculator: presence, finiteness, ranges and integrality, each
/// failure naming the field. Magnitudes are limited to 1e100 (and positive quantities to ≥ 1e−100)
/// so that every ratio, square and product the formulas form stays a finite double.
struct FieldValidator: Sendable {
    /// Prefix for nested fields, e.g. "distribution." or "distribution.of.".
    var prefix: String = ""

    static let maxMagnitude = 1e100
    static let minPositive = 1e-100

    func path(_ field: String) -> String { prefix + field }

    func fail(_ field: String, _ message: String) -> BoundsError {
        .invalid(field: path(field), message: message)
    }

    /// A present, finite number with |x| ≤ 1e100.
    func number(_ value: Double?, _ field: String) throws(BoundsError) -> Double {
        guard let value else { throw fail(field, "is required") }
        guard value.isFinite else { throw fail(field, "must be a finite number") }
        guard abs(value) <= Self.maxMagnitude else { throw fail(field, "must be at most 1e100 in magnitude") }
        return value
    }

    /// x > 0 (and ≥ 1e−100).
    func positive(_ value: Double?, _ field: String) throws(BoundsError) -> Double {
        let x = try number(value, field)
        guard x > 0 else { throw fail(field, "must be > 0") }
        guard x >= Self.minPositive else { throw fail(field, "must be at least 1e-100") }
        return x
    }

    /// x ≥ 0 (0 or ≥ 1e−100).
    func nonNegative(_ value: Double?, _ field: String) throws(BoundsError) -> Double {
        let x = try number(value, field)
        guard x >= 0 else { throw fail(field, "must be ≥ 0") }
        guard x == 0 || x >= Self.minPositive else { throw fail(field, "must be 0 or at least 1e-100") }
        return x
    }

    /// 0 ≤ p ≤ 1.
    func probability(_ value: Double?, _ field: String) throws(BoundsError) -> Double {
        let x = try number(value, field)
        guard x >= 0 && x <= 1 else { throw fail(field, "must be in [0, 1]") }
        return x
    }

    /// 0 < p < 1.
    func openProbability(_ value: Double?, _ field: String) throws(BoundsError) -> Double {
        let x = try number(value, field)
        guard x > 0 && x < 1 else { throw fail(field, "must be strictly between 0 and 1") }
        return x
    }

    /// An integer in [minimum, maximum].
    func integer(_ value: Double?, _ field: String, minimum: Int = 1, maximum: Int) throws(BoundsError) -> Int {
        let x = try number(value, field)
        guard x == x.rounded() else { throw fail(field, "must be an integer") }
        guard x >= Double(minimum) else { throw fail(field, "must be ≥ \(minimum)") }
        guard x <= Double(maximum) else { throw fail(field, "must be ≤ \(maximum)") }
        return Int(x)
    }

    /// A tail name, defaulting when absent.
    func tail(_ value: String?, _ field: String = "tail", default fallback: Tail?, allowed: [Tail]) throws(BoundsError) -> Tail {
        guard let value else {
            guard let fallback else { throw fail(field, "is required (one of \(allowed.map(\.rawValue).joined(separator: ", ")))") }
            return fallback
        }
        guard let tail = Tail(rawValue: value), allowed.contains(tail) else {
            throw fail(field, "must be one of \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
        return tail
    }
}
