import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Primes

struct BenfordFixture: Decodable {
    struct Stats: Decodable {
        let count: Int, ignored: Int, belowTen: Int, counts: [Int], chiSquare: Double, pValue: Double, mad: Double
        let conformity: String, zScores: [Double], ks: Double
    }
    struct DataSet: Decodable {
        let name: String, values: [String], firstDigit: Stats, secondDigit: Stats, firstTwoDigits: Stats
        /// The generator confirmed counts and MAD of this set with benford-py 0.5.0.
        let crossCheckedWithBenfordPy: Bool?
        func stats(_ test: BenfordTest) -> Stats {
            switch test {
            case .firstDigit: return firstDigit
            case .secondDigit: return secondDigit
            case .firstTwoDigits: return firstTwoDigits
            }
        }
    }
    struct Powers: Decodable { let base: String, count: Int, firstTwo: [Int], firstDigit: Stats }
    let sets: [DataSet], powers: [Powers]
}

/// Relative closeness for statistics computed in a different order (Python vs Swift summation).
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}

@Suite struct BenfordTests {
    let fixture: BenfordFixture = try! Fixture.load("benford.json")

    func check(_ r: BenfordResult, _ ref: BenfordFixture.Stats, _ label: String) {
        #expect(r.count == ref.count && r.ignored == ref.ignored && r.belowTen == ref.belowTen, "\(label)")
        #expect(r.observed.map(\.count) == ref.counts, "\(label)")
        #expect(close(r.chiSquare, ref.chiSquare), "\(label) chi² \(r.chiSquare) vs \(ref.chiSquare)")
        // p-values from scipy.stats.chi2.sf; absolute tolerance for the tiny ones
        #expect(abs(r.pValue - ref.pValue) <= 1e-10 + 1e-8 * ref.pValue, "\(label) p \(r.pValue) vs \(ref.pValue)")
        #expect(close(r.mad, ref.mad), "\(label)")
        #expect(r.conformity == ref.conformity, "\(label)")
        #expect(r.zScores.count == ref.zScores.count)
        for (z, zr) in zip(r.zScores, ref.zScores) { #expect(close(z.z, zr), "\(label) z") }
        #expect(close(r.ks.statistic, ref.ks), "\(label) ks")
    }

    @Test func matchesPythonReference() throws {
        #expect(fixture.sets.filter { $0.crossCheckedWithBenfordPy == true }.count >= 3)
        for set in fixture.sets {
            for test in BenfordTest.allCases {
                let r = try Benford.analyze(set.values.map(BenfordValue.text), test: test)
                check(r, set.stats(test), "\(set.name)/\(test)")
                #expect(r.degreesOfFreedom == test.digits.count - 1)
                #expect(close(r.expected.reduce(0) { $0 + $1.proportion }, 1, 1e-12))
            }
        }
    }

    /// Numbers below 10 have no second digit: the second-digit and first-two-digits tests leave them out
    /// (Nigrini; benford_py agrees on the fixture's integer sets) and say how many.
    @Test func valuesBelowTenAreLeftOutOfTheTwoDigitTests() throws {
        for test in [BenfordTest.firstTwoDigits, .secondDigit] {
            let r = try Benford.powers(base: "2", count: 100, test: test)
            #expect(r.count == 97 && r.belowTen == 3, "\(test)")
            let values = (1...100).map { n in BenfordValue.text(String(describing: (0..<n).reduce(Decimal(1)) { v, _ in v * 2 })) }
            let direct = try Benford.analyze(values, test: test)
            #expect(direct.count == 97 && direct.belowTen == 3 && direct.observed == r.observed, "\(test)")
        }
        #expect(try Benford.powers(base: "2", count: 100, test: .firstDigit).count == 100)
        // Below 10 in any notation; 10 itself and above stay.
        let mixed: [BenfordValue] = [.text("9.99"), .text("0.5"), .text("1e0"), .text("0.099e2"), .number(9.5),
                                     .text("10"), .text("1e1"), .text("0.1e2"), .number(25), .text("1e400")]
        let r = try Benford.analyze(mixed, test: .firstTwoDigits)
        #expect(r.belowTen == 5 && r.count == 5 && r.ignored == 0)
        #expect(r.observed.first { $0.digit == 10 }?.count == 4)
        #expect(throws: PrimesError.self) { try Benford.analyze([.text("2"), .text("3")], test: .secondDigit) }
    }

    /// Leading digits of base^n (certified running interval) against gmpy2's exact powers.
    @Test func powersMatchExactDigits() throws {
        for p in fixture.powers {
            let b = UInt64(p.base)!
            #expect(try Benford.powerFirstTwoDigits(base: b, count: p.count) == p.firstTwo, "base \(p.base)")
            check(try Benford.powers(base: p.base, count: p.count), p.firstDigit, "powers of \(p.base)")
        }
        // 2^n is Benford: 1000 powers conform closely
        #expect(try Benford.powers(base: "2", count: 1000).conformity == "close")
    }

    /// Numbers are read by their shortest round-trip decimal (what the caller wrote): 0.3 is "30" although
    /// the binary double is 0.29999…, and the smallest subnormal (4.94…e-324) prints as 5e-324.
    @Test func parsesValuesByTheirSignificantDigits() {
        let cases: [(BenfordValue, Int?)] = [
            (.number(0.3), 30), (.number(123.0), 12), (.number(-4), nil), (.number(0), nil), (.number(.infinity), nil),
            (.number(.nan), nil), (.number(.leastNonzeroMagnitude), 50), (.number(1.7976931348623157e308), 17),
            (.text("1e99999999999"), 10), (.text("0.000000000000000000000000000987"), 98), (.text("9"), 90),
            (.text("1_000"), nil), (.text("0x10"), nil), (.text("-0.5"), nil), (.text("--5"), nil),
        ]
        for (value, expected) in cases {
            #expect(Benford.firstTwoSignificantDigits(value) == expected, "\(value)")
        }
    }

    @Test func nothingValidIsAnError() {
        #expect(throws: PrimesError.invalid(field: "values", message: "no positive numeric value to analyse (3 given, all ignored)")) {
            try Benford.analyze([.text("0"), .text("-1"), .text("x")], test: .firstDigit)
        }
        #expect(throws: PrimesError.self) { try Benford.powers(base: "1", count: 10) }
        #expect(throws: PrimesError.self) { try Benford.powers(base: "2", count: 100_001) }
    }

