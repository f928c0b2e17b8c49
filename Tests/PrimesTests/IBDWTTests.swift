import Foundation
import Testing
@testable import Primes

struct IBDWTFixture: Decodable {
    struct Row: Decodable { let exponent: UInt64, ll: String, prp: String }
    struct JacobiRun: Decodable {
        struct Row: Decodable { let iteration: Int, minus2: Int, plus2: Int }
        let exponent: UInt64, rows: [Row]
    }
    let residues: [Row]
    let sampleAbove20000: [UInt64]
    let jacobi: [JacobiRun]
}

/// Failure messages collected from two threads.
final class Failures: @unchecked Sendable {
    let lock = NSLock()
    var list: [String] = []
    func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
}

/// The next index to work on, shared by threads.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var position = 0
    func take() -> Int { lock.lock(); defer { position += 1; lock.unlock() }; return position }
}

/// Runs `body` over `items` on two threads (the suite's machines have two cores) and collects failures.
/// The threads take the next item from a shared queue, so put the longest first: the two then finish
/// together instead of one waiting for the other's long tail.
func onBothCores<T: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) throws -> String?) -> [String] {
    let failures = Failures(), queue = WorkQueue()
    DispatchQueue.concurrentPerform(iterations: 2) { _ in
        while true {
            let index = queue.take()
            guard index < items.count else { return }
            let item = items[index]
            let failure: String?
            do { failure = try body(item) } catch { failure = "\(item): \(error)" }
            if let failure { failures.add(failure) }
        }
    }
    return failures.list
}

/// The IBDWT against GMP: Res64 of Lucas–Lehmer and of the PRP test (GIMPS type 1) for every prime exponent
/// up to 20,000 and a random sample up to 200,000, from fixtures that gmpy2 computed
/// (Scripts/make_ibdwt_fixtures.py); the error checks by injected faults; the round-off check by lengths
/// that are too short.
@Suite struct IBDWTTests {
    let fixture: IBDWTFixture

    init() throws { fixture = try Fixture.load("ibdwt_residues.json") }

    /// The builds of the IBDWT kernel: the fastest the CPU runs (AVX-512 where it has it), AVX2 + FMA, x86-64 baseline.
    static let kinds: [MersenneEngine.Kind] = [.dwt, .dwtAVX2, .dwtBaseline]

    /// The kernel variant of the i-th exponent of a run: the automatic engine for the exponent, forced to the
    /// IBDWT below the GMP threshold, on each build in turn; on two threads sharing each squaring every sixth
    /// exponent (from length 64, the shortest the two-thread split takes), so that each build meets it too.
    static func options(_ index: Int) -> MersenneRunOptions {
        MersenneRunOptions(engine: kinds[index % 3], threads: index % 6 == 5 ? 2 : 1)
    }

    /// Which fixture rows the suite runs in full (a run costs about p²·log p: all 2269 take about four minutes
    /// of CPU, too much for every CI run). LL: every prime exponent up to 6000 (FFT lengths 32 to 256 and the
    /// GMP-sized ones), every 6th above it up to 20,000 (lengths 256 to 1024), and the fixture's sampled
    /// exponents up to 70,000 (lengths 2048 and 4096); PRP every exponent up to 6000, every 12th above it (at
    /// another offset) and the smallest sampled one. Every length up to 4096 gets dozens of exponents (many
    /// word widths p mod N) on each build and thread count; the longer lengths, to 2^17 words (p ≈ 2.4
    /// million), are checked against GMP over 100 squarings by `roundOffMarginAndResidueAtEveryLength`, and
    /// PRP differs from LL in its driver (Gerbicz blocks, the tail block, the product), not in the squaring.
    static func chosen(_ rows: [IBDWTFixture.Row], stride: Int, offset: Int, samplesUpTo: UInt64) -> [IBDWTFixture.Row] {
        rows.enumerated().filter { index, row in
            row.exponent <= 6000 || (row.exponent <= 20_000 && index % stride == offset) || (row.exponent > 20_000 && row.exponent <= samplesUpTo)
        }.map(\.element).sorted { $0.exponent < $1.exponent }
    }

    /// Runs `body` on the chosen rows (ascending; the position picks the variant), longest first (for
    /// `onBothCores`).
    func runRows(_ rows: [IBDWTFixture.Row], _ body: @escaping @Sendable (IBDWTFixture.Row, MersenneRunOptions) throws -> String?) -> [String] {
        onBothCores(Array(rows.enumerated()).reversed()) { index, row in try body(row, Self.options(index)) }
    }

