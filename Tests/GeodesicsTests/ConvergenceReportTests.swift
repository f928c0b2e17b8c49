import Foundation
import Testing
@testable import Geodesics

/// What `converged` and the error fields of a geodesic answer mean, checked independently of the solver:
/// a polished answer is the geodesic to the stated tolerance (the exponential map of its initial velocity lands on
/// `to` and retraces the path, its length agrees), an unpolished one is converged only when its length error
/// estimate is within 1e−4 (an estimate of the size of the true error), and a stopped minimisation is not converged.
@Suite struct ConvergenceReportTests {
    @Test(arguments: ReferenceTests.cases)
    func polishedAnswerIsTheGeodesicToTheStatedTolerance(c: ReferenceTests.Case) throws {
        let r = try Geodesics.geodesic(density: c.density, metric: c.metric, from: c.from, to: c.to)
        #expect(r.converged && r.polished)
        let endpointError = try #require(r.endpointError)
        #expect(endpointError <= 1e-10 * max(1, r.euclideanDistance))
        #expect(r.energyGradient <= 1e-9)
        let lengthError = try #require(r.lengthError)
        #expect(lengthError < 1e-8)
        #expect(abs(r.length - c.length) <= max(lengthError, 1e-9) * c.length * 10, "\(c.name): \(r.length) vs \(c.length)")
        // The exponential map of the reported log map reaches `to` and retraces the path.
        let n = r.path.count - 1
        let e = try Geodesics.exponentialMap(density: c.density, metric: c.metric, point: c.from, velocity: r.initialVelocity,
                                             t: 1, steps: n)
        let scale = max(1, c.to.reduce(0) { max($0, abs($1)) })
        let miss = zip(e.endpoint, c.to).reduce(0) { max($0, abs($1.0 - $1.1)) }
        #expect(miss < 1e-8 * scale, "\(c.name): Exp(initialVelocity) misses by \(miss)")
        let off = zip(e.path, r.path).reduce(0) { acc, pq in max(acc, zip(pq.0, pq.1).reduce(0) { max($0, abs($1.0 - $1.1)) }) }
        #expect(off < 1e-7 * scale, "\(c.name): path differs from the exponential map by \(off)")
        #expect(abs(e.length - r.length) < 1e-8 * r.length)
    }

    /// Without polishing the length is Richardson-extrapolated from N and N/2 segments; its error estimate (the
    /// size of the correction) is of the size of the true error, and `converged` follows it.
    @Test(arguments: ReferenceTests.cases.filter { $0.from.count == 2 })
    func unpolishedConvergedFollowsTheLengthError(c: ReferenceTests.Case) throws {
        for nodes in [32, 64] {
            let r = try Geodesics.geodesic(density: c.density, metric: c.metric, from: c.from, to: c.to,
                                           options: GeodesicOptions(nodes: nodes, polish: false))
            #expect(!r.polished && r.endpointError == nil)
            let lengthError = try #require(r.lengthError)
            let actual = abs(r.length - c.length) / c.length
            // Where the reference route is the one found, the estimate is not smaller than a third of the error.
            if actual < 0.01 { #expect(actual <= 3 * lengthError + 1e-9, "\(c.name), N = \(nodes): error \(actual), estimate \(lengthError)") }
            if r.converged { #expect(lengthError <= 1e-4 && r.energyGradient <= 1e-6, "\(c.name), N = \(nodes)") }
            if lengthError > 1e-4 { #expect(!r.converged, "\(c.name), N = \(nodes)") }
        }
    }

    @Test func stoppedMinimisationIsNotConverged() throws {
        let c = try #require(ReferenceTests.cases.first { $0.name == "mixture2d/stein10.0/6" })
        let r = try Geodesics.geodesic(density: c.density, metric: c.metric, from: c.from, to: c.to,
                                       options: GeodesicOptions(maxIterations: 2))
        #expect(!r.converged)
        #expect(r.energyGradient > 1e-9)
        // No start reached a geodesic, so nothing is known about other routes: not unique.
        #expect(!r.unique)
        // Odd number of segments without polishing: no Richardson pair, no error estimate, not converged.
        let odd = try Geodesics.geodesic(density: c.density, metric: c.metric, from: c.from, to: c.to,
                                         options: GeodesicOptions(nodes: 33, polish: false))
        #expect(odd.lengthError == nil && !odd.converged)
    }

    /// The JSON answer names each quantity for what it measures; the misleading old names are gone.
    @Test func jsonNamesTheResiduals() throws {
        let r = try Geodesics.geodesic(density: .gaussian(mean: [0, 0], covariance: [[1, 0.5], [0.5, 2]]), metric: .stein(lambda: 1),
                                       from: [-2, 1], to: [1.5, 2])
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(r)) as? [String: Any])
        for key in ["converged", "energyGradient", "lengthError", "endpointError", "unique", "alternatives", "polished", "starts"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["residual"] == nil && object["shootingResidual"] == nil)
    }
}
