import Foundation

/// A latitude/longitude pair in radians (C++ `S2LatLng`). Construct with `S2LatLng(latDegrees:lngDegrees:)`
/// — latitude first, always.
public struct S2LatLng: Sendable, Hashable {
    public var lat: S1Angle
    public var lng: S1Angle

    public init(lat: S1Angle, lng: S1Angle) { self.lat = lat; self.lng = lng }
    public init(latRadians: Double, lngRadians: Double) {
        lat = S1Angle(radians: latRadians); lng = S1Angle(radians: lngRadians)
    }
    /// Each angle converted with (π/180)·degrees.
    public init(latDegrees: Double, lngDegrees: Double) {
        lat = S1Angle(degrees: latDegrees); lng = S1Angle(degrees: lngDegrees)
    }
    /// lat = atan2(z, √(x² + y²)), lng = atan2(y, x) (signed zeros normalised).
    public init(_ p: S2Point) {
        lat = S1Angle(radians: S2LatLng.latitude(p))
        lng = S1Angle(radians: S2LatLng.longitude(p))
    }
    /// atan2(z + 0, √(x² + y²)); "+ 0" maps −0.0 to +0.0 as the C++ library does.
    @inlinable public static func latitude(_ p: S2Point) -> Double { atan2(p.z + 0.0, (p.x * p.x + p.y * p.y).squareRoot()) }
    /// atan2(y + 0, x + 0); "+ 0" maps −0.0 to +0.0, so −0.0 coordinates never yield −180°.
    @inlinable public static func longitude(_ p: S2Point) -> Double { atan2(p.y + 0.0, p.x + 0.0) }

    /// True when |lat| ≤ π/2 and |lng| ≤ π.
    public var isValid: Bool { Swift.abs(lat.radians) <= Double.pi / 2 && Swift.abs(lng.radians) <= Double.pi }

    /// (cos lng·cos lat, sin lng·cos lat, sin lat).
    @inlinable public var point: S2Point {
        let (sinphi, cosphi) = sinCos(lat.radians)
        let (sintheta, costheta) = sinCos(lng.radians)
        return S2Point(costheta * cosphi, sintheta * cosphi, sinphi)
    }

    /// Great-circle angle by the haversine formula (C++ `S2LatLng::GetDistance`).
    public func distance(_ o: S2LatLng) -> S1Angle {
        let lat1 = lat.radians, lat2 = o.lat.radians, lng1 = lng.radians, lng2 = o.lng.radians
        let dlat = sin(0.5 * (lat2 - lat1))
        let dlng = sin(0.5 * (lng2 - lng1))
        let x = dlat * dlat + dlng * dlng * cos(lat1) * cos(lat2)
        return S1Angle(radians: 2 * asin((Swift.min(1.0, x)).squareRoot()))
    }
}
