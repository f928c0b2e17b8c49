import Foundation

/// Which digits a Benford analysis looks at.
public enum BenfordTest: String, Sendable, Codable, CaseIterable {
    case firstDigit, secondDigit, firstTwoDigits

    /// The digit values of the test: 1…9, 0…9 or 10…99.
    public var digits: ClosedRange<Int> {
        switch self {
        case .firstDigit: return 1...9
        case .secondDigit: return 0...9
        case .firstTwoDigits: return 10...99
        }
    }

    /// Nigrini's (2012) MAD limits for close, acceptable and marginal conformity (upper bounds inclusive).
    public var madThresholds: (close: Double, acceptable: Double, marginal: Double) {
        switch self {
        case .firstDigit: return (0.006, 0.012, 0.015)
        case .secondDigit: return (0.008, 0.010, 0.012)
        case .firstTwoDigits: return (0.0012, 0.0018, 0.0022)
        }
    }

    /// Benford's probability of digit value d under this test:
    /// first: log10(1 + 1/d); first two: log10(1 + 1/dd); second: Σ_{f=1…9} log10(1 + 1/(10f + d)).
    public func expectedProportion(_ d: Int) -> Double {
        switch self {
        case .firstDigit, .firstTwoDigits: return log10(1 + 1 / Double(d))
        case .secondDigit: return (1...9).reduce(0.0) { $0 + log10(1 + 1 / Double(10 * $1 + d)) }
        }
    }

    /// The test's digit value of a number whose first two significant digits are `firstTwo` (10…99).
    func value(ofFirstTwo firstTwo: Int) -> Int {
        switch self {
        case .firstDigit: return firstTwo / 10
        case .secondDigit: return firstTwo % 10
        case .firstTwoDigits: return firstTwo
        }
    }
}

/// One input value: a JSON number or a numeric string.
public enum BenfordValue: Sendable, Equatable {
    case number(Double)
    case text(String)
}

public struct BenfordObservedBin: Sendable, Equatable, Codable {
    public let digit: Int
    public let count: Int
    public let proportion: Double
}

public struct BenfordExpectedBin: Sendable, Equatable, Codable {
    public let digit: Int
    /// Benford's probability.
    public let proportion: Double
    /// proportion · N.
    public let count: Double
}

public struct BenfordZScore: Sendable, Equatable, Codable {
    public let digit: Int
    /// (|p_o − p_e| − 1/(2N)) / √(p_e(1 − p_e)/N), the continuity term applied only when it is smaller
    /// than |p_o − p_e| (Nigrini).
    public let z: Double
    /// |z| > 1.96.
    public let significant95: Bool
    /// |z| > 2.576.
    public let significant99: Bool
}

/// Kolmogorov–Smirnov statistic over the cumulative digit distribution, with the (conservative for
/// discrete data) critical values c/√N.
public struct BenfordKS: Sendable, Equatable, Codable {
    public let statistic: Double
    public let critical95: Double
    public let critical99: Double
    public let rejected95: Bool
}

/// The result of a Benford analysis.
public struct BenfordResult: Sendable, Equatable, Codable {
    public let test: BenfordTest
    /// Values analysed.
    public let count: Int
    /// Values ignored: zero, negative, non-numeric or non-finite.
    public let ignored: Int
    /// Positive values below 10 left out of a second-digit or first-two-digits test: they have no second
    /// digit of their own (Nigrini's convention, and benford_py's); 0 for the first-digit test.
    public let belowTen: Int
    public let observed: [BenfordObservedBin]
    public let expected: [BenfordExpectedBin]
    /// Σ (O − E)² / E.
    public let chiSquare: Double
    public let degreesOfFreedom: Int
    /// Upper tail of the χ² distribution with `degreesOfFreedom` at `chiSquare`.
    public let pValue: Double
    /// Mean absolute deviation Σ|p_o − p_e| / bins.
    public let mad: Double
    /// Nigrini: "close", "acceptable", "marginal" or "nonconformity" (meant for N ≳ 1000).
    public let conformity: String
    public let zScores: [BenfordZScore]
    public let ks: BenfordKS
}

/// Benford's-law analysis of a data set, and of the powers base^1 … base^count.
///
/// ```swift
/// let r = try Benford.analyze([.number(123), .text("0.0456"), .text("-3")], test: .firstDigit)
/// // count 2, ignored 1
/// ```
public enum Benford {
    public static let maxValues = 1_000_000
    public static let maxPowers = 100_000

