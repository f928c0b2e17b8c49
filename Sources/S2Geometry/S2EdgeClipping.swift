import Foundation

/// Clipping geodesic edges to cube faces and (u, v) rectangles, with the error bounds the reference's
/// shape index uses (C++ `s2edge_clipping.cc`, and `S2::RobustCrossProd` from `s2edge_crossings.cc`).
enum S2EdgeClipping {
    /// S2::kFaceClipErrorUVCoord = 9·(1/√2)·DBL_EPSILON.
    static let faceClipErrorUVCoord = 9.0 * 0.70710678118654752440 * Double.ulpOfOne
    /// S2::kEdgeClipErrorUVCoord = 2.25·DBL_EPSILON.
    static let edgeClipErrorUVCoord = 2.25 * Double.ulpOfOne
    /// S2::kIntersectsRectErrorUVDist = 3·√2·DBL_EPSILON.
    static let intersectsRectErrorUVDist = 3 * 1.41421356237309504880 * Double.ulpOfOne

    /// Coordinates of p in the (u, v, w) frame of a face (C++ `S2::FaceXYZtoUVW`).
    static func faceXYZtoUVW(_ face: Int, _ p: S2Point) -> S2Point {
        switch face {
        case 0: return S2Point(p.y, p.z, p.x)
        case 1: return S2Point(-p.x, p.z, p.y)
        case 2: return S2Point(-p.x, -p.y, p.z)
        case 3: return S2Point(-p.z, -p.y, -p.x)
        case 4: return S2Point(-p.z, p.x, -p.y)
        default: return S2Point(p.y, p.x, -p.z)
        }
    }
    /// Whether the line with normal n meets the face square: |nu| + |nv| ≥ |nw|, evaluated exactly.
    static func intersectsFace(_ n: S2Point) -> Bool {
        let u = Swift.abs(n.x), v = Swift.abs(n.y), w = Swift.abs(n.z)
        return (v >= w - u) && (u >= w - v)
    }
    /// Whether the line meets two opposite edges of the face: ||nu| − |nv|| ≥ |nw|, exactly.
    static func intersectsOppositeEdges(_ n: S2Point) -> Bool {
        let u = Swift.abs(n.x), v = Swift.abs(n.y), w = Swift.abs(n.z)
        if Swift.abs(u - v) != w { return Swift.abs(u - v) >= w }
        return u >= v ? (u - w >= v) : (v - w >= u)
    }
    /// 0 when the line leaves the face through u = ±1, 1 through v = ±1.
    static func exitAxis(_ n: S2Point) -> Int {
        if intersectsOppositeEdges(n) { return Swift.abs(n.x) >= Swift.abs(n.y) ? 1 : 0 }
        let odd = ((n.x.sign == .minus) != (n.y.sign == .minus)) != (n.z.sign == .minus)
        return odd ? 0 : 1
    }
    /// (u, v) where the line leaves the face.
    static func exitPoint(_ n: S2Point, _ axis: Int) -> (Double, Double) {
        if axis == 0 {
            let u = n.y > 0 ? 1.0 : -1.0
            return (u, (-u * n.x - n.z) / n.y)
        }
        let v = n.x < 0 ? 1.0 : -1.0
        return ((-v * n.y - n.z) / n.x, v)
    }
    /// C++ `ClipDestination`: the clipped end B′ on this face and its score (sum ≥ 3: no intersection).
    static func clipDestination(_ a: S2Point, _ b: S2Point, _ scaledN: S2Point, _ aTangent: S2Point,
                                _ bTangent: S2Point, _ scaleUV: Double) -> (Int, (Double, Double)) {
        let maxSafe = 1 - faceClipErrorUVCoord
        if b.z > 0 {
            let uv = (b.x / b.z, b.y / b.z)
            if Swift.max(Swift.abs(uv.0), Swift.abs(uv.1)) <= maxSafe { return (0, uv) }
        }
        let e = exitPoint(scaledN, exitAxis(scaledN))
        var uv = (scaleUV * e.0, scaleUV * e.1)
        let p = S2Point(uv.0, uv.1, 1.0)
        var score = 0
        if (p - a).dot(aTangent) < 0 { score = 2 } else if (p - b).dot(bTangent) < 0 { score = 1 }
        if score > 0 {
            if b.z <= 0 { score = 3 } else { uv = (b.x / b.z, b.y / b.z) }
        }
        return (score, uv)
    }
    /// C++ `S2::ClipToPaddedFace`: the part of edge ab on the face padded by `padding` in (u, v), or nil.
    static func clipToPaddedFace(_ aXYZ: S2Point, _ bXYZ: S2Point, _ face: Int, _ padding: Double)
        -> ((Double, Double), (Double, Double))? {
        if S2Coords.face(aXYZ) == face && S2Coords.face(bXYZ) == face {
            return (S2Coords.validFaceXYZtoUV(face, aXYZ), S2Coords.validFaceXYZtoUV(face, bXYZ))
        }
        var n = faceXYZtoUVW(face, robustCrossProd(aXYZ, bXYZ))
        let a = faceXYZtoUVW(face, aXYZ), b = faceXYZtoUVW(face, bXYZ)
        let scaleUV = 1 + padding
        let scaledN = S2Point(scaleUV * n.x, scaleUV * n.y, n.z)
        if !intersectsFace(scaledN) { return nil }
        if Swift.max(Swift.abs(n.x), Swift.max(Swift.abs(n.y), Swift.abs(n.z))) < scalbn(1.0, -511) {
            n = n * scalbn(1.0, 563)
        }
        n = n.normalized
        let aTangent = n.cross(a), bTangent = b.cross(n)
        let (aScore, auv) = clipDestination(b, a, -scaledN, bTangent, aTangent, scaleUV)
        let (bScore, buv) = clipDestination(a, b, scaledN, aTangent, bTangent, scaleUV)
        return aScore + bScore < 3 ? (auv, buv) : nil
    }

