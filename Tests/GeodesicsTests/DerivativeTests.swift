import Foundation
import Testing
@testable import Geodesics

/// The analytic score, Hessian, third derivative and discrete-energy Hessian against central
/// finite differences (each checked against the next-lower derivative).
@Suite struct DerivativeTests {
    static let mixture = DensitySpec.mixture(components: [
        MixtureComponent(weight: 0.6, mean: [-1.5, 0.0, 0.3], covariance: [[0.6, 0.25, 0.1], [0.25, 0.4, 0.0], [0.1, 0.0, 0.9]]),
        MixtureComponent(weight: 0.4, mean: [1.5, 0.5, -0.2], covariance: [[0.5, -0.2, 0.0], [-0.2, 0.8, 0.1], [0.0, 0.1, 0.7]]),
    ])

    @Test(arguments: [0, 1])
    func jetMatchesFiniteDifferences(kind: Int) throws {
        let spec = kind == 0 ? DerivativeTests.mixture
            : DensitySpec.samples(points: [[0, 0, 0], [1, 0.5, 0], [0.2, -1, 0.4]], bandwidth: 0.7)
        let density = try Density(spec)
        let x = [0.2, 0.1, -0.3], v = [0.3, -0.7, 0.5]
        var jet = Density.Jet(dimension: 3)
        var ws = Density.Workspace(density: density)
        density.evaluateFull(at: x, direction: v, jet: &jet, workspace: &ws)
        let base = jet
        let eps = 1e-5
        for k in 0..<3 {
            var xp = x, xm = x
            xp[k] += eps; xm[k] -= eps
            var jp = Density.Jet(dimension: 3), jm = Density.Jet(dimension: 3)
            density.evaluateFull(at: xp, direction: v, jet: &jp, workspace: &ws)
            density.evaluateFull(at: xm, direction: v, jet: &jm, workspace: &ws)
            #expect(abs((jp.logDensity - jm.logDensity) / (2 * eps) - base.score[k]) < 1e-7)
            for i in 0..<3 {
                #expect(abs((jp.score[i] - jm.score[i]) / (2 * eps) - base.hessian[i * 3 + k]) < 1e-6)
            }
        }
        // D_v H = d/dε H(x + εv).
        var xp = x, xm = x
        for k in 0..<3 { xp[k] += eps * v[k]; xm[k] -= eps * v[k] }
        var jp = Density.Jet(dimension: 3), jm = Density.Jet(dimension: 3)
        density.evaluateFull(at: xp, direction: v, jet: &jp, workspace: &ws)
        density.evaluateFull(at: xm, direction: v, jet: &jm, workspace: &ws)
        for t in 0..<9 { #expect(abs((jp.hessian[t] - jm.hessian[t]) / (2 * eps) - base.third[t]) < 1e-6) }
        // H v without forming H.
        var jh = Density.Jet(dimension: 3)
        density.evaluateScoreAndHVP(at: x, direction: v, jet: &jh, workspace: &ws)
        for i in 0..<3 { #expect(abs(jh.hessianDirection[i] - base.hessianDirection[i]) < 1e-12) }
    }

    @Test(arguments: [MetricSpec.stein(lambda: 3), .conformal(alpha: 1)])
    func energyGradientAndHessianMatchFiniteDifferences(metric: MetricSpec) throws {
        let m = try RiemannianMetric(density: DerivativeTests.mixture, metric: metric)
        let n = 6, d = 3
        var x = [Double]()
        for i in 0...n {
            let t = Double(i) / Double(n)
            x += [-2 + 3.5 * t, 0.4 * sin(3 * t), 0.3 * t * t]
        }
        var e = DiscreteCurveEnergy(metric: m, segments: n, logShift: 0.5)
        var g = [Double](repeating: 0, count: (n - 1) * d)
        var diag = [Double](repeating: 0, count: (n - 1) * d * d)
        var up = [Double](repeating: 0, count: (n - 2) * d * d)
        let e0 = e.assemble(x, gradient: &g, diagonal: &diag, upper: &up)
        #expect(abs(e0 - e.energy(x)) < 1e-12 * abs(e0))
        let eps = 1e-6
        for j in 0..<((n - 1) * d) {
            var xp = x, xm = x
            xp[d + j] += eps; xm[d + j] -= eps
            let fd = (e.energy(xp) - e.energy(xm)) / (2 * eps)
            #expect(abs(fd - g[j]) < 1e-6 * max(1, abs(g[j])), "gradient \(j)")
            // Hessian column j by differences of the gradient.
            var gp = g, gm = g, dp = diag, up2 = up
            _ = e.assemble(xp, gradient: &gp, diagonal: &dp, upper: &up2)
            _ = e.assemble(xm, gradient: &gm, diagonal: &dp, upper: &up2)
            let bj = j / d, cj = j % d
            for i in 0..<((n - 1) * d) {
                let bi = i / d, ri = i % d
                let fdh = (gp[i] - gm[i]) / (2 * eps)
                var h = 0.0
                if bi == bj { h = diag[bi * d * d + ri * d + cj] }
                else if bi + 1 == bj { h = up[bi * d * d + ri * d + cj] }
                else if bj + 1 == bi { h = up[bj * d * d + cj * d + ri] }
                #expect(abs(fdh - h) < 1e-5 * max(1, abs(h)), "hessian (\(i),\(j))")
            }
        }
    }

    @Test func blockTridiagonalSolveMatchesDenseSolve() {
        let m = 5, d = 3, n = m * d
        var state: UInt64 = 42
        func rnd() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) - 0.5 }
        var diag = [Double](repeating: 0, count: m * d * d), up = [Double](repeating: 0, count: (m - 1) * d * d)
        var dense = [Double](repeating: 0, count: n * n)
        for b in 0..<m {
            for r in 0..<d { for c in 0...r { let v = rnd() + (r == c ? 4 : 0); diag[b * 9 + r * 3 + c] = v; diag[b * 9 + c * 3 + r] = v } }
            if b < m - 1 { for t in 0..<9 { up[b * 9 + t] = rnd() } }
        }
        for b in 0..<m { for r in 0..<d { for c in 0..<d {
            dense[(b * d + r) * n + b * d + c] = diag[b * 9 + r * 3 + c]
            if b < m - 1 { dense[(b * d + r) * n + (b + 1) * d + c] = up[b * 9 + r * 3 + c]; dense[((b + 1) * d + c) * n + b * d + r] = up[b * 9 + r * 3 + c] }
        } } }
        let rhs = (0..<n).map { _ in rnd() }
        let x = BlockTridiagonalSolver(blocks: m, d: d).solve(diagonal: diag, upper: up, shift: 0, rhs: rhs)!
        let ref = Shooting.solveDense(dense, rhs: rhs, n: n)!
        for i in 0..<n { #expect(abs(x[i] - ref[i]) < 1e-12) }
        // An indefinite shift is reported, not solved.
        #expect(BlockTridiagonalSolver(blocks: m, d: d).solve(diagonal: diag, upper: up, shift: -20, rhs: rhs) == nil)
    }
}
