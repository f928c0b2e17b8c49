import Foundation
import Testing
@testable import Primes

struct LucasLehmerFixture: Decodable {
    struct Row: Decodable { let exponent: UInt64, isPrime: Bool, residue64: String }
    let primeExponents: [Row]
    let compositeExponents: [UInt64]
}

@Suite struct LucasLehmerTests {
    let fixture: LucasLehmerFixture = try! Fixture.load("lucas_lehmer.json")

    /// Every prime exponent up to 4423 (and a few beyond) against a plain Python big-int LL.
    @Test func res64MatchesReferenceForAllPrimeExponents() throws {
        #expect(fixture.primeExponents.count > 600)
        var primes: [UInt64] = []
        for row in fixture.primeExponents {
            let r = try LucasLehmer.run(row.exponent)
            #expect(r.isPrime == row.isPrime, "p = \(row.exponent)")
            #expect(r.residue64 == row.residue64, "p = \(row.exponent)")
            if r.isPrime { primes.append(row.exponent) }
        }
        // the Mersenne prime exponents found are exactly the table's
        let known = KnownMersennePrimes.all.map(\.exponent).filter { $0 > 2 && $0 <= 11213 }
        #expect(primes == known)
    }

    @Test func compositeExponentsGiveAReason() throws {
        for p in fixture.compositeExponents {
            let r = try LucasLehmer.run(p)
            #expect(!r.isPrime && r.residue64 == nil)
            #expect(r.reason?.contains("composite") == true)
        }
        let two = try LucasLehmer.run(2)
        #expect(two.isPrime && two.residue64 == nil)
        #expect(throws: PrimesError.invalid(field: "exponent", message: "must be between 2 and 10000000, got 1")) {
            try LucasLehmer.run(1)
        }
    }

    /// Interrupt at a checkpoint, serialise it to JSON, resume: same answer as one uninterrupted run.
    @Test func checkpointResumeGivesTheSameResidue() throws {
        let p: UInt64 = 3217
        let straight = try LucasLehmer.run(p)
        var saved: [LucasLehmerCheckpoint] = []
        var iterationsSeen = 0
        #expect(throws: PrimesError.cancelled) {
            try LucasLehmer.run(p, checkpointEvery: .iterations(500), onCheckpoint: { saved.append($0) },
                                progress: { done, _ in iterationsSeen = done },
                                isCancelled: { iterationsSeen >= 1234 })
        }
        // checkpoints at 500, 1000 and the one written on cancellation
        #expect(saved.map(\.iteration) == [500, 1000, iterationsSeen])
        let json = try JSONEncoder().encode(saved.last!)
        #expect(try JSONDecoder().decode(LucasLehmerCheckpoint.self, from: json) == saved.last!)
        let restored = try LucasLehmerCheckpoint(serialized: saved.last!.serialized())
        #expect(restored == saved.last!)
        try LucasLehmer.validate(restored)
        var progress: [Int] = []
        let resumed = try LucasLehmer.run(p, from: restored, progress: { done, total in
            progress.append(done)
            #expect(total == Int(p) - 2)
        })
        #expect(resumed == straight && resumed.isPrime)
        #expect(progress.first == restored.iteration && progress.last == Int(p) - 2)
        // resuming from the middle checkpoint gives the same result too
        #expect(try LucasLehmer.run(p, from: saved[0]) == straight)
    }

    @Test func badCheckpointsAreRejected() {
        let wrongExponent = LucasLehmerCheckpoint(exponent: 89, iteration: 3, residue: [4])
        #expect(throws: PrimesError.self) { try LucasLehmer.run(107, from: wrongExponent) }
        let tooFar = LucasLehmerCheckpoint(exponent: 89, iteration: 88, residue: [4])
        #expect(throws: PrimesError.self) { try LucasLehmer.run(89, from: tooFar) }
        let unreduced = LucasLehmerCheckpoint(exponent: 7, iteration: 1, residue: [200])
        #expect(throws: PrimesError.self) { try LucasLehmer.run(7, from: unreduced) }
    }

    @Test func corruptCheckpointFilesAreRejected() throws {
        let good = LucasLehmerCheckpoint(exponent: 521, iteration: 100, residue: [1, 2, 3, 4, 5]).serialized()
        #expect(try LucasLehmerCheckpoint(serialized: good).iteration == 100)
        var flipped = good; flipped[30] ^= 1
        #expect(throws: PrimesError.self) { try LucasLehmerCheckpoint(serialized: flipped) }
        #expect(throws: PrimesError.self) { try LucasLehmerCheckpoint(serialized: Array(good.dropLast())) }
        #expect(throws: PrimesError.self) { try LucasLehmerCheckpoint(serialized: Array("hello".utf8)) }
        #expect(throws: PrimesError.self) { try LucasLehmer.run(11_000_001) }
    }

    @Test func timeBasedCheckpointsFire() throws {
        var count = 0
        _ = try LucasLehmer.run(2203, checkpointEvery: .seconds(0), onCheckpoint: { _ in count += 1 })
        #expect(count == 2200)   // every iteration but the last
    }

    @Test func knownResiduesOfSmallComposites() throws {
        // M11 = 2047 = 23 · 89: s_9 = 1736 = 0x6C8; M23: Res64 of the GIMPS-style test
        #expect(try LucasLehmer.run(11).residue64 == "00000000000006C8")
        #expect(try LucasLehmer.run(89).residue64 == "0000000000000000")
    }
}
