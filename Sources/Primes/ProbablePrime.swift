import Foundation

/// The Fermat probable-prime test of M_p = 2^p − 1 with Gerbicz error checking, as GIMPS runs it since 2021.
///
/// M_p is a base-a probable prime when a^(M_p − 1) ≡ 1 (mod M_p). Since M_p − 1 = 2^p − 2, the test squares
/// x_0 = a p times (x_k = a^(2^k)) and reports x_p · a^(−2) mod M_p: GIMPS residue type 1.
///
/// Gerbicz check (R. Gerbicz, 2017): with block size B, keep d_t = x_0 · x_B · x_2B ⋯ x_tB (one
/// multiplication per block). If every squaring was right, d_{t+1} = a · d_t^(2^B), which costs B squarings
/// to verify; an error anywhere since the last verified state breaks the identity except with negligible
/// probability. The check runs at every checkpoint and at the last block boundary; a failing check rolls
/// back to the last verified state (and says so through `onEvent`). The last p mod B squarings are done
/// twice from the verified state and compared. Checkpoints are only ever verified states.
///
/// ```swift
/// let r = try ProbablePrime.run(11_213)      // isProbablePrime true, residue64 "0000000000000001"
/// ```
public enum ProbablePrime {
    public static let maxExponent: UInt64 = LucasLehmer.maxExponent
    public static let maxBase: UInt64 = 1 << 32

    /// The Gerbicz block size for p: about √p, between 8 and 1000 (the check then costs one block of
    /// squarings per checkpoint and one multiplication per block).
    static func blockSize(_ p: Int) -> Int { max(8, min(1000, Int(Double(p).squareRoot()))) }

    /// Validates the fields and returns the number of squarings (p), or a finished result when the test
    /// is not run (p = 2, composite p).
    public static func plan(exponent p: UInt64, base: UInt64) throws(PrimesError) -> (iterations: Int, immediate: ProbablePrimeResult?) {
        try PrimesValidation.check(p, field: "exponent", range: 2...maxExponent)
        try PrimesValidation.check(base, field: "base", range: 3...maxBase)
        if p == 2 {
            return (0, ProbablePrimeResult(exponent: 2, base: base, isProbablePrime: true, residue64: nil,
                                           reason: "M2 = 3 is prime; the test applies to odd prime exponents"))
        }
        if let factor = Primality.smallestFactor(p) {
            return (0, ProbablePrimeResult(exponent: p, base: base, isProbablePrime: false, residue64: nil,
                                           reason: "the exponent \(p) is composite (divisible by \(factor)), so 2^\(p) − 1 is divisible by 2^\(factor) − 1"))
        }
        let g = BigInt.mersenne(p).gcd(base)
        if g != 1 {
            throw .invalid(field: "base", message: "must be coprime to 2^\(p) − 1 (they share the factor \(g))")
        }
        return (Int(p), nil)
    }

    /// Runs (or resumes) the test. Same conventions as `LucasLehmer.run`: `checkpointEvery` decides when a
    /// Gerbicz check runs (at the next block boundary) and, when it passes, a checkpoint is handed out;
    /// cancellation hands out the last verified state.
    public static func run(_ p: UInt64, base: UInt64 = 3, from checkpoint: ProbablePrimeCheckpoint? = nil,
                           checkpointEvery: CheckpointPolicy = .never,
                           onCheckpoint: (ProbablePrimeCheckpoint) throws -> Void = { _ in },
                           progress: (Int, Int) -> Void = { _, _ in },
                           isCancelled: () -> Bool = { false },
                           onEvent: (String) -> Void = { _ in }) throws -> ProbablePrimeResult {
        try run(p, base: base, from: checkpoint, checkpointEvery: checkpointEvery, onCheckpoint: onCheckpoint,
                progress: progress, isCancelled: isCancelled, onEvent: onEvent, options: MersenneRunOptions())
    }

