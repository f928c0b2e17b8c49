import Foundation
import Testing
@testable import Geodesics

/// Every invalid input is a typed error naming the field.
@Suite struct ValidationTests {
    static let gauss = DensitySpec.gaussian(mean: [0, 0], covariance: [[1, 0], [0, 1]])

    func field(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as GeodesicsError { return e.field } catch { return "unexpected \(error)" }
    }

    @Test func densityErrors() {
        let m = MetricSpec.stein(lambda: 1)
        func bvp(_ d: DensitySpec) -> String? { field { _ = try Geodesics.geodesic(density: d, metric: m, from: [0, 0], to: [1, 1]) } }
        #expect(bvp(.gaussian(mean: [0, 0], covariance: [[1, 2], [2, 1]])) == "density.covariance")
        #expect(bvp(.gaussian(mean: [0, 0], covariance: [[1, 0.5], [0.4, 1]])) == "density.covariance")
        #expect(bvp(.gaussian(mean: [0, 0], covariance: [[1, 0], [0, 1], [0, 0]])) == "density.covariance")
        #expect(bvp(.gaussian(mean: [0, .nan], covariance: [[1, 0], [0, 1]])) == "density.mean[1]")
        #expect(bvp(.gaussian(mean: [], covariance: [])) == "density.mean")
        #expect(bvp(.mixture(components: [])) == "density.components")
        #expect(bvp(.mixture(components: [MixtureComponent(weight: 1, mean: [0, 0], covariance: [[1, 0], [0, 1]]),
                                          MixtureComponent(weight: -1, mean: [0, 0], covariance: [[1, 0], [0, 1]])])) == "density.components[1].weight")
        #expect(bvp(.mixture(components: [MixtureComponent(weight: 1, mean: [0, 0], covariance: [[1, 0], [0, 1]]),
                                          MixtureComponent(weight: 1, mean: [0, 0, 0], covariance: [[1, 0], [0, 1]])])) == "density.components[1].mean")
        #expect(bvp(.samples(points: [[0, 0]], bandwidth: 0)) == "density.bandwidth")
        #expect(bvp(.samples(points: [[0, 0], [1]], bandwidth: 1)) == "density.points[1]")
        #expect(bvp(.samples(points: [], bandwidth: 1)) == "density.points")
        let big = [Double](repeating: 0, count: 257)
        #expect(bvp(.samples(points: [big], bandwidth: 1)) == "density.points[0]")
    }

    @Test func requestErrors() {
        let g = ValidationTests.gauss
        #expect(field { _ = try Geodesics.geodesic(density: g, metric: .stein(lambda: 0), from: [0, 0], to: [1, 1]) } == "metric.lambda")
        #expect(field { _ = try Geodesics.geodesic(density: g, metric: .conformal(alpha: -1), from: [0, 0], to: [1, 1]) } == "metric.alpha")
        #expect(field { _ = try Geodesics.geodesic(density: g, metric: .stein(lambda: 1), from: [0, 0, 0], to: [1, 1]) } == "from")
        #expect(field { _ = try Geodesics.geodesic(density: g, metric: .stein(lambda: 1), from: [0, 0], to: [1, .infinity]) } == "to[1]")
        #expect(field { _ = try Geodesics.geodesic(density: g, metric: .stein(lambda: 1), from: [0, 0], to: [1, 1], options: GeodesicOptions(nodes: 5000)) } == "nodes")
        #expect(field { _ = try Geodesics.geodesic(density: g, metric: .stein(lambda: 1), from: [0, 0], to: [1, 1], options: GeodesicOptions(tolerance: 0)) } == "tolerance")
        // λ‖s‖² beyond the limit.
        #expect(field { _ = try Geodesics.geodesic(density: g, metric: .stein(lambda: 1e6), from: [0, 0], to: [1e4, 1]) } == "to")
        #expect(field { _ = try Geodesics.exponentialMap(density: g, metric: .stein(lambda: 1), point: [0, 0], velocity: [1], t: 1) } == "velocity")
        #expect(field { _ = try Geodesics.exponentialMap(density: g, metric: .stein(lambda: 1), point: [0, 0], velocity: [1, 0], t: .nan) } == "t")
        #expect(field { _ = try Geodesics.exponentialMap(density: g, metric: .stein(lambda: 1), point: [0, 0], velocity: [1, 0], steps: 0) } == "steps")
        let many = (0..<257).map { [Double($0), 0] }
        #expect(field { _ = try Geodesics.distances(density: g, metric: .stein(lambda: 1), points: many) } == "points")
        #expect(field { _ = try Geodesics.distances(density: g, metric: .stein(lambda: 1), points: [[0, 0], [1, 1, 1]]) } == "points[1]")
        #expect(field { _ = try Geodesics.evaluateMetric(density: g, metric: .stein(lambda: 1), points: [[0, 0]], vectors: [[1, 0], [0, 1]]) } == "vectors")
        #expect(field { _ = try Geodesics.evaluateMetric(density: g, metric: .stein(lambda: 1), points: [[0, 0]], vectors: [[1]]) } == "vectors[0]")
        #expect(field { _ = try Geodesics.geodesicPicture(density: .gaussian(mean: [0], covariance: [[1]]), metric: .stein(lambda: 1), from: [0], to: [1]) } == "from")
    }

    @Test func jsonRoundTripAndUnknownKind() throws {
        let json = #"{"kind":"mixture","components":[{"weight":1,"mean":[0,1],"covariance":[[1,0],[0,1]]}]}"#
        let d = try JSONDecoder().decode(DensitySpec.self, from: Data(json.utf8))
        #expect(d == .mixture(components: [MixtureComponent(weight: 1, mean: [0, 1], covariance: [[1, 0], [0, 1]])]))
        let again = try JSONDecoder().decode(DensitySpec.self, from: try JSONEncoder().encode(d))
        #expect(again == d)
        let m = try JSONDecoder().decode(MetricSpec.self, from: Data(#"{"kind":"stein"}"#.utf8))
        #expect(m == .stein(lambda: 1))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DensitySpec.self, from: Data(#"{"kind":"cauchy"}"#.utf8)) }
    }
}
