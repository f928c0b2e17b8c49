import Foundation

/// Globally adaptive Gauss–Kronrod (7/15) quadrature of two integrands at once, f(x) = (f₁(x), f₂(x)).
///
/// On each interval K₁₅ is the estimate and |K₁₅ − G₇| (per component) the error estimate; the interval
/// with the largest error (relative to the running totals) is bisected until, for both components,
/// Σ err ≤ rtol·|Σ K₁₅|, or 500 intervals. One evaluation of f serves both integrals (the length
/// √(DᵀgD) and the energy DᵀgD of a straight segment share the density evaluation).
enum GaussKronrod {
    /// Kronrod nodes on [−1, 1] (positive half, the last is 0); odd indices are the Gauss nodes.
    static let nodes: [Double] = [0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
                                  0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
                                  0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
                                  0.207784955007898467600689403773245, 0]
    static let kronrodWeights: [Double] = [0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
                                           0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
                                           0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
                                           0.204432940075298892414161999234649, 0.209482141084727828012999174891714]
    /// Seven-point Gauss weights for nodes[1], nodes[3], nodes[5], nodes[7].
    static let gaussWeights: [Double] = [0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
                                         0.381830050505118944950369775488975, 0.417959183673469387755102040816327]

    private struct Piece {
        var a: Double, b: Double
        var value: (Double, Double)
        var error: (Double, Double)
    }

    private static func rule(_ f: (Double) -> (Double, Double), _ a: Double, _ b: Double) -> Piece {
        let c = 0.5 * (a + b), h = 0.5 * (b - a)
        var k1 = 0.0, k2 = 0.0, g1 = 0.0, g2 = 0.0
        func add(_ x: Double, _ i: Int) {
            let (u, v) = f(x)
            k1 += kronrodWeights[i] * u
            k2 += kronrodWeights[i] * v
            if i % 2 == 1 {
                g1 += gaussWeights[i / 2] * u
                g2 += gaussWeights[i / 2] * v
            }
        }
        for i in 0..<7 {
            add(c - h * nodes[i], i)
            add(c + h * nodes[i], i)
        }
        add(c, 7)
        return Piece(a: a, b: b, value: (k1 * h, k2 * h), error: (abs(k1 - g1) * h, abs(k2 - g2) * h))
    }

    /// ∫_a^b f₁ and ∫_a^b f₂ to relative tolerance `rtol` (each).
    static func integrate(_ f: (Double) -> (Double, Double), _ a: Double, _ b: Double,
                          relativeTolerance rtol: Double) -> (Double, Double) {
        var pieces = [rule(f, a, b)]
        while pieces.count < 500 {
            var v1 = 0.0, v2 = 0.0, e1 = 0.0, e2 = 0.0
            for p in pieces { v1 += p.value.0; v2 += p.value.1; e1 += p.error.0; e2 += p.error.1 }
            let t1 = max(rtol * abs(v1), 1e-300), t2 = max(rtol * abs(v2), 1e-300)
            if e1 <= t1 && e2 <= t2 { break }
            var worst = 0, score = -1.0
            for (i, p) in pieces.enumerated() {
                let s = max(p.error.0 / t1, p.error.1 / t2)
                if s > score { score = s; worst = i }
            }
            let p = pieces[worst]
            let m = 0.5 * (p.a + p.b)
            guard m > p.a && m < p.b else { break }
            pieces[worst] = rule(f, p.a, m)
            pieces.append(rule(f, m, p.b))
        }
        var v1 = 0.0, v2 = 0.0
        for p in pieces { v1 += p.value.0; v2 += p.value.1 }
        return (v1, v2)
    }
}