    /// Validates a stored checkpoint before `run`.
    public static func validate(_ checkpoint: ProbablePrimeCheckpoint) throws(PrimesError) {
        let (total, immediate) = try plan(exponent: checkpoint.exponent, base: checkpoint.base)
        let b = blockSize(Int(checkpoint.exponent))
        guard immediate == nil, (0...total).contains(checkpoint.iteration), checkpoint.iteration % b == 0 else {
            throw .invalid(field: "checkpoint.iteration", message: "not a verified state of the test of exponent \(checkpoint.exponent)")
        }
        let limit = Int((checkpoint.exponent + 7) / 8)
        guard checkpoint.residue.count <= limit, checkpoint.product.count <= limit else {
            throw .invalid(field: "checkpoint.residue", message: "longer than the modulus")
        }
    }

    // Slots of the arithmetic: x, the Gerbicz product d, d before its last update, the check's scratch.
    private static let x = 0, product = 1, previous = 2, check = 3

    static func run(_ p: UInt64, base a: UInt64, from checkpoint: ProbablePrimeCheckpoint?, checkpointEvery: CheckpointPolicy,
                    onCheckpoint: (ProbablePrimeCheckpoint) throws -> Void, progress: (Int, Int) -> Void,
                    isCancelled: () -> Bool, onEvent: (String) -> Void, options: MersenneRunOptions) throws -> ProbablePrimeResult {
        let (total, immediate) = try plan(exponent: p, base: a)
        if let immediate { return immediate }
        let modulus = BigInt.mersenne(p)
        let limbCount = (Int(p) + 63) / 64
        let block = blockSize(Int(p))
        let lastBoundary = total / block * block
        let baseValue = BigInt(a); baseValue.reduce(modulo: modulus)
        var verified = (iteration: 0, x: baseValue.limbs(count: limbCount), d: baseValue.limbs(count: limbCount))
        if let checkpoint {
            guard checkpoint.exponent == p, checkpoint.base == a else {
                throw PrimesError.invalid(field: "checkpoint", message: "checkpoint is for exponent \(checkpoint.exponent) base \(checkpoint.base)")
            }
            try validate(checkpoint)
            let xs = BigInt(littleEndianBytes: checkpoint.residue), ds = BigInt(littleEndianBytes: checkpoint.product)
            guard xs.compare(modulus) < 0, ds.compare(modulus) < 0 else {
                throw PrimesError.invalid(field: "checkpoint.residue", message: "residue is not reduced modulo 2^\(p) − 1")
            }
            verified = (checkpoint.iteration, xs.limbs(count: limbCount), ds.limbs(count: limbCount))
        }
        var engine = MersenneEngine.make(exponent: Int(p), slots: 4, options: options)
        func restore() {
            engine.load(x, limbs: verified.x)
            engine.load(product, limbs: verified.d)
        }
        restore()
        var k = verified.iteration
        var rollbacks = 0
        let progressStep = max(1, total / 1000)
        let clock = ContinuousClock()
        var lastCheck = (time: clock.now, iteration: k)
        func save(_ state: (iteration: Int, x: [UInt64], d: [UInt64])) throws {
            try onCheckpoint(ProbablePrimeCheckpoint(exponent: p, base: a, iteration: state.iteration,
                                                     residue: BigInt(limbs: state.x).littleEndianBytes(),
                                                     product: BigInt(limbs: state.d).littleEndianBytes()))
        }
        func rollBack(_ why: String) throws {
            rollbacks += 1
            onEvent("\(why): rolled back to iteration \(verified.iteration)")
            guard rollbacks < LucasLehmer.maxConsecutiveRollbacks else {
                throw PrimesError.unsupported(field: "exponent", message: "the PRP error check failed \(rollbacks) times in a row after iteration \(verified.iteration); the computation cannot be trusted on this machine")
            }
            restore()
            k = verified.iteration
        }
        /// Squares `slot` `count` times from iteration `from`; false (after escalating the length and
        /// rolling back) when the round-off exceeded the limit.
        func squarings(_ slot: Int, _ count: Int, from: Int, faults: Bool) throws -> Bool {
            for j in 0..<count {
                if faults, let fault = options.fault {
                    var limbs = engine.limbs(slot)
                    if fault.apply(at: from + j, to: &limbs) { engine.load(slot, limbs: limbs) }
                }
                let error = engine.square(slot, addend: 0)
                if error > MersenneEngine.roundOffLimit {
                    let old = engine
                    engine = MersenneEngine.escalate(old, slots: 4, options: options)
                    onEvent(String(format: "round-off %.3f at iteration %d exceeded %.2f at FFT length %d: continuing with %@ from iteration %d",
                                   error, from + j + 1, MersenneEngine.roundOffLimit, old.length, engine.name, verified.iteration))
                    restore()
                    k = verified.iteration
                    return false
                }
                if slot == x && (from + j + 1) % progressStep == 0 { progress(from + j + 1, total) }
            }
            return true
        }
        progress(k, total)
        // Blocks up to the last boundary, each followed by the product update; Gerbicz checks when due.
        while k < lastBoundary {
            if isCancelled() {
                try save(verified)
                throw PrimesError.cancelled
            }
            guard try squarings(x, block, from: k, faults: true) else { continue }
            k += block
            engine.copy(product, to: previous)
            if engine.multiply(product, by: x) > MersenneEngine.roundOffLimit {
                try rollBack("round-off above the limit in the Gerbicz product at iteration \(k)")
                continue
            }
            let due: Bool
            switch checkpointEvery {
            case .never: due = false
            case .iterations(let n): due = n > 0 && k - lastCheck.iteration >= n
            case .seconds(let seconds): due = clock.now - lastCheck.time >= .seconds(seconds)
            }
            if due || k == lastBoundary {
                // d_new must equal a · d_previous^(2^B).
                engine.copy(previous, to: check)
                guard try squarings(check, block, from: k, faults: false) else { continue }
                let expected = BigInt(limbs: engine.limbs(check))
                expected.multiply(a, modulo: modulus)
                let d = engine.limbs(product)
                if expected.limbs(count: limbCount) == d {
                    verified = (k, engine.limbs(x), d)
                    rollbacks = 0
                    lastCheck = (clock.now, k)
                    if k < total { try save(verified) }
                } else {
                    try rollBack("Gerbicz check failed at iteration \(k)")
                    lastCheck = (clock.now, k)
                }
            }
        }
        // The last p mod B squarings, twice from the verified state; they must agree.
        var tail: [UInt64] = []
        var attempts = 0
        while true {
            if isCancelled() {
                try save(verified)
                throw PrimesError.cancelled
            }
            engine.load(x, limbs: verified.x)
            guard try squarings(x, total - lastBoundary, from: lastBoundary, faults: attempts == 0) else { continue }
            let result = engine.limbs(x)
            if result == tail { break }
            if !tail.isEmpty { onEvent("the last \(total - lastBoundary) squarings gave two different results: repeated") }
            tail = result
            attempts += 1
            guard attempts <= LucasLehmer.maxConsecutiveRollbacks else {
                throw PrimesError.unsupported(field: "exponent", message: "the final squarings did not agree twice in \(attempts) attempts")
            }
        }
        progress(total, total)
        // Residue type 1: x_p · a^(−2) = a^(2^p − 2) mod M_p.
        let r = BigInt(limbs: tail)
        let square = BigInt(copying: baseValue); square.multiply(baseValue, modulo: modulus)
        guard let inverse = square.inverse(modulo: modulus) else {
            throw PrimesError.invalid(field: "base", message: "must be coprime to 2^\(p) − 1")
        }
        r.multiply(inverse, modulo: modulus)
        return ProbablePrimeResult(exponent: p, base: a, isProbablePrime: r.compare(1) == 0, residue64: LucasLehmer.res64(r.low64), reason: nil)
    }
}
