import Foundation

/// Areas of spherical triangles (C++ `s2measures.cc`).
public enum S2Measures {
    /// Area of triangle abc by l'Huilier's theorem, tan(E/4) = √(tan(s/2)·tan((s−a)/2)·tan((s−b)/2)·tan((s−c)/2)),
    /// switching to Girard's formula for long, skinny triangles (as the C++ library does).
    public static func area(_ a: S2Point, _ b: S2Point, _ c: S2Point) -> Double {
        let sa = b.angle(c), sb = c.angle(a), sc = a.angle(b)
        let s = 0.5 * (sa + sb + sc)
        if s >= 3e-4 {
            let s2 = s * s
            let dmin = s - Swift.max(sa, Swift.max(sb, sc))
            if dmin < 1e-2 * s * s2 * s2 {
                let ar = girardArea(a, b, c)
                if dmin < s * (0.1 * (ar + 5e-15)) { return ar }
            }
        }
        return 4 * atan(Swift.max(0.0, tan(0.5 * s) * tan(0.5 * (s - sa)) * tan(0.5 * (s - sb)) * tan(0.5 * (s - sc))).squareRoot())
    }
    /// Girard: E = A + B + C − π, from the angles between the edge normals.
    public static func girardArea(_ a: S2Point, _ b: S2Point, _ c: S2Point) -> Double {
        let ab = robustCross(a, b), bc = robustCross(b, c), ac = robustCross(a, c)
        return Swift.max(0.0, ab.angle(ac) - ab.angle(bc) + bc.angle(ac))
    }
    /// (b + a) × (b − a) = 2 (a × b), more accurate for nearby points.
    static func robustCross(_ a: S2Point, _ b: S2Point) -> S2Point { (b + a).cross(b - a) }
}
