import Foundation
import Testing
@testable import S2Geometry

/// Memory of coverings: the candidate pool's compact node, and the admission that bounds how many large
/// coverings run at once (the rest stop with `S2Error.busy`, answered 503), whatever way they end.
@Suite struct S2CoveringAdmissionTests {
    /// A covering of 87,000 candidates (0.02 s): large when the threshold is 1,024.
    static let large = S2CoveringRequest(region: .cap(center: .init(lat: 10, lng: 20), radiusMeters: 10_000),
                                         minLevel: 0, maxLevel: 30, levelMod: 3, maxCells: 10_000, interior: false)
    /// A covering of a few dozen candidates.
    static let small = S2CoveringRequest(region: .cap(center: .init(lat: 10, lng: 20), radiusMeters: 10_000),
                                         minLevel: 0, maxLevel: 30, levelMod: 1, maxCells: 8, interior: false)
    /// The interior of a 10⁻¹²° × 1° strip: nothing fits until leaf cells, so it passes any budget.
    static let strip = S2CoveringRequest(region: .rect(lo: .init(lat: 10, lng: 10), hi: .init(lat: 10 + 1e-12, lng: 11)),
                                         minLevel: 0, maxLevel: 30, levelMod: 1, maxCells: 8, interior: true)

    @Test func compactNodes() {
        // 16 bytes a candidate (the pool was 56 with the whole S2Cell in it), 8 a heap entry.
        #expect(MemoryLayout<S2RegionCoverer.Node>.stride == 16)
        #expect(MemoryLayout<(priority: Int32, node: Int32)>.stride == 8)
    }

    @Test func largeCoveringNeedsAPlace() throws {
        let admission = S2CoveringAdmission(maxLarge: 1, largeCandidates: 1024)
        let expected = try S2Operations.covering(Self.large).cells
        // The only place is taken: a large covering stops, a small one runs.
        #expect(admission.tryEnter())
        #expect(throws: S2Error.busy(limit: 1, candidates: 1024)) { _ = try S2Operations.covering(Self.large, admission: admission) }
        #expect(try S2Operations.covering(Self.small, admission: admission).cells == S2Operations.covering(Self.small).cells)
        #expect(admission.inUse == 1)
        admission.leave()
        // Free again: the same answer as without admission, and the place is given back.
        #expect(try S2Operations.covering(Self.large, admission: admission).cells == expected)
        #expect(admission.inUse == 0)
        // Given back as well when the budget stops the covering or the caller cancels it.
        var limits = S2Limits()
        limits.maxCandidates = 50_000
        #expect(throws: S2Error.self) { _ = try S2Operations.covering(Self.strip, limits: limits, admission: admission) }
        #expect(admission.inUse == 0)
        var calls = 0
        #expect(throws: S2Error.cancelled) {
            _ = try S2Operations.covering(Self.strip, admission: admission, isCancelled: { calls += 1; return calls > 3 })
        }
        #expect(admission.inUse == 0)
    }

    /// Eight threads run large coverings against two places: never more than two hold one, each answer
    /// is either the unlimited answer or busy, and all places are given back.
    @Test func concurrentLargeCoverings() async throws {
        let admission = S2CoveringAdmission(maxLarge: 2, largeCandidates: 1024)
        let expected = try S2Operations.covering(Self.large).cells
        let peak = Peak()
        let outcomes = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var out: [String] = []
                    for _ in 0..<6 {
                        do {
                            let cells = try S2Operations.covering(Self.large, admission: admission,
                                                                  isCancelled: { peak.note(admission.inUse); return false })
                            out.append(cells.cells == expected ? "same" : "different")
                        } catch S2Error.busy {
                            out.append("busy")
                        }
                    }
                    return out
                }
            }
            var all: [String] = []
            for try await o in group { all += o }
            return all
        }
        #expect(outcomes.count == 48 && !outcomes.contains("different") && outcomes.contains("same"))
        #expect(peak.value <= 2)
        #expect(admission.inUse == 0)
    }

    final class Peak: @unchecked Sendable {
        private let lock = NSLock()
        private var max = 0
        func note(_ n: Int) { lock.withLock { max = Swift.max(max, n) } }
        var value: Int { lock.withLock { max } }
    }
}