    @Test func lucasLehmerMatchesGMP() throws {
        #expect(fixture.residues.count == 2261 + 8)
        #expect(fixture.residues.filter { $0.exponent <= 20_000 }.count == 2261)   // π(20000) = 2262, less p = 2
        let rows = Self.chosen(fixture.residues, stride: 6, offset: 0, samplesUpTo: 70_000)
        #expect(rows.count > 1000 && rows.filter { $0.exponent > 20_000 }.count == 4)
        let failures = runRows(rows) { row, options in
            let r = try LucasLehmer.run(row.exponent, from: nil, checkpointEvery: .never, onCheckpoint: { _ in }, progress: { _, _ in },
                                        isCancelled: { false }, onEvent: { _ in }, options: options)
            return r.residue64 == row.ll ? nil : "LL p = \(row.exponent) \(options.engine) ×\(options.threads ?? 1): \(r.residue64 ?? "-") expected \(row.ll)"
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    @Test func probablePrimeMatchesGMP() throws {
        let rows = Self.chosen(fixture.residues, stride: 12, offset: 5, samplesUpTo: 30_000)
        // Every kernel variant gets its share of exponents of each length above 6000.
        for variant in 0..<6 {
            #expect(rows.enumerated().filter { $0.element.exponent > 6000 && $0.element.exponent <= 20_000 && $0.offset % 6 == variant }.count >= 10)
        }
        let failures = runRows(rows) { row, options in
            let r = try ProbablePrime.run(row.exponent, base: 3, from: nil, checkpointEvery: .never, onCheckpoint: { _ in },
                                          progress: { _, _ in }, isCancelled: { false }, onEvent: { _ in }, options: options)
            guard r.residue64 == row.prp, r.isProbablePrime == (row.prp == "0000000000000001") else {
                return "PRP p = \(row.exponent) \(options.engine) ×\(options.threads ?? 1): \(r.residue64 ?? "-") expected \(row.prp)"
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
        // PRP and LL agree (in gmpy2's fixture) on which exponents give primes, and those are the known ones.
        let llPrimes = fixture.residues.filter { $0.ll == "0000000000000000" }.map(\.exponent)
        let prpPrimes = fixture.residues.filter { $0.prp == "0000000000000001" }.map(\.exponent)
        #expect(llPrimes == prpPrimes)
        #expect(llPrimes == KnownMersennePrimes.all.map(\.exponent).filter { $0 > 2 && $0 <= 200_000 && llPrimes.contains($0) })
    }

    /// At every IBDWT length up to 2^17 words, the largest prime exponent given that length: the round-off of
    /// 100 Lucas–Lehmer squarings from a random residue stays below 0.3 (the limit is 0.4) and the residue is
    /// GMP's, on every build and on one and two threads (the only test of two-thread squarings above the
    /// lengths the fixture reaches).
    @Test func roundOffMarginAndResidueAtEveryLength() throws {
        var generator = SplitMix(seed: 64)
        var n = 32
        while n <= 1 << 17 {
            var p = Int(Double(n) * MersenneEngine.maxBitsPerWord(n))
            while MersenneEngine.length(for: p) != n || Primality.smallestFactor(UInt64(p)) != nil { p -= 1 }
            let limbs = (0..<(p + 63) / 64).map { i in i == (p - 1) / 64 ? generator.next() >> UInt64(64 - (p - 1) % 64 - 1) : generator.next() }
            let iterations = 100
            let modulus = BigInt.mersenne(UInt64(p)), s = BigInt(limbs: limbs), a = BigInt(), b = BigInt()
            for _ in 0..<iterations { s.mersenneSquare(p: UInt64(p), modulus: modulus, addend: -2, square: a, high: b) }
            let expected = s.limbs(count: (p + 63) / 64)
            for kind in Self.kinds {
                for threads in n >= 64 ? [1, 2] : [1] {
                    let engine = MersenneEngine.make(exponent: p, slots: 1, options: MersenneRunOptions(engine: kind, threads: threads))
                    #expect(engine.length == n)
                    engine.load(0, limbs: limbs)
                    var worst = 0.0
                    for _ in 0..<iterations { worst = max(worst, engine.square(0, addend: -2)) }
                    #expect(worst < 0.3, "p \(p) length \(n) \(engine.name): round-off \(worst)")
                    #expect(engine.limbs(0) == expected, "p \(p) length \(n) \(engine.name)")
                }
            }
            n *= 2
        }
    }

    /// The GMP path (the default below 3000) against the same fixtures, so both engines are pinned.
    @Test func gmpPathMatchesTheFixtures() throws {
        for row in fixture.residues where row.exponent < 1500 {
            let opts = MersenneRunOptions(engine: .gmp)
            #expect(try LucasLehmer.run(row.exponent, from: nil, checkpointEvery: .never, onCheckpoint: { _ in }, progress: { _, _ in },
                                        isCancelled: { false }, onEvent: { _ in }, options: opts).residue64 == row.ll)
            #expect(try ProbablePrime.run(row.exponent, base: 3, from: nil, checkpointEvery: .never, onCheckpoint: { _ in },
                                          progress: { _, _ in }, isCancelled: { false }, onEvent: { _ in }, options: opts).residue64 == row.prp)
        }
    }

