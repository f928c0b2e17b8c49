import Foundation
import Testing
@testable import Geodesics

/// Closed forms from the notes (worked check values, matrix determinant lemma, the radial
/// geodesic of N(0, I) on the paraboloid of revolution).
@Suite struct ClosedFormTests {
    @Test func steinTensorWorkedExample() throws {
        let density = DensitySpec.gaussian(mean: [0, 0], covariance: [[1, 0.5], [0.5, 2]])
        let r = try Geodesics.evaluateMetric(density: density, metric: .stein(lambda: 1), points: [[1, -0.5]], vectors: [[1, 2]])
        let e = r[0]
        #expect(abs(e.score[0] - (-1.285714)) < 1e-6)
        #expect(abs(e.score[1] - 0.571429) < 1e-6)
        #expect(abs(e.tensor[0][0] - 2.653061) < 1e-6)
        #expect(abs(e.tensor[0][1] - (-0.734694)) < 1e-6)
        #expect(abs(e.tensor[1][1] - 1.326531) < 1e-6)
        #expect(abs(e.determinant - 2.979592) < 1e-6)
        // ‖v‖² = vᵀ g v directly from the tensor.
        let g = e.tensor
        let v = [1.0, 2.0]
        let q = v[0] * (g[0][0] * v[0] + g[0][1] * v[1]) + v[1] * (g[1][0] * v[0] + g[1][1] * v[1])
        #expect(abs(e.norm! - q.squareRoot()) < 1e-12)
    }

    @Test func radialGeodesicOfStandardNormal() throws {
        // F(r) = ½(r√(1 + λr²) + asinh(√λ r)/√λ); L(0 → 1) = ½(√2 + asinh 1) for λ = 1.
        let density = DensitySpec.gaussian(mean: [0, 0], covariance: [[1, 0], [0, 1]])
        for lambda in [1.0, 10.0] {
            let r = try Geodesics.geodesic(density: density, metric: .stein(lambda: lambda), from: [0.3, 0.4], to: [1.2, 1.6])
            func F(_ r: Double) -> Double { 0.5 * (r * (1 + lambda * r * r).squareRoot() + asinh(lambda.squareRoot() * r) / lambda.squareRoot()) }
            let exact = F(2) - F(0.5)
            #expect(abs(r.length - exact) / exact < 1e-8, "λ=\(lambda): \(r.length) vs \(exact)")
            #expect(r.converged)
            #expect(r.unique)
            // The straight radial segment is the geodesic.
            for p in r.path { #expect(abs(p[0] * 0.8 - p[1] * 0.6) < 1e-7) }
        }
    }
}
