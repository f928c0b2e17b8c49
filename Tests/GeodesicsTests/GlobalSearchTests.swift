import Foundation
import Testing
@testable import Geodesics

/// The global search for the shortest geodesic against `Scripts/global_reference.py`: 64 random 2-D mixtures
/// (2–4 components, Stein λ 1–30, conformal α 0.5–2, end points across two components' axis, anywhere, or near two
/// modes) and 4 two-component mixtures with Stein λ = 10 and the end points across the axis. The reference finds
/// the shortest of the distinct routes independently: a dense graph (48 directions) lifted to one layer per
/// homotopy class around the modes, every competitive class refined by the scipy Newton of `reference.py` to 512
/// segments. Every length must agree to 1e−3 (relative); the API default is used.
@Suite struct GlobalSearchTests {
    struct Minimum: Decodable, Sendable {
        /// Refined (Richardson on 256/512 segments) for the minima within 5% of the shortest.
        var length: Double?
        var discreteLength128: Double
        var halfPoint: [Double]
    }
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var density: DensitySpec
        var metric: MetricSpec
        var from: [Double]
        var to: [Double]
        var length: Double
        var midpoint: [Double]
        /// Estimated relative error of `length` (shot: the gap to the Richardson value; else the Richardson correction).
        var referenceError: Double
        /// The distinct local minima the reference found, the shortest first.
        var minima: [Minimum]
        var testDescription: String { name }
    }
    static let cases: [Case] = Fixture.cases("global.json")

    @Test func fixturesCoverTheClass() {
        let cases = GlobalSearchTests.cases
        #expect(cases.count >= 68)
        var stein = 0, conformal = 0, placements = Set<String>(), componentCounts = Set<Int>(), severalRoutes = 0
        for c in cases {
            guard case .mixture(let components) = c.density else { Issue.record("\(c.name): not a mixture"); continue }
            #expect((2...4).contains(components.count))
            componentCounts.insert(components.count)
            switch c.metric {
            case .stein(let lambda): stein += 1; #expect(lambda >= 1 && lambda <= 30)
            case .conformal(let alpha): conformal += 1; #expect(alpha >= 0.5 && alpha <= 2)
            }
            placements.insert(String(c.name.split(separator: "/")[0].prefix { $0.isLetter }) + "/" + c.name.split(separator: "/")[1])
            if c.minima.count >= 2 { severalRoutes += 1 }
            #expect(c.from.count == 2 && c.minima[0].length == c.length)
        }
        #expect(stein >= 35 && conformal >= 20)
        #expect(componentCounts == [2, 3, 4])
        #expect(placements.isSuperset(of: ["random/across", "random/anywhere", "random/modes", "acrossAxis/stein"]))
        // Most problems have more than one local geodesic: the search has something to choose from.
        #expect(severalRoutes >= cases.count / 2)
    }

    /// The answer is the shortest route (to 1e−3, and never shorter than the reference by more than its error), it
    /// is the shortest of what the search reports, and `unique` says whether anything else was found.
    @Test(arguments: GlobalSearchTests.cases)
    func shortestMatchesTheGlobalReference(c: Case) throws {
        let r = try Geodesics.geodesic(density: c.density, metric: c.metric, from: c.from, to: c.to)
        let rel = (r.length - c.length) / c.length
        #expect(abs(rel) < 1e-3, "\(c.name): length \(r.length) vs \(c.length) (rel \(rel)); alternatives \(r.alternatives.map(\.length))")
        #expect(rel > -max(1e-6, 3 * c.referenceError), "\(c.name): shorter than the global reference: \(r.length) vs \(c.length)")
        #expect(r.converged, "\(c.name)")
        #expect(r.unique == r.alternatives.isEmpty)
        for alt in r.alternatives {
            // Alternatives within 10% carry refined lengths (error ≲ 1e−4): a tie may come out either way.
            #expect(alt.length >= r.length * (1 - 1e-4), "\(c.name): alternative \(alt.length) shorter than the answer \(r.length)")
            #expect(alt.midpoint.count == 2)
        }
        #expect(zip(r.alternatives, r.alternatives.dropFirst()).allSatisfy { $0.length <= $1.length })
        // The half-length point says which route it is (a polished path is the geodesic at constant speed: x(½)).
        let mid = r.polished ? r.path[r.path.count / 2] : try ReferenceTests.halfLengthPoint(r.path, density: c.density, metric: c.metric)
        let dm = zip(mid, c.midpoint).reduce(0) { max($0, abs($1.0 - $1.1)) }
        let euclid = zip(c.from, c.to).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        #expect(dm < 2e-2 * euclid || c.minima.count >= 2 && c.minima[1].length.map { $0 < c.length * (1 + 1e-3) } == true,
                "\(c.name): half-length point \(mid) vs \(c.midpoint)")
    }

    /// Where the reference found a second route within 10% of the shortest and clearly apart from it, the search
    /// reports it too (not unique, an alternative of that length): `unique: true` must not hide a close rival.
    @Test(arguments: GlobalSearchTests.cases.filter { c in
        guard c.minima.count >= 2, let second = c.minima[1].length ?? Optional(c.minima[1].discreteLength128) else { return false }
        let euclid = zip(c.from, c.to).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        let apart = zip(c.minima[0].halfPoint, c.minima[1].halfPoint).reduce(0) { max($0, abs($1.0 - $1.1)) } > 0.1 * euclid
        return apart && second > c.length * (1 + 1e-3) && second < c.length * 1.1 && c.minima[1].length != nil
    })
    func closeRivalsAreReported(c: Case) throws {
        let r = try Geodesics.geodesic(density: c.density, metric: c.metric, from: c.from, to: c.to)
        let second = try #require(c.minima[1].length)
        #expect(!r.unique, "\(c.name): unique, but the reference has a route of length \(second) beside \(c.length)")
        let closest = r.alternatives.map { abs($0.length - second) / second }.min() ?? .infinity
        #expect(closest < 1e-3, "\(c.name): no alternative of length \(second); found \(r.alternatives.map(\.length))")
    }

    /// Mirror-symmetric problem: two routes of equal length around the two sides of a mode. The answer is one of
    /// them, and the other is reported with the same length and the mirrored half-length point.
    @Test func mirrorImagesAreBothReported() throws {
        let density = DensitySpec.gaussian(mean: [0, 0], covariance: [[1, 0], [0, 1]])
        let r = try Geodesics.geodesic(density: density, metric: .stein(lambda: 10), from: [-1.5, 0], to: [1.5, 0])
        #expect(!r.unique)
        let twin = try #require(r.alternatives.first)
        #expect(abs(twin.length - r.length) < 1e-6 * r.length, "\(twin.length) vs \(r.length)")
        let mid = try ReferenceTests.halfLengthPoint(r.path, density: density, metric: .stein(lambda: 10))
        #expect(abs(mid[1]) > 0.5, "the shortest routes go around the mode, not over it: \(mid)")
        #expect(abs(twin.midpoint[0] - mid[0]) < 1e-2 && abs(twin.midpoint[1] + mid[1]) < 1e-2, "\(twin.midpoint) vs \(mid)")
    }

    /// In higher dimension the search is bounded: a few starts (3 from d = 18 on with 64 segments and 3
    /// components), at most two candidates refined.
    @Test func startsAreBoundedInHighDimension() throws {
        #expect(StartingCurves.maxStarts(dimension: 2, components: 64, segments: 1024) == 20)
        #expect(StartingCurves.maxStarts(dimension: 8, components: 3, segments: 64) == 8)
        #expect(StartingCurves.maxStarts(dimension: 16, components: 3, segments: 64) == 5)
        for d in [18, 32, 64, 256] { #expect(StartingCurves.maxStarts(dimension: d, components: 3, segments: 64) == 3) }
        #expect(StartingCurves.maxStarts(dimension: 256, components: 64, segments: 1024) == 3)
        let d = 20
        var covariance = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for i in 0..<d { covariance[i][i] = 0.5 }
        var components: [MixtureComponent] = []
        for k in 0..<3 {
            var mean = [Double](repeating: 0, count: d)
            for i in 0..<d { mean[i] = Double((i * 7 + k * 13) % 5) * 0.3 - 0.6 }
            components.append(MixtureComponent(weight: 1, mean: mean, covariance: covariance))
        }
        var a = [Double](repeating: 0, count: d), b = a
        for i in 0..<d { a[i] = Double(i % 3) * 0.2 - 0.2; b[i] = Double(i % 4) * 0.2 - 0.3 }
        let r = try Geodesics.geodesic(density: .mixture(components: components), metric: .stein(lambda: 1), from: a, to: b)
        #expect(r.starts == 3)
        #expect(r.length.isFinite && r.length >= r.euclideanDistance)
        #expect(r.length <= r.straightLine.length * (1 + 1e-9))
    }
}