    /// The statement of the Jacobi check against gmpy2's symbols: for k ≥ 1, (s_k − 2 | M_p) is −1 and
    /// (s_k + 2 | M_p) is +1 (0 only where they share a factor with a composite M_p); at k = 0 (s = 4)
    /// the first symbol is +1, which is why the check starts at k = 1.
    @Test func jacobiStatementMatchesGmpy2() throws {
        for run in fixture.jacobi {
            let modulus = BigInt.mersenne(run.exponent)
            let s = BigInt(4), a = BigInt(), b = BigInt()
            var k = 0
            for row in run.rows.sorted(by: { $0.iteration < $1.iteration }) {
                while k < row.iteration { s.mersenneSquare(p: run.exponent, modulus: modulus, addend: -2, square: a, high: b); k += 1 }
                let minus = BigInt(copying: s); minus.add(signed: -2); minus.reduce(modulo: modulus)
                let plus = BigInt(copying: s); plus.add(2); plus.reduce(modulo: modulus)
                #expect(minus.jacobi(modulus) == row.minus2, "p \(run.exponent) k \(k)")
                #expect(plus.jacobi(modulus) == row.plus2, "p \(run.exponent) k \(k)")
                if k >= 1 {
                    #expect(row.minus2 != 1 && row.plus2 != -1, "p \(run.exponent) k \(k)")
                    #expect(LucasLehmer.jacobiCheck(s.limbs(count: Int(run.exponent + 63) / 64), modulus: modulus, iteration: k))
                }
            }
        }
    }

    /// GMP's residue after `iterations` LL steps, with `flip` applied before iteration `at`.
    func gmpResidue(_ p: UInt64, iterations: Int, flip: (at: Int, bit: Int)?) -> [UInt64] {
        let modulus = BigInt.mersenne(p), s = BigInt(4), a = BigInt(), b = BigInt()
        for i in 0..<iterations {
            if let flip, flip.at == i {
                var limbs = s.limbs(count: Int(p + 63) / 64)
                limbs[flip.bit / 64] ^= 1 << UInt64(flip.bit % 64)
                s.set(BigInt(limbs: limbs)); s.reduce(modulo: modulus)
            }
            s.mersenneSquare(p: p, modulus: modulus, addend: -2, square: a, high: b)
        }
        return s.limbs(count: Int(p + 63) / 64)
    }

