/// sign · magnitude · 10^exponent with an arbitrary-precision magnitude: exact sums, differences and
/// integer multiples of decimals, and their floor and ceiling on the integers. This is how a
/// threshold written as a decimal meets the lattice of a discrete law: the mean of 200
/// Bernoulli(0.3) trials is ≥ 0.4 exactly when S ≥ ⌈200 · 0.4⌉ = 80 (in doubles 0.4 · 200 is
/// 80.000000000000004 and the ceiling 81).
struct DecimalValue: Sendable {
    var negative: Bool
    var magnitude: ExactInteger
    var exponent: Int

    init(negative: Bool, magnitude: ExactInteger, exponent: Int) {
        self.negative = magnitude.isZero ? false : negative
        self.magnitude = magnitude
        self.exponent = magnitude.isZero ? 0 : exponent
    }

    init(_ d: ExactDecimal) {
        self.init(negative: d.isNegative, magnitude: d.significand, exponent: d.exponent)
    }

    init(_ n: Int) {
        self.init(negative: n < 0, magnitude: ExactInteger(n.magnitude.toUInt64), exponent: 0)
    }

    /// n · self for an integer n ≥ 0.
    func times(_ n: Int) -> DecimalValue {
        DecimalValue(negative: negative, magnitude: magnitude * ExactInteger(UInt64(n)), exponent: exponent)
    }

    /// self / 2 (exact: ×5 and one more decimal place).
    var half: DecimalValue {
        DecimalValue(negative: negative, magnitude: magnitude.multiplied(bySmall: 5), exponent: exponent - 1)
    }

    static prefix func - (a: DecimalValue) -> DecimalValue {
        DecimalValue(negative: !a.negative, magnitude: a.magnitude, exponent: a.exponent)
    }

    static func + (a: DecimalValue, b: DecimalValue) -> DecimalValue {
        let e = min(a.exponent, b.exponent)
        let x = a.magnitude.timesPowerOfTen(a.exponent - e), y = b.magnitude.timesPowerOfTen(b.exponent - e)
        if a.negative == b.negative { return DecimalValue(negative: a.negative, magnitude: x + y, exponent: e) }
        // Opposite signs: the larger magnitude decides the sign.
        if x < y { return DecimalValue(negative: b.negative, magnitude: y - x, exponent: e) }
        return DecimalValue(negative: a.negative, magnitude: x - y, exponent: e)
    }

    static func - (a: DecimalValue, b: DecimalValue) -> DecimalValue { a + (-b) }

    /// Largest integer magnitude these cut-offs report; beyond it every tail of the supported laws
    /// (at most 1e9 trials, mean at most 1e9) is 0 or 1 in double precision.
    static let clamp: Int64 = 1 << 60

    /// ⌊self⌋, clamped to ±2^60.
    var floor: Int64 { integerPart(roundingUp: false) }

    /// ⌈self⌉, clamped to ±2^60.
    var ceiling: Int64 { integerPart(roundingUp: true) }

    private func integerPart(roundingUp: Bool) -> Int64 {
        var q = magnitude, inexact = false
        if exponent > 0 {
            guard magnitude.isZero || exponent <= 19 else { return negative ? -Self.clamp : Self.clamp }
            q = magnitude.timesPowerOfTen(exponent)
        } else if exponent < 0 {
            (q, inexact) = magnitude.dividedByPowerOfTen(-exponent)
        }
        guard let v = q.smallValue, v <= Self.clamp else { return negative ? -Self.clamp : Self.clamp }
        // Truncation rounds the magnitude down: up for negatives, down for positives.
        if negative { return -v - (inexact && !roundingUp ? 1 : 0) }
        return v + (inexact && roundingUp ? 1 : 0)
    }

    /// The nearest double.
    var doubleValue: Double {
        let digits = magnitude.decimalString
        return Double((negative ? "-" : "") + digits + "e\(exponent)") ?? .nan
    }
}

private extension UInt {
    var toUInt64: UInt64 { UInt64(self) }
}
