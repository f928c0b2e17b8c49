import Foundation

/// Input checks shared by the domain API; every failure names the request field.
public enum S2Validation {
    /// Finite latitude in [−90, 90] and longitude in [−180, 180] (degrees).
    /// `field` is the object's path ("points[3]"); the checked members are "<field>.lat"/"<field>.lng",
    /// or "lat"/"lng" when `field` is empty (query parameters).
    public static func latLng(lat: Double, lng: Double, field f: String) throws -> S2LatLng {
        let field = f.isEmpty ? "" : f
        func name(_ m: String) -> String { field.isEmpty ? m : field + "." + m }
        guard lat.isFinite else { throw S2Error.invalid(field: name("lat"), message: "latitude must be a finite number") }
        guard lng.isFinite else { throw S2Error.invalid(field: name("lng"), message: "longitude must be a finite number") }
        guard Swift.abs(lat) <= 90 else { throw S2Error.invalid(field: name("lat"), message: "latitude must be within [-90, 90] degrees") }
        guard Swift.abs(lng) <= 180 else { throw S2Error.invalid(field: name("lng"), message: "longitude must be within [-180, 180] degrees") }
        return S2LatLng(latDegrees: lat, lngDegrees: lng)
    }
    public static func latLng(_ p: LatLngDegrees, field: String) throws -> S2LatLng {
        try latLng(lat: p.lat, lng: p.lng, field: field)
    }
    /// A level in 0…30.
    public static func level(_ level: Int, field: String) throws -> Int {
        guard (0...S2CellId.maxLevel).contains(level) else {
            throw S2Error.invalid(field: field, message: "level must be an integer in [0, 30]")
        }
        return level
    }
    /// Parses a cell given as a token ("89c259", case-insensitive) or an unsigned decimal id
    /// ("9926595690882318336"). Strings of 17+ digits are ids; shorter strings are read as tokens
    /// first and as decimal ids when they are not a valid token. The result must be a valid cell.
    public static func cell(_ text: String, field: String) throws -> S2CellId {
        let s = text
        guard !s.isEmpty, s.utf8.count <= 20 else {
            throw S2Error.invalid(field: field, message: "expected an S2 cell token (1-16 hex digits) or a decimal cell id")
        }
        let allDigits = s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        if s.utf8.count <= 16 {
            let c = S2CellId(token: s)
            if c.isValid { return c }
        }
        if allDigits, let v = UInt64(s) {
            let c = S2CellId(v)
            if c.isValid { return c }
        }
        throw S2Error.invalid(field: field, message: "'\(s.prefix(24))' is not a valid S2 cell token or id")
    }
    /// Coverer options with the service's rules: 0 ≤ minLevel ≤ maxLevel ≤ 30, levelMod ∈ 1…3,
    /// 1 ≤ maxCells ≤ limit. Unlike the reference, nothing is clamped silently.
    public static func options(minLevel: Int, maxLevel: Int, levelMod: Int, maxCells: Int,
                               limits: S2Limits) throws -> S2RegionCoverer.Options {
        _ = try level(minLevel, field: "minLevel")
        _ = try level(maxLevel, field: "maxLevel")
        guard minLevel <= maxLevel else { throw S2Error.invalid(field: "minLevel", message: "minLevel must not exceed maxLevel") }
        guard (1...3).contains(levelMod) else { throw S2Error.invalid(field: "levelMod", message: "levelMod must be 1, 2 or 3") }
        guard maxCells >= 1 else { throw S2Error.invalid(field: "maxCells", message: "maxCells must be at least 1") }
        guard maxCells <= limits.maxCells else {
            throw S2Error.invalid(field: "maxCells", message: "maxCells must be at most \(limits.maxCells)")
        }
        return S2RegionCoverer.Options(minLevel: minLevel, maxLevel: maxLevel, levelMod: levelMod, maxCells: maxCells)
    }
}
