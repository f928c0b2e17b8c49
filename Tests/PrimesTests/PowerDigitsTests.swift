import Foundation
import Testing
@testable import Primes

struct DigitsCase: Decodable {
    let base: String, exponent: String, offset: Int, leading: Int, trailing: Int
    let digits: String, leadingDigits: String, trailingDigits: String, note: String
}

@Suite struct PowerDigitsTests {
    @Test func matchesReferenceFixtures() throws {
        let cases: [DigitsCase] = try Fixture.load("digits.json")
        #expect(cases.count > 400)
        var methods: [String: Int] = [:]
        for c in cases {
            let r = try PowerDigits.compute(base: c.base, exponent: c.exponent, offset: c.offset,
                                            leading: c.leading, trailing: c.trailing)
            #expect(String(r.digits) == c.digits, "digits of \(c.base)^\(c.exponent)\(c.offset >= 0 ? "+" : "")\(c.offset)")
            #expect(r.leadingDigits == c.leadingDigits, "leading of \(c.base)^\(c.exponent)+\(c.offset)")
            #expect(r.trailingDigits == c.trailingDigits, "trailing of \(c.base)^\(c.exponent)+\(c.offset)")
            methods[r.method, default: 0] += 1
        }
        // every code path is exercised by the fixtures
        #expect(methods["exact", default: 0] > 50)
        #expect(methods["interval", default: 0] > 50)
        #expect(methods["powerOfTen", default: 0] > 20)
    }

    /// notes/primes.md §5: the naive Double formula is wrong for these; the exact answers are pinned.
    @Test func pitfallsFromTheNotes() throws {
        #expect(try PowerDigits.compute(base: 999_999_999_999_998, exponent: 1).digits == 15)
        #expect(try PowerDigits.compute(base: 6, exponent: 863_372_858, leading: 0, trailing: 0).digits == 671_834_669)
        #expect(try PowerDigits.compute(base: 1_000_000, exponent: 1).digits == 7)
        // naive floor(1e18 * log10(1e18 - 1)) + 1 gives 1.8e19 + 1
        let r = try PowerDigits.compute(base: "999999999999999999", exponent: "1000000000000000000", leading: 5, trailing: 3)
        #expect(r.digits == 18_000_000_000_000_000_000)
    }

    @Test func zeroPaddingAndSmallNumbers() throws {
        let r = try PowerDigits.compute(base: 2, exponent: 10, offset: -1, leading: 2, trailing: 3)
        #expect(r.digits == 4 && r.leadingDigits == "10" && r.trailingDigits == "023")
        let short = try PowerDigits.compute(base: 2, exponent: 10, offset: -1, leading: 20, trailing: 20)
        #expect(short.leadingDigits == "1023" && short.trailingDigits == "1023")
        #expect(try PowerDigits.compute(base: 0, exponent: 3).leadingDigits == "0")
        #expect(try PowerDigits.compute(base: 2, exponent: 3, offset: -8).digits == 1)
    }

    @Test func powersOfTenNeverLoop() throws {
        let r = try PowerDigits.compute(base: 1_000_000_000_000_000_000, exponent: 1_000_000_000_000_000_000,
                                        offset: -1, leading: 3, trailing: 9)
        #expect(r.digits == 18_000_000_000_000_000_000)
        #expect(r.leadingDigits == "999" && r.trailingDigits == "999999999")
        #expect(r.method == "powerOfTen")
    }

    @Test func validationNamesTheField() {
        func field(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let e as PrimesError { return e.field } catch { return "?" }
        }
        #expect(field { _ = try PowerDigits.compute(base: "1000000000000000001", exponent: "2") } == "base")
        #expect(field { _ = try PowerDigits.compute(base: "12a", exponent: "2") } == "base")
        #expect(field { _ = try PowerDigits.compute(base: "-2", exponent: "2") } == "base")
        #expect(field { _ = try PowerDigits.compute(base: "2", exponent: "1000000000000000001") } == "exponent")
        #expect(field { _ = try PowerDigits.compute(base: "2", exponent: "99999999999999999999999") } == "exponent")
        #expect(field { _ = try PowerDigits.compute(base: "2", exponent: "3", offset: 1_000_001) } == "offset")
        #expect(field { _ = try PowerDigits.compute(base: "2", exponent: "3", offset: -9) } == "offset")
        #expect(field { _ = try PowerDigits.compute(base: "2", exponent: "3", leading: 1001) } == "leading")
        #expect(field { _ = try PowerDigits.compute(base: "2", exponent: "3", trailing: -1) } == "trailing")
        #expect(field { _ = try PowerDigits.compute(base: "0", exponent: "0") } == "exponent")
        #expect(field { _ = try PowerDigits.compute(base: "007", exponent: "00") } == nil)
    }

    /// The interval path and the exact path agree where both are possible (around the switch).
    @Test func intervalAgreesWithExact() throws {
        for (b, e, c) in [(2 as UInt64, 70_001 as UInt64, -1), (3, 50_000, 999_999), (999_999_999_999, 2_000, -1_000_000),
                          (7, 40_000, 12_345)] {
            let exact = try PowerDigits.exact(base: b, exponent: e, offset: c, leading: 40, trailing: 40)
            let interval = try #require(PowerDigits.interval(base: b, exponent: e, offset: c, leading: 40, trailing: 40))
            #expect(exact.digits == interval.digits)
            #expect(exact.leadingDigits == interval.leadingDigits)
            #expect(exact.trailingDigits == interval.trailingDigits)
        }
    }
}

extension PowerDigitsTests {
    /// 2^578451474249 = 1.000000000000…·10^174131075296 (578451474249 is a continued-fraction
    /// denominator of log10 2): a low precision cannot certify 20 leading digits, so `interval`
    /// must retry with more bits.
    @Test func lowPrecisionIsRejectedNotGuessed() throws {
        #expect(PowerDigits.certifiedLeading(base: 2, exponent: 578_451_474_249, offset: 0, k: 20, precision: 80) == nil)
        let certain = try #require(PowerDigits.certifiedLeading(base: 2, exponent: 578_451_474_249, offset: 0, k: 20, precision: 400))
        #expect(certain.leading.hasPrefix("1000000000000"))
        let r = try PowerDigits.compute(base: 2, exponent: 578_451_474_249, offset: -1, leading: 20, trailing: 0)
        #expect(r.leadingDigits == certain.leading && r.digits == certain.digits)
    }
}
