/// Primality of one integer and the next prime after it, with what is certain and why.
public struct PrimalityResult: Sendable, Equatable, Codable {
    /// The input, normalised (no sign, no leading zeros), as a decimal string.
    public let n: String
    public let isPrime: Bool
    /// "certain" when the answer is a proof: every answer below 2^64 (Miller–Rabin to the first 12 prime
    /// bases is exact there), and every composite (a factor, or a failed Baillie–PSW test, is a witness).
    /// "probable" for a prime ≥ 2^64 that passed Baillie–PSW (no counterexample known, but no proof).
    public let certainty: String
    /// Why: the divisor found, the test failed, or the test passed and what that proves.
    public let reason: String
    /// The smallest prime > n, decided with the same test.
    public let nextPrime: String
    /// "certain" when `nextPrime` < 2^64, "probable" (Baillie–PSW) beyond.
    public let nextPrimeCertainty: String
}

/// Primality tests: deterministic for 64-bit integers, Baillie–PSW (through GMP ≥ 6.2's
/// `mpz_probab_prime_p`) up to `maxDigits` digits.
///
/// ```swift
/// try Primality.check("18446744073709551557")   // isPrime true, nextPrime "18446744073709551629"
/// ```
public enum Primality {
    public static let maxDigits = 1_000

