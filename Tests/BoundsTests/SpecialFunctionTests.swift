import Foundation
import Testing
@testable import Bounds

/// Special functions against scipy.special (fixtures from Scripts/generate_special_functions.py):
/// 1e−10 relative wherever the reference is ≥ 1e−300.
@Suite struct SpecialFunctionTests {
    static let tolerance = 1e-10
    static let floor = 1e-300

    @Test func incompleteBetaMatchesScipy() throws {
        let rows = try FixtureLoader.rows("special_functions.json", "betainc")
        #expect(rows.count >= 2000)
        var worst = 0.0, checked = 0
        for r in rows {
            let (a, b, x, v, c) = (r[0], r[1], r[2], r[3], r[4])
            let y = 1 - x
            if v >= Self.floor {
                let e = FixtureLoader.relativeError(IncompleteBeta.regularized(a: a, b: b, x: x, y: y), v)
                worst = max(worst, e); checked += 1
                #expect(e <= Self.tolerance, "I_x(\(a), \(b), \(x)) = \(v)")
            }
            if c >= Self.floor {
                let e = FixtureLoader.relativeError(exp(IncompleteBeta.logComplement(a: a, b: b, x: x, y: y)), c)
                worst = max(worst, e); checked += 1
                #expect(e <= Self.tolerance, "1 − I_x(\(a), \(b), \(x)) = \(c)")
            }
        }
        print("incomplete beta: \(checked) values, worst relative error \(worst)")
    }

    @Test func incompleteGammaMatchesScipy() throws {
        let rows = try FixtureLoader.rows("special_functions.json", "gammainc")
        #expect(rows.count >= 2000)
        var worst = 0.0, checked = 0
        for r in rows {
            let (a, x, p, q) = (r[0], r[1], r[2], r[3])
            if p >= Self.floor {
                let e = FixtureLoader.relativeError(IncompleteGamma.lower(a: a, x: x), p)
                worst = max(worst, e); checked += 1
                #expect(e <= Self.tolerance, "P(\(a), \(x)) = \(p)")
            }
            if q >= Self.floor {
                let e = FixtureLoader.relativeError(IncompleteGamma.upper(a: a, x: x), q)
                worst = max(worst, e); checked += 1
                #expect(e <= Self.tolerance, "Q(\(a), \(x)) = \(q)")
            }
        }
        print("incomplete gamma: \(checked) values, worst relative error \(worst)")
    }

    @Test func erfcMatchesScipy() throws {
        let rows = try FixtureLoader.rows("special_functions.json", "erfc")
        var worst = 0.0
        for r in rows where r[1] >= Self.floor {
            let e = FixtureLoader.relativeError(ErrorFunction.erfc(r[0]), r[1])
            worst = max(worst, e)
            #expect(e <= Self.tolerance, "erfc(\(r[0])) = \(r[1])")
        }
        print("erfc: worst relative error \(worst)")
    }

    @Test func logSpaceContinuesBelowTheDoubleRange() {
        // ln erfc(40) = −1600 − ln(40·√π) − 1/(2·1600) + …; erfc(40) itself underflows.
        let z = 40.0
        let asymptotic = -z * z - log(z * sqrt(Double.pi)) + log1p(-1 / (2 * z * z) + 3 / (4 * pow(z, 4)))
        #expect(abs(ErrorFunction.logErfc(z) - asymptotic) < 1e-9 * abs(asymptotic))
        #expect(ErrorFunction.erfc(z) == 0)
    }

    @Test func irwinHallAgreesWithClosedFormsForSmallN() {
        // n = 2: F(x) = x²/2 on [0, 1], 1 − (2 − x)²/2 on [1, 2].
        for x in stride(from: 0.05, through: 1.95, by: 0.1) {
            let exact = x <= 1 ? x * x / 2 : 1 - (2 - x) * (2 - x) / 2
            #expect(abs(IrwinHall.cdf(n: 2, x: x) - exact) <= 1e-15)
        }
        // x < 1: F_n(x) = x^n/n!.
        #expect(FixtureLoader.relativeError(IrwinHall.cdf(n: 10, x: 0.7), pow(0.7, 10) / 3628800) < 1e-13)
    }
}
