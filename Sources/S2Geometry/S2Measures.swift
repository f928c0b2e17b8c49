import Foundation

/// Areas of spherical triangles (C++ `s2measures.cc`).
public enum S2Measures {
    /// Area of triangle abc by l'Huilier's theorem, tan(E/4) = √(tan(s/2)·tan((s−a)/2)·tan((s−b)/2)·tan((s−c)/2)),
    /// switching to Girard's formula for long, skinny triangles (as the C++ library does).
    /// Side lengths use Kahan's stable angle between unit vectors (C++ `S2::StableAngle`).
    public static func area(_ a: S2Point, _ b: S2Point, _ c: S2Point) -> Double {
        let sa = stableAngle(b, c), sb = stableAngle(c, a), sc = stableAngle(a, b)
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
    /// Angle between unit vectors a and b as 2·atan2(|a − b|, |a + b|) (Kahan), accurate also when
    /// they are nearly parallel or antiparallel.
    @inlinable public static func stableAngle(_ a: S2Point, _ b: S2Point) -> Double {
        2 * atan2((a - b).norm, (a + b).norm)
    }
    /// Girard: E = A + B + C − π, from the angles between the edge normals.
    public static func girardArea(_ a: S2Point, _ b: S2Point, _ c: S2Point) -> Double {
        let ab = robustCross(a, b), bc = robustCross(b, c), ac = robustCross(a, c)
        return Swift.max(0.0, ab.angle(ac) - ab.angle(bc) + bc.angle(ac))
    }
    /// (b + a) × (b − a) = 2 (a × b), more accurate for nearby points.
    static func robustCross(_ a: S2Point, _ b: S2Point) -> S2Point { (b + a).cross(b - a) }
}