    /// Parses the "n" field (a non-negative decimal integer of at most 1000 digits) and answers.
    public static func check(_ n: String) throws(PrimesError) -> PrimalityResult {
        guard !n.isEmpty, n.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw .invalid(field: "n", message: "must be a non-negative decimal integer, got \(PrimesValidation.quoted(n))")
        }
        let significant = String(n.drop(while: { $0 == "0" }))
        guard significant.count <= maxDigits else {
            throw .invalid(field: "n", message: "must have at most \(maxDigits) digits, got \(significant.count)")
        }
        if significant.count <= 19, let small = UInt64(significant.isEmpty ? "0" : significant) {
            return check(small)
        }
        guard let big = BigInt(decimal: significant) else {
            throw .invalid(field: "n", message: "must be a non-negative decimal integer")
        }
        if let small = big.uint64Value { return check(small) }
        let next = nextProbablePrime(after: big).decimalString()
        if let p = sievePrimes.prefix(while: { $0 < 1000 }).first(where: { big.remainder(dividingBy: $0) == 0 }) {
            return PrimalityResult(n: big.decimalString(), isPrime: false, certainty: "certain",
                                   reason: "divisible by \(p)", nextPrime: next, nextPrimeCertainty: "probable")
        }
        if big.baillieGMPTest() == 0 {
            return PrimalityResult(n: big.decimalString(), isPrime: false, certainty: "certain",
                                   reason: "fails the Baillie–PSW test (strong base-2 Miller–Rabin, strong Lucas): a failed test proves n composite",
                                   nextPrime: next, nextPrimeCertainty: "probable")
        }
        return PrimalityResult(n: big.decimalString(), isPrime: true, certainty: "probable",
                               reason: "passes the Baillie–PSW test; no composite is known to pass it, but at or above 2^64 that is not a proof",
                               nextPrime: next, nextPrimeCertainty: "probable")
    }

    /// Deterministic answer for a 64-bit n; the next prime may exceed 2^64 (then it is BPSW-probable).
    public static func check(_ n: UInt64) -> PrimalityResult {
        let next: String
        let nextCertainty: String
        if n < 18_446_744_073_709_551_557 {      // the largest prime below 2^64
            var candidate = n + 1
            while !isPrime(candidate) { candidate += 1 }
            next = String(candidate)
            nextCertainty = "certain"
        } else {
            next = nextProbablePrime(after: BigInt(n)).decimalString()
            nextCertainty = "probable"
        }
        let prime = isPrime(n)
        let reason: String
        if n < 2 {
            reason = "primes are integers ≥ 2"
        } else if !prime, let p = sievePrimes.prefix(while: { $0 < 1000 }).first(where: { n % $0 == 0 && n != $0 }) {
            reason = "divisible by \(p)"
        } else if prime && n < 1000 {
            reason = "no prime below its square root divides it"
        } else {
            reason = (prime ? "passes" : "fails") + " strong Miller–Rabin to the bases 2, 3, 5, …, 37, which decides primality exactly below 3.3·10^24"
        }
        return PrimalityResult(n: String(n), isPrime: prime, certainty: "certain", reason: reason,
                               nextPrime: next, nextPrimeCertainty: nextCertainty)
    }

    /// Deterministic primality for 64-bit n: trial division by small primes, then strong
    /// Miller–Rabin to the bases 2, 3, 5, …, 37 (no strong pseudoprime to all of them below 3.3·10^24).
    public static func isPrime(_ n: UInt64) -> Bool {
        if n < 2 { return false }
        for p in smallPrimes.prefix(12) {
            if n == p { return true }
            if n % p == 0 { return false }
        }
        if n < 41 * 41 { return true }
        var d = n - 1
        var s = 0
        while d & 1 == 0 { d >>= 1; s += 1 }
        witness: for a in smallPrimes.prefix(12) {
            var x = powMod(a, d, n)
            if x == 1 || x == n - 1 { continue }
            for _ in 1..<max(s, 1) {
                x = mulMod(x, x, n)
                if x == n - 1 { continue witness }
                if x == 1 { return false }
            }
            return false
        }
        return true
    }

    /// The smallest prime factor of n ≥ 2 when n is composite, nil when n is prime (trial division;
    /// used for exponents ≤ 2·10^8).
    static func smallestFactor(_ n: UInt64) -> UInt64? {
        if n < 4 { return nil }
        if n % 2 == 0 { return 2 }
        var f: UInt64 = 3
        while f * f <= n {
            if n % f == 0 { return f }
            f += 2
        }
        return nil
    }

    /// Trial division by the primes below 1000, then Baillie–PSW (GMP).
    static func isProbablePrime(_ n: BigInt) -> Bool {
        if let small = n.uint64Value { return isPrime(small) }
        return n.baillieGMPTest() > 0
    }

    /// The smallest probable prime > n (n ≥ 2^64 − 59 here, so every candidate is large): candidates
    /// in a window of 2^14 integers are sieved by the primes below B = min(2^20, 4·bits²) (a prime q
    /// strikes the offsets i with n + i ≡ 0 mod q), survivors get the BPSW test in order. By Mertens,
    /// a fraction ≈ 1.12/ln B of the integers survive, so the deeper sieve saves BPSW tests on large n
    /// (about 94 instead of 117 per prime gap at 1000 digits) for ~0.3 µs per sieving prime.
    static func nextProbablePrime(after n: BigInt) -> BigInt {
        let windowSize = 1 << 14
        let bits = n.bitWidth
        let bound = UInt64(min(1 << 20, max(1 << 10, 4 * bits * bits)))
        let primes = sievePrimes.prefix { $0 < bound }
        let base = BigInt(copying: n)
        base.add(1)
        while true {
            var composite = [Bool](repeating: false, count: windowSize)
            for q in primes {
                let r = Int(base.remainder(dividingBy: q))
                var i = r == 0 ? 0 : Int(q) - r
                while i < windowSize { composite[i] = true; i += Int(q) }
            }
            for i in 0..<windowSize where !composite[i] {
                let candidate = BigInt(copying: base)
                candidate.add(UInt64(i))
                if candidate.baillieGMPTest() > 0 { return candidate }
            }
            base.add(UInt64(windowSize))
        }
    }

    // MARK: - 64-bit arithmetic

    static func mulMod(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return m.dividingFullWidth((high, low)).remainder
    }

    static func powMod(_ base: UInt64, _ exponent: UInt64, _ m: UInt64) -> UInt64 {
        var result: UInt64 = 1, b = base % m, e = exponent
        while e > 0 {
            if e & 1 == 1 { result = mulMod(result, b, m) }
            b = mulMod(b, b, m)
            e >>= 1
        }
        return result
    }

    static let smallPrimes: [UInt64] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37]

    /// The primes below 2^20 (Eratosthenes, computed once).
    static let sievePrimes: [UInt64] = {
        let limit = 1 << 20
        var composite = [Bool](repeating: false, count: limit)
        var primes: [UInt64] = []
        for i in 2..<limit where !composite[i] {
            primes.append(UInt64(i))
            var j = i * i
            while j < limit { composite[j] = true; j += i }
        }
        return primes
    }()
}
