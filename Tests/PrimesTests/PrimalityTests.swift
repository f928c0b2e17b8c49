import Foundation
import Testing
@testable import Primes

struct PrimalityCase: Decodable {
    let n: String, isPrime: Bool, nextPrime: String, strongPseudoprimeBase2: Bool
}

@Suite struct PrimalityTests {
    /// Against gmpy2.is_bpsw_prp / gmpy2.next_prime (and gmpy2.is_prime(n, 50) below 2^64).
    @Test func matchesGmpy2() throws {
        let cases: [PrimalityCase] = try Fixture.load("primality.json")
        #expect(cases.count > 300)
        #expect(cases.contains { $0.strongPseudoprimeBase2 && $0.n.count > 20 })   // BPSW must reject these
        for c in cases {
            let r = try Primality.check(c.n)
            #expect(r.n == c.n)
            #expect(r.isPrime == c.isPrime, "n = \(c.n)")
            #expect(r.nextPrime == c.nextPrime, "next prime after \(c.n)")
            let sixtyFourBit = UInt64(c.n) != nil
            // Below 2^64 every answer is certain; above, composites are certain (a witness) and primes probable.
            #expect(r.certainty == (sixtyFourBit || !r.isPrime ? "certain" : "probable"), "\(r.n): \(r.reason)")
        }
    }

    /// The 64-bit test is our own Miller–Rabin; compare it with a sieve over a range, and with
    /// strong pseudoprimes to many bases.
    @Test func deterministic64BitAgreesWithSieve() {
        let limit = 200_000
        var composite = [Bool](repeating: false, count: limit)
        composite[0] = true; composite[1] = true
        for i in 2..<limit where !composite[i] {
            var j = i * i
            while j < limit { composite[j] = true; j += i }
        }
        for i in 0..<limit { #expect(Primality.isPrime(UInt64(i)) == !composite[i]) }
        // strong pseudoprimes to bases 2…11, 2…23 and 2…37 (the last is > 2^64 ... so its 64-bit cousins)
        for n: UInt64 in [2_152_302_898_747, 3_474_749_660_383, 341_550_071_728_321, 3_825_123_056_546_413_051] {
            #expect(!Primality.isPrime(n))
        }
    }

    @Test func normalisesAndValidates() throws {
        #expect(try Primality.check("0007").n == "7")
        #expect(try Primality.check("0").nextPrime == "2")
        #expect(try Primality.check(String(repeating: "9", count: 1000)).isPrime == false)
        for bad in ["", "-7", "1e5", "12 ", String(repeating: "1", count: 1001)] {
            #expect(throws: PrimesError.self) { try Primality.check(bad) }
        }
        do { _ = try Primality.check("x") } catch { #expect(error.field == "n") }
    }

    @Test func crossesTwoToTheSixtyFour() throws {
        let r = try Primality.check("18446744073709551557")
        #expect(r.isPrime && r.certainty == "certain" && r.nextPrime == "18446744073709551629" && r.nextPrimeCertainty == "probable")
    }
}