    /// Analyses the values (field "values"; each entry "values[i]" is either a number or a numeric
    /// string such as "1.5e300"). Zero, negative, non-numeric and non-finite values are ignored and
    /// counted. Only the significant digits matter, so strings of any magnitude are exact.
    /// The second-digit and first-two-digits tests leave out values below 10 and count them in
    /// `belowTen` (Nigrini's convention: 2 has no second digit, and is not "20").
    public static func analyze(_ values: [BenfordValue], test: BenfordTest) throws(PrimesError) -> BenfordResult {
        guard values.count <= maxValues else {
            throw .invalid(field: "values", message: "at most \(maxValues) values, got \(values.count)")
        }
        var firstTwo: [Int] = []
        firstTwo.reserveCapacity(values.count)
        var ignored = 0, belowTen = 0
        for value in values {
            guard let v = significantDigits(value) else { ignored += 1; continue }
            if test != .firstDigit && v.exponent < 1 { belowTen += 1; continue }
            firstTwo.append(v.firstTwo)
        }
        guard !firstTwo.isEmpty else {
            if belowTen > 0 {
                throw .invalid(field: "values", message: "no value of at least 10 to analyse: the \(test.rawValue) test leaves out the \(belowTen) values below 10")
            }
            throw .invalid(field: "values", message: "no positive numeric value to analyse (\(values.count) given, all ignored)")
        }
        return analyze(firstTwoDigits: firstTwo, ignored: ignored, belowTen: belowTen, test: test)
    }

    /// Leading digits of base^1, …, base^count (fields "base" ≥ 2 up to 10^18, "count" 1…100,000).
    public static func powers(base: String, count: Int, test: BenfordTest = .firstDigit) throws(PrimesError) -> BenfordResult {
        let b = try PrimesValidation.unsigned(base, field: "base", range: 2...PowerDigits.maxBase)
        return try powers(base: b, count: count, test: test)
    }

    public static func powers(base: UInt64, count: Int, test: BenfordTest = .firstDigit) throws(PrimesError) -> BenfordResult {
        try PrimesValidation.check(base, field: "base", range: 2...PowerDigits.maxBase)
        try PrimesValidation.check(count, field: "count", range: 1...maxPowers)
        var firstTwo = try powerFirstTwoDigits(base: base, count: count)
        var belowTen = 0
        if test != .firstDigit {
            // base^n < 10 for the first few n only: they have no second digit (2, 4, 8 for base 2).
            var power: UInt64 = 1
            while belowTen < count, power * base < 10 { power *= base; belowTen += 1 }
            firstTwo.removeFirst(belowTen)
        }
        guard !firstTwo.isEmpty else {
            throw .invalid(field: "count", message: "every power is below 10, which the \(test.rawValue) test leaves out")
        }
        return analyze(firstTwoDigits: firstTwo, ignored: 0, belowTen: belowTen, test: test)
    }

    /// The first two significant digits (10…99) of base^n for n = 1…count.
    ///
    /// A running enclosure lo ≤ base^n / 10^j ≤ hi is kept in 128-bit MPFR arithmetic (lo rounded down,
    /// hi up, both divided by 10 while lo ≥ 10); the digits are floor(10·lo) when that equals
    /// floor(10·hi) and both lie in [10, 100). Otherwise (the mantissa is within ~n·2^-120 of a digit
    /// boundary) the certified `PowerDigits` answers for that n.
    static func powerFirstTwoDigits(base: UInt64, count: Int) throws(PrimesError) -> [Int] {
        let precision = 128
        let lo = BigFloat(precision: precision), hi = BigFloat(precision: precision)
        let a = BigFloat(precision: precision), b = BigFloat(precision: precision)
        lo.set(1, .down); hi.set(1, .up)
        var result: [Int] = []
        result.reserveCapacity(count)
        for n in 1...count {
            lo.multiply(by: base, .down); hi.multiply(by: base, .up)
            while lo.compare(10) >= 0 { lo.divide(by: 10, .down); hi.divide(by: 10, .up) }
            a.set(lo, .down); a.multiply(by: 10, .down)
            b.set(hi, .up); b.multiply(by: 10, .up)
            let x = a.floor(), y = b.floor()
            if x.compare(y) == 0, let v = x.uint64Value, (10...99).contains(v) {
                result.append(Int(v))
            } else {
                let digits = try PowerDigits.compute(base: base, exponent: UInt64(n), offset: 0, leading: 2, trailing: 0)
                let lead = digits.leadingDigits
                result.append(Int(lead.count == 1 ? lead + "0" : lead)!)
            }
        }
        return result
    }

    /// First two significant digits of one value, nil when it is ignored.
    static func firstTwoSignificantDigits(_ value: BenfordValue) -> Int? { significantDigits(value)?.firstTwo }

    /// First two significant digits (10…99, a single digit d as d0) and the decimal exponent e of a
    /// positive value (10^e ≤ value < 10^(e+1)), nil when it is ignored.
    static func significantDigits(_ value: BenfordValue) -> (firstTwo: Int, exponent: Int)? {
        switch value {
        case .number(let x):
            guard x.isFinite, x > 0 else { return nil }
            return significantDigits(text: "\(x)")   // shortest round-trip decimal
        case .text(let s):
            return significantDigits(text: s)
        }
    }

