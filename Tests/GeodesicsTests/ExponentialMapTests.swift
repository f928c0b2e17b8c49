import Foundation
import Testing
@testable import Geodesics

/// The exponential map conserves ẋᵀgẋ, and Exp of the log-map velocity returns to the target.
@Suite struct ExponentialMapTests {
    static let mixture = DensitySpec.mixture(components: [
        MixtureComponent(weight: 0.6, mean: [-1.5, 0.0], covariance: [[0.6, 0.25], [0.25, 0.4]]),
        MixtureComponent(weight: 0.4, mean: [1.5, 0.5], covariance: [[0.5, -0.2], [-0.2, 0.8]]),
    ])

    @Test(arguments: [MetricSpec.stein(lambda: 1), .stein(lambda: 10), .conformal(alpha: 1)])
    func speedIsConserved(metric: MetricSpec) throws {
        let r = try Geodesics.exponentialMap(density: ExponentialMapTests.mixture, metric: metric,
                                             point: [-2.0, -0.5], velocity: [2.5, 1.2], t: 1, steps: 50)
        #expect(r.speedDrift < 1e-6, "drift \(r.speedDrift)")
        #expect(r.path.count == 51)
        #expect(r.endpoint == r.path[50])
        // length = ‖v‖_g(x₀)·t because the speed is constant.
        let e = try Geodesics.evaluateMetric(density: ExponentialMapTests.mixture, metric: metric,
                                             points: [[-2.0, -0.5]], vectors: [[2.5, 1.2]])
        #expect(abs(r.length - e[0].norm!) < 1e-8 * e[0].norm!)
    }

    @Test func negativeTimeRunsBackwards() throws {
        let f = try Geodesics.exponentialMap(density: ExponentialMapTests.mixture, metric: .stein(lambda: 2),
                                             point: [0.1, 0.2], velocity: [1, -0.5], t: 0.8, steps: 8)
        let b = try Geodesics.exponentialMap(density: ExponentialMapTests.mixture, metric: .stein(lambda: 2),
                                             point: [0.1, 0.2], velocity: [-1, 0.5], t: -0.8, steps: 8)
        for k in 0..<2 { #expect(abs(f.endpoint[k] - b.endpoint[k]) < 1e-12) }
    }

    @Test(arguments: [MetricSpec.stein(lambda: 1), .stein(lambda: 10), .conformal(alpha: 1)])
    func expOfLogMapReturnsToTarget(metric: MetricSpec) throws {
        let from = [-2.5, -1.0], to = [2.0, 1.8]
        let g = try Geodesics.geodesic(density: ExponentialMapTests.mixture, metric: metric, from: from, to: to)
        #expect(g.polished)
        let e = try Geodesics.exponentialMap(density: ExponentialMapTests.mixture, metric: metric,
                                             point: from, velocity: g.initialVelocity, t: 1, steps: 64)
        for k in 0..<2 { #expect(abs(e.endpoint[k] - to[k]) < 1e-8, "endpoint \(e.endpoint) vs \(to)") }
        #expect(abs(e.length - g.length) < 1e-8 * g.length)
        #expect(e.speedDrift < 1e-6)
        // The sampled exp-map path is the geodesic's path.
        for i in 0...64 { for k in 0..<2 { #expect(abs(e.path[i][k] - g.path[i][k]) < 1e-7) } }
    }

    @Test func sixteenDimensionalSpeedIsConserved() throws {
        let d = 16
        var comps: [MixtureComponent] = []
        for k in 0..<3 {
            var cov = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
            for i in 0..<d { cov[i][i] = 0.5 + 0.1 * Double((i + k) % 4); if i + 1 < d { cov[i][i + 1] = 0.1; cov[i + 1][i] = 0.1 } }
            comps.append(MixtureComponent(weight: Double(k + 1), mean: (0..<d).map { sin(Double($0 * (k + 2))) * 1.5 }, covariance: cov))
        }
        let density = DensitySpec.mixture(components: comps)
        let from = comps[0].mean.map { $0 + 0.1 }
        let v = (0..<d).map { cos(Double($0)) }
        for metric in [MetricSpec.stein(lambda: 1), .conformal(alpha: 1)] {
            let e = try Geodesics.exponentialMap(density: density, metric: metric, point: from, velocity: v, t: 1, steps: 8)
            #expect(e.speedDrift < 1e-6, "\(metric): drift \(e.speedDrift)")
            let m = try Geodesics.evaluateMetric(density: density, metric: metric, points: [from], vectors: [v])
            #expect(abs(e.length - m[0].norm!) < 1e-8 * m[0].norm!)
        }
    }
}
