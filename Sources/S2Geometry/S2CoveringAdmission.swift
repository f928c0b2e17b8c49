import Foundation

/// Bounds how many large coverings run at once, so that concurrent requests cannot multiply a
/// covering's memory without limit. Every covering starts freely; one that creates `largeCandidates`
/// candidate cells (a few MB of pool and heap) must take one of `maxLarge` places to go on, and stops
/// with `S2Error.busy` when all are taken. The place is given back when the covering ends (answered,
/// refused or cancelled). Memory of all coverings together is then at most
/// `maxLarge` × (memory of a covering at its budget) + (other concurrent coverings) × (memory at
/// `largeCandidates`).
///
/// ```swift
/// let admission = S2CoveringAdmission(maxLarge: 2)
/// let coverer = S2RegionCoverer(options: options, maxCandidates: 5_000_000, admission: admission)
/// ```
public final class S2CoveringAdmission: @unchecked Sendable {
    /// Large coverings allowed at the same time.
    public let maxLarge: Int
    /// Candidates after which a covering counts as large.
    public let largeCandidates: Int
    private let lock = NSLock()
    private var running = 0

    public init(maxLarge: Int, largeCandidates: Int = 262_144) {
        precondition(maxLarge >= 1 && largeCandidates >= 1)
        self.maxLarge = maxLarge
        self.largeCandidates = largeCandidates
    }

    /// Large coverings running now.
    public var inUse: Int { lock.withLock { running } }

    /// Takes a place if one is free.
    public func tryEnter() -> Bool {
        lock.withLock {
            guard running < maxLarge else { return false }
            running += 1
            return true
        }
    }
    /// Gives back a place taken by `tryEnter`.
    public func leave() {
        lock.withLock {
            precondition(running > 0, "S2CoveringAdmission.leave without a place")
            running -= 1
        }
    }

    /// One computation's claim, shared by the coverer runs it starts (its initial and canonicalising
    /// runs): takes a place at most once and gives it back when the computation lets go of it.
    final class Pass {
        let admission: S2CoveringAdmission
        private(set) var held = false
        init(_ admission: S2CoveringAdmission) { self.admission = admission }
        /// Takes a place unless this computation holds one already; `S2Error.busy` when none is free.
        func enter() throws {
            if held { return }
            guard admission.tryEnter() else { throw S2Error.busy(limit: admission.maxLarge, candidates: admission.largeCandidates) }
            held = true
        }
        deinit { if held { admission.leave() } }
    }
}