    /// A bit flip mid-run: the Jacobi check at the next checkpoint fails, the run rolls back to the last
    /// good checkpoint, says so, writes no checkpoint from the bad state, and ends with the right Res64.
    /// Which flips the check catches is decided by GMP here (it catches about half: see the next test).
    @Test func injectedBitFlipIsCaughtByTheJacobiCheck() throws {
        let p: UInt64 = 19_937, every = 1000, at = 4321
        var generator = SplitMix(seed: 17)
        let modulus = BigInt.mersenne(p)
        var caught: [(Int, Int)] = []
        while caught.count < 3 {
            let bit = Int(generator.next() % p)
            let state = gmpResidue(p, iterations: 5000, flip: (at, bit))
            if !LucasLehmer.jacobiCheck(state, modulus: modulus, iteration: 5000) { caught.append((at, bit)) }
        }
        for (iteration, bit) in caught {
            for kind in [MersenneEngine.Kind.dwt, .dwtBaseline] {
                var events: [String] = [], saved: [Int] = []
                let fault = MersenneFault(iteration: iteration, bit: bit)
                let r = try LucasLehmer.run(p, from: nil, checkpointEvery: .iterations(every), onCheckpoint: { saved.append($0.iteration) },
                                            progress: { _, _ in }, isCancelled: { false }, onEvent: { events.append($0) },
                                            options: MersenneRunOptions(engine: kind, fault: fault))
                #expect(fault.fired)
                #expect(r.isPrime && r.residue64 == "0000000000000000")
                #expect(events == ["Jacobi check failed at iteration 5000: rolled back to iteration 4000"])
                // Checkpoints 1000…4000, then (after the rollback) 5000 again from the good state, …, 19000.
                #expect(saved == Array(stride(from: 1000, through: 19_000, by: 1000)))
            }
        }
    }

    /// The check's power: over random flips it catches about half (each is a random residue to it).
    @Test func jacobiCheckCatchesAboutHalfOfRandomErrors() {
        let p: UInt64 = 4423
        let modulus = BigInt.mersenne(p)
        var generator = SplitMix(seed: 99)
        var caught = 0
        let trials = 60
        for _ in 0..<trials {
            let bit = Int(generator.next() % p)
            let state = gmpResidue(p, iterations: 600, flip: (300, bit))
            if !LucasLehmer.jacobiCheck(state, modulus: modulus, iteration: 600) { caught += 1 }
        }
        #expect((15...45).contains(caught), "caught \(caught) of \(trials)")
    }

    /// A bit flip in the PRP residue is caught by the Gerbicz check at the next check, the run returns to
    /// the last verified state, and the residue is right; with any bit, on both kernels.
    @Test func injectedBitFlipIsCaughtByTheGerbiczCheck() throws {
        let p: UInt64 = 19_937
        var generator = SplitMix(seed: 5)
        let block = ProbablePrime.blockSize(Int(p))
        for kind in [MersenneEngine.Kind.dwt, .dwtBaseline, .dwt] {
            let iteration = Int(generator.next() % UInt64(p - 200)) + 100
            let fault = MersenneFault(iteration: iteration, bit: Int(generator.next() % p))
            var events: [String] = [], saved: [Int] = []
            let r = try ProbablePrime.run(p, base: 3, from: nil, checkpointEvery: .iterations(2000), onCheckpoint: { saved.append($0.iteration) },
                                          progress: { _, _ in }, isCancelled: { false }, onEvent: { events.append($0) },
                                          options: MersenneRunOptions(engine: kind, fault: fault))
            #expect(fault.fired)
            #expect(r.isProbablePrime && r.residue64 == "0000000000000001", "flip at \(iteration)")
            if iteration >= Int(p) / block * block {
                #expect(events.count == 1 && events[0].contains("two different results"), "\(events)")
            } else {
                #expect(events.count == 1 && events[0].hasPrefix("Gerbicz check failed at iteration "), "\(events)")
            }
            #expect(saved.allSatisfy { $0 % block == 0 } && saved == saved.sorted())
        }
        // A flip in the last partial block is caught by doing those squarings twice.
        let tailStart = Int(p) / block * block
        let fault = MersenneFault(iteration: tailStart + 1, bit: 77)
        var events: [String] = []
        let r = try ProbablePrime.run(p, base: 3, from: nil, checkpointEvery: .never, onCheckpoint: { _ in }, progress: { _, _ in },
                                      isCancelled: { false }, onEvent: { events.append($0) }, options: MersenneRunOptions(engine: .dwt, fault: fault))
        #expect(r.residue64 == "0000000000000001")
        #expect(events.count == 1 && events[0].contains("two different results"))
    }

