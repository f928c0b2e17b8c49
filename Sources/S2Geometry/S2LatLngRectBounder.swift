import Foundation

/// Bounding rectangle of a chain of geodesic edges, including latitude extremes reached inside an
/// edge (C++ `S2LatLngRectBounder`).
public struct S2LatLngRectBounder: Sendable {
    var a = S2Point(0, 0, 0)
    var aLatLng = S2LatLng(latRadians: 0, lngRadians: 0)
    var bound = S2LatLngRect.empty

    public init() {}

    /// Adds the next vertex; the edge from the previous vertex is bounded via its normal
    /// N = (a − b) × (a + b): the great circle's extreme latitude is 90° − lat(N).
    public mutating func addPoint(_ b: S2Point) {
        let bll = S2LatLng(b)
        if bound.isEmpty {
            bound = bound.addPoint(bll)
        } else {
            let n = (a - b).cross(a + b)
            let nNorm = n.norm
            if nNorm < 1.91346e-15 {
                if a.dot(b) < 0 { bound = .full }
                else { bound = bound.union(S2LatLngRect.fromPointPair(aLatLng, bll)) }
            } else {
                var lngAB = S1Interval.fromPointPair(aLatLng.lng.radians, bll.lng.radians)
                if lngAB.length >= Double.pi - 2 * Double.ulpOfOne { lngAB = .full }
                var latAB = R1Interval.fromPointPair(aLatLng.lat.radians, bll.lat.radians)
                let m = n.cross(S2Point(0, 0, 1))
                let ma = m.dot(a), mb = m.dot(b)
                let mError = 6.06638e-16 * nNorm + 6.83174e-31
                if ma * mb < 0 || Swift.abs(ma) <= mError || Swift.abs(mb) <= mError {
                    let maxLat = Swift.min(atan2((n.x * n.x + n.y * n.y).squareRoot(), Swift.abs(n.z)) + 3 * Double.ulpOfOne, Double.pi / 2)
                    // The budget 2·asin(½|a − b|·sin(maxLat)), its argument scaled by (1 + 4ε) for
                    // rounding and capped at 1, as s2geometry 0.14 computes it.
                    let latBudget = 2 * asin(Swift.min(0.5 * (a - b).norm * sin(maxLat) * (1 + 4 * Double.ulpOfOne), 1.0))
                    let maxDelta = 0.5 * (latBudget - latAB.length) + Double.ulpOfOne
                    if ma <= mError && mb >= -mError { latAB.hi = Swift.min(maxLat, latAB.hi + maxDelta) }
                    if mb <= mError && ma >= -mError { latAB.lo = Swift.max(-maxLat, latAB.lo - maxDelta) }
                }
                bound = bound.union(S2LatLngRect(lat: latAB, lng: lngAB))
            }
        }
        a = b
        aLatLng = bll
    }

    /// The accumulated bound, latitude padded by 2·ε for the error of S2LatLng(S2Point).
    public var result: S2LatLngRect {
        bound.expanded(S2LatLng(latRadians: 2 * Double.ulpOfOne, lngRadians: 0)).polarClosure
    }
}

extension S2LatLngRect {
    /// Smallest rectangle containing both points (shorter longitude side).
    public static func fromPointPair(_ a: S2LatLng, _ b: S2LatLng) -> S2LatLngRect {
        S2LatLngRect(lat: R1Interval.fromPointPair(a.lat.radians, b.lat.radians),
                     lng: S1Interval.fromPointPair(a.lng.radians, b.lng.radians))
    }
}
