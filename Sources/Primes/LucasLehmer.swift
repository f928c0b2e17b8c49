import Foundation

/// The state of an unfinished Lucas–Lehmer test: after `iteration` squarings the residue is
/// s_iteration mod 2^exponent − 1 (s_0 = 4), stored as little-endian bytes. Codable, so the Service
/// layer can write it atomically to the data directory and resume from it after a restart.
public struct LucasLehmerCheckpoint: Sendable, Equatable, Codable {
    public let exponent: UInt64
    public let iteration: Int
    public let residue: [UInt8]

    public init(exponent: UInt64, iteration: Int, residue: [UInt8]) {
        self.exponent = exponent
        self.iteration = iteration
        self.residue = residue
    }

    /// Compact binary form for checkpoint files: "LLCK", version 1, then exponent, iteration and residue
    /// length as little-endian UInt64, the residue bytes, and an FNV-1a 64-bit checksum of all before it.
    public func serialized() -> [UInt8] {
        var out = Array("LLCK".utf8) + [1]
        for v in [exponent, UInt64(iteration), UInt64(residue.count)] {
            withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
        }
        out.append(contentsOf: residue)
        withUnsafeBytes(of: Self.fnv1a(out).littleEndian) { out.append(contentsOf: $0) }
        return out
    }

    /// Reads `serialized()` output; a truncated, corrupted or foreign file is rejected (field "checkpoint").
    public init(serialized bytes: [UInt8]) throws(PrimesError) {
        let header = 5 + 24, trailer = 8
        guard bytes.count >= header + trailer, Array(bytes[0..<5]) == Array("LLCK".utf8) + [1] else {
            throw .invalid(field: "checkpoint", message: "not a Lucas–Lehmer checkpoint")
        }
        func word(_ at: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in (0..<8).reversed() { v = v << 8 | UInt64(bytes[at + i]) }
            return v
        }
        let length = word(21)
        guard length <= UInt64(bytes.count), bytes.count == header + Int(length) + trailer,
              word(bytes.count - trailer) == Self.fnv1a(Array(bytes[0..<(bytes.count - trailer)])),
              word(13) <= UInt64(Int.max) else {
            throw .invalid(field: "checkpoint", message: "the checkpoint is truncated or corrupted")
        }
        self.init(exponent: word(5), iteration: Int(word(13)), residue: Array(bytes[header..<(header + Int(length))]))
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}

/// Result of a Lucas–Lehmer test of M_p = 2^p − 1.
public struct LucasLehmerResult: Sendable, Equatable, Codable {
    public let exponent: UInt64
    public let isPrime: Bool
    /// The low 64 bits of the final residue s_{p−2} mod M_p as 16 upper-case hex digits, the "Res64"
    /// GIMPS prints ("0000000000000000" for a prime). Nil when no test was run (p = 2, composite p).
    public let residue64: String?
    /// Why the answer is what it is when the test itself was not run.
    public let reason: String?

    public init(exponent: UInt64, isPrime: Bool, residue64: String?, reason: String?) {
        self.exponent = exponent
        self.isPrime = isPrime
        self.residue64 = residue64
        self.reason = reason
    }
}

/// How often `LucasLehmer.run` hands out a checkpoint.
public enum CheckpointPolicy: Sendable, Equatable {
    case never
    /// After every `n` iterations.
    case iterations(Int)
    /// When at least this many seconds have passed since the last checkpoint (checked each iteration).
    case seconds(Double)
}

/// The Lucas–Lehmer test: for an odd prime p, M_p = 2^p − 1 is prime iff s_{p−2} ≡ 0 (mod M_p),
/// where s_0 = 4 and s_{i+1} = s_i² − 2. Each step reduces s² by shift-and-add (2^p ≡ 1 mod M_p),
/// see `BigInt.lucasLehmerStep`.
///
/// ```swift
/// let r = try LucasLehmer.run(11)            // isPrime false, residue64 "00000000000006C8" (M11 = 23 · 89)
/// ```
public enum LucasLehmer {
    /// Largest exponent accepted: about 4.5 days of one core at p = 10^7 with GMP (notes/primes.md §2);
    /// a test at 10^8 would take about a year.
    public static let maxExponent: UInt64 = 10_000_000
    /// Exponents up to this answer inline in well under a second (the Service layer may use it to decide
    /// between an inline answer and a job).
    public static let inlineExponentLimit: UInt64 = 20_000