    // MARK: robust cross product (C++ s2edge_crossings.cc)

    /// DBL_ERR = 2⁻⁵³ and the smallest |(a − b) × (a + b)| whose direction is within 6·DBL_ERR.
    static let dblErr = scalbn(1.0, -53)
    static let sqrt3 = 1.7320508075688772935
    static let minNormDouble = (32 * sqrt3 * dblErr) / ((6 * dblErr) / dblErr - (1 + 2 * sqrt3))
    #if arch(x86_64) || arch(i386)
    static let minNormLD: Float80 = Float80(32 * sqrt3 * dblErr) / (Float80(6 * dblErr) / scalbn(Float80(1), -64) - (1 + 2 * Float80(sqrt3)))
    #endif

    /// C++ `S2::RobustCrossProd`: (a − b) × (a + b) when that is accurate; else in 80-bit precision;
    /// else exactly (then symbolically for proportional inputs); an orthogonal vector when a == b.
    static func robustCrossProd(_ a: S2Point, _ b: S2Point) -> S2Point {
        let r = (a - b).cross(a + b)
        if r.norm2 >= minNormDouble * minNormDouble { return r }
        if a == b { return a.ortho }
        #if arch(x86_64) || arch(i386)
        let ax = Float80(a.x), ay = Float80(a.y), az = Float80(a.z)
        let bx = Float80(b.x), by = Float80(b.y), bz = Float80(b.z)
        let dx = ax - bx, dy = ay - by, dz = az - bz
        let sx = ax + bx, sy = ay + by, sz = az + bz
        let rx = dy * sz - dz * sy, ry = dz * sx - dx * sz, rz = dx * sy - dy * sx
        if rx * rx + ry * ry + rz * rz >= minNormLD * minNormLD {
            return S2Point(Double(rx), Double(ry), Double(rz))
        }
        #endif
        return exactCrossProd(a, b)
    }

    /// a × b from exact products (rounded per component), scaled to be normalisable; the symbolic
    /// perturbation result of the reference when a and b are exactly proportional.
    static func exactCrossProd(_ a: S2Point, _ b: S2Point) -> S2Point {
        func det(_ p: Double, _ q: Double, _ r: Double, _ s: Double) -> Double {
            let e = ExactExpansion.twoProduct(p, q) - ExactExpansion.twoProduct(r, s)
            return e.terms.reduce(0.0, +)   // smallest terms first: rounded sum of the exact value
        }
        let x = S2Point(det(a.y, b.z, a.z, b.y), det(a.z, b.x, a.x, b.z), det(a.x, b.y, a.y, b.x))
        if x != S2Point(0, 0, 0) { return ensureNormalizable(x) }
        if S2Point.lexLess(a, b) { return ensureNormalizable(symbolicCrossProdSorted(a, b)) }
        return -ensureNormalizable(symbolicCrossProdSorted(b, a))
    }
    static func symbolicCrossProdSorted(_ a: S2Point, _ b: S2Point) -> S2Point {
        if b.x != 0 || b.y != 0 { return S2Point(-b.y, b.x, 0) }
        if b.z != 0 { return S2Point(b.z, 0, 0) }
        if a.x != 0 || a.y != 0 { return S2Point(a.y, -a.x, 0) }
        return S2Point(1, 0, 0)
    }
    /// Scales by a power of two so the largest component is in [1, 2) when it is below 2⁻²⁴².
    static func ensureNormalizable(_ p: S2Point) -> S2Point {
        let pMax = Swift.max(Swift.abs(p.x), Swift.max(Swift.abs(p.y), Swift.abs(p.z)))
        if pMax >= scalbn(1.0, -242) { return p }
        return scalbn(2.0, -1 - Int(pMax.exponent)) * p
    }

    /// Whether segment ab of (u, v) space meets the rectangle: the bounds overlap and the rectangle's
    /// corners do not all lie on one side of line ab (C++ `S2::IntersectsRect`).
    static func intersectsRect(_ a: (Double, Double), _ b: (Double, Double), _ rect: R2Rect) -> Bool {
        let bound = R2Rect(x: .fromPointPair(a.0, b.0), y: .fromPointPair(a.1, b.1))
        if !(rect.x.intersects(bound.x) && rect.y.intersects(bound.y)) { return false }
        let nx = -(b.1 - a.1), ny = b.0 - a.0          // (b − a).Ortho()
        let i = nx >= 0, j = ny >= 0
        let hiX = i ? rect.x.hi : rect.x.lo, hiY = j ? rect.y.hi : rect.y.lo
        let loX = i ? rect.x.lo : rect.x.hi, loY = j ? rect.y.lo : rect.y.hi
        let mx = nx * (hiX - a.0) + ny * (hiY - a.1)
        let mn = nx * (loX - a.0) + ny * (loY - a.1)
        return mx >= 0 && mn <= 0
    }
}