    /// Lengths that are too short: the round-off check notices, the iterations are redone at a longer
    /// length, and the result is right.
    @Test func excessRoundOffIsRedoneAtTheNextLength() throws {
        for (p, n) in [(UInt64(44_497), 1024), (23_209, 512)] {
            var events: [String] = []
            let r = try LucasLehmer.run(p, from: nil, checkpointEvery: .never, onCheckpoint: { _ in }, progress: { _, _ in },
                                        isCancelled: { false }, onEvent: { events.append($0) }, options: MersenneRunOptions(engine: .dwt, length: n))
            #expect(r.isPrime && r.residue64 == "0000000000000000", "p \(p)")
            #expect(!events.isEmpty && events[0].contains("exceeded 0.40 at FFT length \(n)"), "\(events)")
            var prpEvents: [String] = []
            let q = try ProbablePrime.run(p, base: 3, from: nil, checkpointEvery: .never, onCheckpoint: { _ in }, progress: { _, _ in },
                                          isCancelled: { false }, onEvent: { prpEvents.append($0) }, options: MersenneRunOptions(engine: .dwt, length: n))
            #expect(q.isProbablePrime && q.residue64 == "0000000000000001")
            #expect(!prpEvents.isEmpty && prpEvents[0].contains("at FFT length \(n)"), "\(prpEvents)")
        }
        // The chosen lengths keep the measured round-off well below the limit (largest p of each length).
        #expect(MersenneEngine.length(for: 86_243) == 4096)
        #expect(MersenneEngine.length(for: 1_257_787) == 65_536)
    }

    @Test func probablePrimeCheckpointsResumeAndRejectCorruption() throws {
        let p: UInt64 = 9941
        let straight = try ProbablePrime.run(p)
        var saved: [ProbablePrimeCheckpoint] = []
        var seen = 0
        #expect(throws: PrimesError.cancelled) {
            try ProbablePrime.run(p, checkpointEvery: .iterations(1000), onCheckpoint: { saved.append($0) },
                                  progress: { done, _ in seen = done }, isCancelled: { seen >= 5000 })
        }
        let block = ProbablePrime.blockSize(Int(p))
        #expect(saved.count >= 4 && saved.allSatisfy { $0.iteration % block == 0 })
        let bytes = saved.last!.serialized()
        let restored = try ProbablePrimeCheckpoint(serialized: bytes)
        #expect(restored == saved.last!)
        try ProbablePrime.validate(restored)
        var first = -1
        let resumed = try ProbablePrime.run(p, from: restored, progress: { done, _ in if first < 0 { first = done } })
        #expect(resumed == straight && resumed.isProbablePrime)
        #expect(first == restored.iteration)
        var flipped = bytes; flipped[50] ^= 4
        #expect(throws: PrimesError.self) { try ProbablePrimeCheckpoint(serialized: flipped) }
        #expect(throws: PrimesError.self) { try ProbablePrimeCheckpoint(serialized: Array(bytes.dropLast())) }
        #expect(throws: PrimesError.self) { try ProbablePrimeCheckpoint(serialized: LucasLehmerCheckpoint(exponent: 7, iteration: 1, residue: [3]).serialized()) }
        let wrong = ProbablePrimeCheckpoint(exponent: p, base: 5, iteration: restored.iteration, residue: restored.residue, product: restored.product)
        #expect(throws: PrimesError.self) { try ProbablePrime.run(p, base: 3, from: wrong) }
    }

    @Test func probablePrimeInputs() throws {
        #expect(try ProbablePrime.run(11).residue64 == LucasLehmer.res64(UInt64(gmpType1(11, base: 3))))
        #expect(try ProbablePrime.run(13, base: 5).isProbablePrime)
        #expect(try ProbablePrime.run(2).isProbablePrime)
        #expect(try ProbablePrime.run(15).reason?.contains("composite") == true)
        #expect(throws: PrimesError.self) { try ProbablePrime.run(7, base: 2) }
        #expect(throws: PrimesError.self) { try ProbablePrime.run(3, base: 7) }     // M3 = 7
        #expect(throws: PrimesError.self) { try ProbablePrime.run(10_000_001) }
        do { _ = try ProbablePrime.run(31, base: 1 << 33) } catch let e as PrimesError { #expect(e.field == "base") }
    }

    func gmpType1(_ p: UInt64, base: UInt64) -> UInt64 {
        let m = BigInt.mersenne(p)
        let e = BigInt.mersenne(p); e.subtract(1)
        var r: UInt64 = 1
        // small p only: square-and-multiply with machine words
        let mod = m.uint64Value!
        var b = base % mod, k = e.uint64Value!
        while k > 0 { if k & 1 == 1 { r = r * b % mod }; b = b * b % mod; k >>= 1 }
        return r
    }
}

/// A small deterministic generator for reproducible test cases.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