    /// χ² survival function spot values (scipy.stats.chi2.sf): df 8 at 15.507 ≈ 0.05, df 89 at 112.022 ≈ 0.05.
    @Test func chiSquareCriticalValues() {
        #expect(abs(ChiSquare.survival(15.507, degreesOfFreedom: 8) - 0.05) < 1e-4)
        #expect(abs(ChiSquare.survival(20.090, degreesOfFreedom: 8) - 0.01) < 1e-4)
        #expect(abs(ChiSquare.survival(112.022, degreesOfFreedom: 89) - 0.05) < 1e-4)
        #expect(abs(ChiSquare.survival(16.919, degreesOfFreedom: 9) - 0.05) < 1e-4)
        #expect(ChiSquare.survival(0, degreesOfFreedom: 8) == 1)
    }
}

extension BenfordTests {
    @Test func svgChartHasOneBarPerDigit() throws {
        let r = try Benford.powers(base: "2", count: 200, test: .firstDigit)
        let svg = BenfordChart.svg(r)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<rect x=").count - 1 == 9)
        #expect(svg.contains("N = 200"))
        let two = BenfordChart.svg(try Benford.powers(base: "3", count: 500, test: .firstTwoDigits))
        #expect(two.components(separatedBy: "<rect x=").count - 1 == 90)
        // well-formed XML
        #expect(XMLParser(data: Data(svg.utf8)).parse())
    }
}
