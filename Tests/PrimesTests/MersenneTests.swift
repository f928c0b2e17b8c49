import Foundation
import Testing
@testable import Primes

struct MersenneFixture: Decodable {
    struct Known: Decodable { let rank: Int, exponent: UInt64, digits: UInt64, leading: String, trailing: String }
    struct Facts: Decodable {
        let exponent: UInt64, digits: UInt64, leading: Int, trailing: Int
        let leadingDigits: String, trailingDigits: String, lastDigit: Int
    }
    struct Expansion: Decodable {
        let exponent: UInt64, length: Int, head: String, tail: String, checksum: Int, full: String?
    }
    let known: [Known], facts: [Facts], expansions: [Expansion]
}

@Suite struct MersenneTests {
    let fixture: MersenneFixture = try! Fixture.load("mersenne.json")

    @Test func tableHas52PrimesInOrder() {
        let all = KnownMersennePrimes.all
        #expect(all.count == 52)
        #expect(all.map(\.rank) == Array(1...52))
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.exponent < $1.exponent })
        #expect(all.filter(\.provisional).map(\.rank) == [49, 50, 51, 52])
        #expect(KnownMersennePrimes.entry(exponent: 77_232_917)?.rank == 50)
        #expect(KnownMersennePrimes.entry(exponent: 11) == nil)
    }

    /// Table digits against gmpy2's exact expansions (len(str(2^p − 1))) for all 52.
    @Test func tableDigitsMatchGmpy2() {
        #expect(fixture.known.count == 52)
        for (row, ref) in zip(KnownMersennePrimes.all, fixture.known) {
            #expect(row.exponent == ref.exponent && row.rank == ref.rank)
            #expect(row.digits == ref.digits, "M\(row.exponent)")
        }
    }

    /// Table digits by exact computation here: GMP builds 2^p − 1 and the digit count is
    /// sizeinbase(10) corrected by one comparison with 10^(d−1) (all exponents up to 3·10^6 here;
    /// the larger ones are checked against gmpy2 above and by the certified interval below).
    @Test func tableDigitsByExactComputation() {
        for row in KnownMersennePrimes.all where row.exponent <= 3_100_000 {
            let m = BigInt.mersenne(row.exponent)
            #expect(UInt64(PowerDigits.exactDigitCount(m)) == row.digits, "M\(row.exponent)")
        }
    }

    @Test func factsOfKnownPrimesMatchGmpy2() throws {
        for ref in fixture.known {
            let f = try Mersenne.facts(exponent: ref.exponent, leading: 50, trailing: 50)
            #expect(f.known && f.rank == ref.rank)
            #expect(f.digits == ref.digits)
            #expect(f.leadingDigits == String(ref.leading.prefix(50)), "M\(ref.exponent)")
            #expect(f.trailingDigits == ref.trailing, "M\(ref.exponent)")
            #expect(f.lastDigit == Int(String(ref.trailing.last!)))
        }
        let seed = try Mersenne.facts(exponent: 77_232_917)
        #expect(seed.digits == 23_249_425 && seed.lastDigit == 1)
    }

    @Test func factsOfArbitraryExponents() throws {
        #expect(fixture.facts.count > 40)
        for ref in fixture.facts {
            let f = try Mersenne.facts(exponent: String(ref.exponent), leading: ref.leading, trailing: ref.trailing)
            #expect(f.digits == ref.digits, "p = \(ref.exponent)")
            #expect(f.leadingDigits == ref.leadingDigits, "p = \(ref.exponent)")
            #expect(f.trailingDigits == ref.trailingDigits, "p = \(ref.exponent)")
            #expect(f.lastDigit == ref.lastDigit, "p = \(ref.exponent)")
            #expect(f.known == (KnownMersennePrimes.entry(exponent: ref.exponent) != nil))
        }
    }

    @Test func rejectsOutOfRangeExponents() {
        for bad in ["0", "1000000001", "x", "", "-3"] {
            #expect(throws: PrimesError.self) { try Mersenne.facts(exponent: bad) }
        }
        do { _ = try Mersenne.facts(exponent: "0") } catch { #expect(error.field == "exponent") }
    }

    @Test func expansionsEqualGmpy2() throws {
        for ref in fixture.expansions {
            var chunks = 0
            var data = Data()
            var lastProgress = (0, 0)
            let written = try Mersenne.writeDecimalExpansion(exponent: ref.exponent, chunkSize: 4096,
                                                             progress: { lastProgress = ($0, $1) }) { chunk in
                chunks += 1
                data.append(chunk)
            }
            #expect(written == ref.length && data.count == ref.length)
            #expect(try Mersenne.decimalDigitCount(exponent: ref.exponent) == UInt64(ref.length))
            #expect(lastProgress == (ref.length, ref.length))
            #expect(chunks == (ref.length + 4095) / 4096)
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.hasPrefix(ref.head) && text.hasSuffix(ref.tail))
            var checksum = 0
            for byte in data { checksum = (checksum * 31 + Int(byte)) % 1_000_000_007 }
            #expect(checksum == ref.checksum, "M\(ref.exponent)")
            if let full = ref.full { #expect(text == full) }
        }
    }

    @Test func expansionIsCancellableAndBounded() throws {
        var calls = 0
        #expect(throws: PrimesError.cancelled) {
            try Mersenne.writeDecimalExpansion(exponent: 44_497, chunkSize: 1000, isCancelled: { calls += 1; return calls > 3 }) { _ in }
        }
        #expect(throws: PrimesError.self) { try Mersenne.writeDecimalExpansion(exponent: 150_000_001) { _ in } }
        #expect(try Mersenne.decimalString(exponent: 7) == "127")
    }
}
