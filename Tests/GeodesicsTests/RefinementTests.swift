import Foundation
import Testing
@testable import Geodesics

/// The internal refinement that precedes the shooting polish (and carries the length when shooting fails):
/// levels 64, 128, … from the straight-line discrete geodesic, lengths converging at O(h²), and the Richardson
/// value of the two finest levels against the reference — shooting plays no part here.
@Suite struct RefinementTests {
    @Test(arguments: ["kdeRing/stein10.0/10", "mixture2d/conformal1.0/8"])
    func refinementConvergesToTheReferenceLength(name: String) throws {
        let c = try #require(ReferenceTests.cases.first { $0.name == name })
        let m = try RiemannianMetric(density: c.density, metric: c.metric, limits: .default)
        let solver = GeodesicSolver(metric: m, options: GeodesicOptions())
        let shift = solver.logShift(c.from, c.to)
        var problem = DiscreteCurveEnergy(metric: m, segments: 64, logShift: shift)
        let newton = BoundaryValueSolver(maxIterations: 200)
        let sol = try newton.solve(&problem, initial: StartingCurves(metric: m, segments: 64).straightLine(c.from, c.to, 64), tolerance: 1e-9, isCancelled: { false })
        var levels = [solver.makeLevel(64, sol, &problem, shift: shift)]
        _ = try solver.refine(&levels, until: 1e-6, cap: 1024, shift: shift, newton: newton, isCancelled: { false })
        #expect(levels.count >= 3)
        #expect(levels.allSatisfy { $0.converged })
        let scale = exp(0.5 * shift)
        let k = levels.count - 1
        // O(h²): each doubling shrinks the change by about 4.
        let r = (levels[k - 1].length - levels[k - 2].length) / (levels[k].length - levels[k - 1].length)
        #expect(r > 3 && r < 5, "\(name): ratio of successive changes \(r)")
        let richardson = (levels[k].length + (levels[k].length - levels[k - 1].length) / 3) * scale
        #expect(abs(richardson - c.length) / c.length < 1e-6, "\(name): \(richardson) vs \(c.length)")
        // The finest discrete curve's half-length point is close to the reference's too (O(h²) off).
        let path = solver.nodesToPath(levels[k].nodes, m.dimension)
        let mid = try ReferenceTests.halfLengthPoint(path, density: c.density, metric: c.metric)
        let dm = zip(mid, c.midpoint).reduce(0) { max($0, abs($1.0 - $1.1)) }
        #expect(dm < 1e-3, "\(name): half-length point off by \(dm)")
    }
}