    /// Validates the "exponent" field and returns the prime-exponent test's number of iterations
    /// (p − 2), or a finished result when no iterations are needed (p = 2, composite p).
    public static func plan(exponent p: UInt64) throws(PrimesError) -> (iterations: Int, immediate: LucasLehmerResult?) {
        try PrimesValidation.check(p, field: "exponent", range: 2...maxExponent)
        if p == 2 {
            return (0, LucasLehmerResult(exponent: 2, isPrime: true, residue64: nil,
                                         reason: "M2 = 3 is prime; the Lucas–Lehmer test applies to odd prime exponents"))
        }
        if let factor = Primality.smallestFactor(p) {
            return (0, LucasLehmerResult(exponent: p, isPrime: false, residue64: nil,
                                         reason: "the exponent \(p) is composite (divisible by \(factor)), so 2^\(p) − 1 is divisible by 2^\(factor) − 1"))
        }
        return (Int(p - 2), nil)
    }

    /// Runs (or resumes) the test of 2^p − 1.
    ///
    /// The squarings use the IBDWT (`MersenneEngine`) from p = 3000 on and GMP below. The round-off of every
    /// IBDWT squaring is measured; above `MersenneEngine.roundOffLimit` the iterations since the last safe
    /// point (at most 64) are redone at twice the length, which is kept for the rest of the run.
    ///
    /// The Jacobi check runs at every checkpoint and on the final residue: for k ≥ 1,
    /// (s_k − 2 | M_p) = −1 and (s_k + 2 | M_p) = +1, since s_k − 2 = 12·V² and s_k + 2 = s_{k−1}² for an
    /// integer V, and (3 | M_p) = −1 for odd p (the check GpuOwl runs on its LL residues, computed by GMP's
    /// `mpz_jacobi`). A random error passes it with probability about 1/2. A checkpoint is handed out only
    /// after a passing check; a failing check rolls back to the last state that passed (or the start) and
    /// reports it through `onEvent`. After `maxConsecutiveRollbacks` failures in a row the test gives up.
    ///
    /// - `checkpoint`: resume from this state (validated: same exponent, iteration in range, residue < M_p).
    /// - `onCheckpoint`: receives the state per `checkpointEvery`, and once more before a cancellation
    ///   is reported (the last state that passed the check), so no work is lost.
    /// - `progress(done, total)`: iterations done of p − 2, at most ~1000 calls plus the last.
    /// - `isCancelled`: checked every iteration; throws `PrimesError.cancelled`.
    /// - `onEvent`: one sentence per rollback or change of FFT length.
    public static func run(_ p: UInt64, from checkpoint: LucasLehmerCheckpoint? = nil,
                           checkpointEvery: CheckpointPolicy = .never,
                           onCheckpoint: (LucasLehmerCheckpoint) throws -> Void = { _ in },
                           progress: (Int, Int) -> Void = { _, _ in },
                           isCancelled: () -> Bool = { false },
                           onEvent: (String) -> Void = { _ in }) throws -> LucasLehmerResult {
        try run(p, from: checkpoint, checkpointEvery: checkpointEvery, onCheckpoint: onCheckpoint, progress: progress,
                isCancelled: isCancelled, onEvent: onEvent, options: MersenneRunOptions())
    }

    /// Consecutive failed Jacobi checks after which the test stops with an error (the hardware or the
    /// arithmetic is not to be trusted).
    static let maxConsecutiveRollbacks = 5