    static func firstTwoSignificantDigits(text: String) -> Int? { significantDigits(text: text)?.firstTwo }

    /// Parses [+]digits[.digits][(e|E)[±]digits] (surrounding spaces allowed) and returns the first two
    /// significant digits and the decimal exponent of a positive value, nil for zero, negatives and
    /// anything else. Exponents saturate at ±10^12 (only their sign relative to 1 matters here).
    static func significantDigits(text: String) -> (firstTwo: Int, exponent: Int)? {
        var bytes = Array(text.utf8)
        while let f = bytes.first, f == 32 || f == 9 { bytes.removeFirst() }
        while let l = bytes.last, l == 32 || l == 9 || l == 10 || l == 13 { bytes.removeLast() }
        var i = 0
        if i < bytes.count && bytes[i] == UInt8(ascii: "+") { i += 1 }
        var significant: [Int] = []
        var sawDigit = false, sawPoint = false
        // Position of the first significant digit: digits before the point after it, or zeros after the point before it.
        var integerDigits = 0, leadingFractionZeros = 0
        while i < bytes.count {
            let c = bytes[i]
            if c >= 48 && c <= 57 {
                sawDigit = true
                let leading = significant.isEmpty && c == 48
                if significant.count < 2 && !leading { significant.append(Int(c - 48)) }
                if !sawPoint && !(leading) { integerDigits += 1 }
                if sawPoint && leading && integerDigits == 0 { leadingFractionZeros += 1 }
            } else if c == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            i += 1
        }
        guard sawDigit else { return nil }
        var written = 0
        if i < bytes.count {
            guard bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") else { return nil }
            i += 1
            var negative = false
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) {
                negative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < bytes.count else { return nil }
            while i < bytes.count {
                guard bytes[i] >= 48 && bytes[i] <= 57 else { return nil }
                if written < 1_000_000_000_000 { written = written * 10 + Int(bytes[i] - 48) }
                i += 1
            }
            if negative { written = -written }
        }
        guard let first = significant.first else { return nil }   // zero
        let exponent = (integerDigits > 0 ? integerDigits - 1 : -(leadingFractionZeros + 1)) + written
        return (10 * first + (significant.count > 1 ? significant[1] : 0), exponent)
    }

    /// The statistics of `firstTwo` (each 10…99) under `test`.
    static func analyze(firstTwoDigits firstTwo: [Int], ignored: Int, belowTen: Int, test: BenfordTest) -> BenfordResult {
        let digits = Array(test.digits)
        let lowest = digits[0]
        var counts = [Int](repeating: 0, count: digits.count)
        for v in firstTwo { counts[test.value(ofFirstTwo: v) - lowest] += 1 }
        let n = Double(firstTwo.count)
        let expectedP = digits.map(test.expectedProportion)
        var chi = 0.0, absSum = 0.0, ks = 0.0, cumO = 0.0, cumE = 0.0
        var observed: [BenfordObservedBin] = [], expected: [BenfordExpectedBin] = [], zs: [BenfordZScore] = []
        for (index, d) in digits.enumerated() {
            let po = Double(counts[index]) / n, pe = expectedP[index]
            let e = pe * n
            chi += (Double(counts[index]) - e) * (Double(counts[index]) - e) / e
            absSum += abs(po - pe)
            cumO += po; cumE += pe
            ks = max(ks, abs(cumO - cumE))
            let diff = abs(po - pe), correction = 1 / (2 * n)
            let z = (diff - (correction < diff ? correction : 0)) / (pe * (1 - pe) / n).squareRoot()
            observed.append(BenfordObservedBin(digit: d, count: counts[index], proportion: po))
            expected.append(BenfordExpectedBin(digit: d, proportion: pe, count: e))
            zs.append(BenfordZScore(digit: d, z: z, significant95: z > 1.96, significant99: z > 2.576))
        }
        let mad = absSum / Double(digits.count)
        let t = test.madThresholds
        let conformity = mad <= t.close ? "close" : mad <= t.acceptable ? "acceptable" : mad <= t.marginal ? "marginal" : "nonconformity"
        let df = digits.count - 1
        let root = n.squareRoot()
        return BenfordResult(test: test, count: firstTwo.count, ignored: ignored, belowTen: belowTen, observed: observed, expected: expected,
                             chiSquare: chi, degreesOfFreedom: df, pValue: ChiSquare.survival(chi, degreesOfFreedom: df),
                             mad: mad, conformity: conformity, zScores: zs,
                             ks: BenfordKS(statistic: ks, critical95: 1.358 / root, critical99: 1.628 / root,
                                           rejected95: ks > 1.358 / root))
    }
}
