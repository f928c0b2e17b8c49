/// Knobs of the Lucas–Lehmer and PRP drivers that only tests and benchmarks turn: which arithmetic, which
/// IBDWT length, how many threads share a squaring, and a fault to inject. Internal on purpose: the public entry points always use the defaults, so no
/// request can reach them (only `@testable import Primes` code can).
struct MersenneRunOptions {
    var engine: MersenneEngine.Kind = .automatic
    var length: Int? = nil
    /// Threads per IBDWT squaring (1 or 2); nil: `MersenneEngine.threads(length:)`.
    var threads: Int? = nil
    var fault: MersenneFault? = nil
    /// A copy of the state is kept every this many iterations, for redoing iterations after excess round-off.
    var safePointInterval = 64

    init(engine: MersenneEngine.Kind = .automatic, length: Int? = nil, threads: Int? = nil, fault: MersenneFault? = nil) {
        self.engine = engine
        self.length = length
        self.threads = threads
        self.fault = fault
    }
}

/// A bit flip in the residue just before iteration `iteration`, injected once, as a hardware error would.
final class MersenneFault {
    let iteration: Int
    let bit: Int
    private(set) var fired = false

    init(iteration: Int, bit: Int) {
        self.iteration = iteration
        self.bit = bit
    }

    /// Flips the bit in `limbs` when the run reaches the iteration for the first time.
    func apply(at iteration: Int, to limbs: inout [UInt64]) -> Bool {
        guard !fired, iteration == self.iteration, bit / 64 < limbs.count else { return false }
        fired = true
        limbs[bit / 64] ^= 1 << UInt64(bit % 64)
        return true
    }
}