    static func run(_ p: UInt64, from checkpoint: LucasLehmerCheckpoint?, checkpointEvery: CheckpointPolicy,
                    onCheckpoint: (LucasLehmerCheckpoint) throws -> Void, progress: (Int, Int) -> Void,
                    isCancelled: () -> Bool, onEvent: (String) -> Void, options: MersenneRunOptions) throws -> LucasLehmerResult {
        let (total, immediate) = try plan(exponent: p)
        if let immediate { return immediate }
        let modulus = BigInt.mersenne(p)
        let limbCount = (Int(p) + 63) / 64
        var startLimbs = [UInt64](repeating: 0, count: limbCount)
        startLimbs[0] = 4
        var start = 0
        if let checkpoint {
            guard checkpoint.exponent == p else {
                throw PrimesError.invalid(field: "checkpoint.exponent", message: "checkpoint is for exponent \(checkpoint.exponent), not \(p)")
            }
            guard (0...total).contains(checkpoint.iteration) else {
                throw PrimesError.invalid(field: "checkpoint.iteration", message: "must be between 0 and \(total)")
            }
            let restored = BigInt(littleEndianBytes: checkpoint.residue)
            guard restored.compare(modulus) <= 0 else {
                throw PrimesError.invalid(field: "checkpoint.residue", message: "residue is not reduced modulo 2^\(p) − 1")
            }
            if restored.compare(modulus) == 0 { restored.set(0) }
            startLimbs = restored.limbs(count: limbCount)
            start = checkpoint.iteration
        }
        var engine = MersenneEngine.make(exponent: Int(p), slots: 1, options: options)
        engine.load(0, limbs: startLimbs)
        var good = (iteration: start, limbs: startLimbs)
        var safe = good
        var rollbacks = 0
        let progressStep = max(1, total / 1000)
        let clock = ContinuousClock()
        var lastCheckpoint = clock.now
        func snapshot(_ i: Int, _ limbs: [UInt64]) -> LucasLehmerCheckpoint {
            LucasLehmerCheckpoint(exponent: p, iteration: i, residue: BigInt(limbs: limbs).littleEndianBytes())
        }
        /// Runs the Jacobi check on the current residue at iteration i: on success it becomes the last good
        /// state; on failure the run returns to the last good state. Returns whether it passed.
        func verify(_ i: Int) throws -> Bool {
            let limbs = engine.limbs(0)
            if jacobiCheck(limbs, modulus: modulus, iteration: i) {
                good = (i, limbs)
                rollbacks = 0
                return true
            }
            rollbacks += 1
            onEvent("Jacobi check failed at iteration \(i): rolled back to iteration \(good.iteration)")
            guard rollbacks < maxConsecutiveRollbacks else {
                throw PrimesError.unsupported(field: "exponent", message: "the Jacobi check failed \(rollbacks) times in a row at iteration \(good.iteration)…\(i); the computation cannot be trusted on this machine")
            }
            engine.load(0, limbs: good.limbs)
            safe = good
            return false
        }
        progress(start, total)
        var i = start
        while true {
            while i < total {
                if isCancelled() {
                    // Hand out the current state if it passes the check, else the last one that did.
                    let passed = i > 0 ? try verify(i) : true
                    try onCheckpoint(snapshot(passed ? i : good.iteration, good.limbs))
                    throw PrimesError.cancelled
                }
                if let fault = options.fault {
                    var limbs = engine.limbs(0)
                    if fault.apply(at: i, to: &limbs) { engine.load(0, limbs: limbs) }
                }
                let error = engine.square(0, addend: -2)
                if error > MersenneEngine.roundOffLimit {
                    let old = engine
                    engine = MersenneEngine.escalate(old, slots: 1, options: options)
                    engine.load(0, limbs: safe.limbs)
                    onEvent(String(format: "round-off %.3f at iteration %d exceeded %.2f at FFT length %d: iterations %d…%d redone with %@",
                                   error, i + 1, MersenneEngine.roundOffLimit, old.length, safe.iteration + 1, i + 1, engine.name))
                    i = safe.iteration
                    continue
                }
                i += 1
                if i % options.safePointInterval == 0 { safe = (i, engine.limbs(0)) }
                if i % progressStep == 0 || i == total { progress(i, total) }
                guard i < total else { break }
                let due: Bool
                switch checkpointEvery {
                case .never: due = false
                case .iterations(let n): due = n > 0 && i % n == 0
                case .seconds(let seconds): due = clock.now - lastCheckpoint >= .seconds(seconds)
                }
                if due {
                    if try verify(i) {
                        try onCheckpoint(snapshot(i, good.limbs))
                        lastCheckpoint = clock.now
                    } else {
                        i = good.iteration
                    }
                }
            }
            // The final residue is checked too; a failure sends the run back to the last good state.
            if try total == 0 || verify(total) { break }
            i = good.iteration
        }
        let final = engine.limbs(0)
        let isZero = final.allSatisfy { $0 == 0 }
        return LucasLehmerResult(exponent: p, isPrime: isZero, residue64: res64(final[0]), reason: nil)
    }

    /// The Jacobi check of the Lucas–Lehmer residue s_k (k ≥ 1): (s_k − 2 | M_p) = −1 and (s_k + 2 | M_p) = +1.
    /// A symbol 0 (a common factor with M_p, which only a composite M_p has) passes.
    static func jacobiCheck(_ limbs: [UInt64], modulus: BigInt, iteration: Int) -> Bool {
        guard iteration >= 1 else { return true }
        let s = BigInt(limbs: limbs)
        let minus = BigInt(copying: s); minus.add(signed: -2); minus.reduce(modulo: modulus)
        let plus = BigInt(copying: s); plus.add(2); plus.reduce(modulo: modulus)
        return minus.jacobi(modulus) != 1 && plus.jacobi(modulus) != -1
    }

    /// Validates a JSON-decoded or file-read checkpoint for `run`; the Service layer may call this
    /// after reading one from disk.
    public static func validate(_ checkpoint: LucasLehmerCheckpoint) throws(PrimesError) {
        let (total, immediate) = try plan(exponent: checkpoint.exponent)
        if immediate != nil || !(0...total).contains(checkpoint.iteration) {
            throw .invalid(field: "checkpoint.iteration", message: "not a valid state of the test of exponent \(checkpoint.exponent)")
        }
        if checkpoint.residue.count > Int((checkpoint.exponent + 7) / 8) {
            throw .invalid(field: "checkpoint.residue", message: "longer than the modulus")
        }
    }

    /// The GIMPS "Res64": 16 upper-case hexadecimal digits, zero-padded.
    static func res64(_ low: UInt64) -> String {
        let hex = String(low, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
