import Foundation
import Testing
@testable import Primes

/// The decimal-radix expansion against GMP's `mpz_get_str`, byte for byte: every known Mersenne prime
/// exponent up to 3,021,377 and random exponents up to 200,000, on both kernel builds.
@Suite struct DecimalPowerTests {
    func gmpDigits(_ p: UInt64) -> [UInt8] {
        BigInt.mersenne(p).withDecimalDigits { Array($0) }
    }

    @Test func knownMersennePrimesMatchGMP() throws {
        let exponents = KnownMersennePrimes.all.map(\.exponent).filter { $0 <= 3_021_377 }
        #expect(exponents.count == 37)
        let failures = onBothCores(exponents) { p in
            guard let digits = DecimalPower.mersenneDigits(p, baseline: p % 4 == 3 && p < 100_000) else { return "M\(p): check failed" }
            return digits == gmpDigits(p) ? nil : "M\(p) differs from GMP"
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func randomExponentsMatchGMP() throws {
        var generator = SplitMix(seed: 2026)
        let exponents = (0..<40).map { _ in UInt64.random(in: 1...200_000, using: &generator) } + [1, 2, 3, 4, 10, 64, 100, 1000, 99_999, 100_000, 200_000]
        let failures = onBothCores(exponents) { p in
            guard let digits = DecimalPower.mersenneDigits(p, baseline: p % 3 == 0) else { return "p \(p): check failed" }
            return digits == gmpDigits(p) ? nil : "p \(p) differs from GMP"
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// The public entry point uses the decimal radix from the threshold on and gives GMP's bytes.
    @Test func expansionAboveTheThresholdIsGMPs() throws {
        let p: UInt64 = 132_049
        #expect(p >= DecimalPower.threshold)
        var data = Data()
        try Mersenne.writeDecimalExpansion(exponent: p, chunkSize: 1 << 16) { data.append($0) }
        #expect(Array(data) == gmpDigits(p))
    }

    /// The final check rejects a wrong number.
    @Test func verificationCatchesAWrongDigit() {
        var x: [UInt16] = [24, 1]          // 1024 = 2^10 in base 1000
        #expect(DecimalPower.verify(x, 10))
        x[0] = 25
        #expect(!DecimalPower.verify(x, 10))
        #expect(!DecimalPower.verify([24, 1], 11))
    }
}
