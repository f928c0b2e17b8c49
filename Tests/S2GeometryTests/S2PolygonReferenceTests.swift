import Foundation
import Testing
@testable import S2Geometry

/// Polygons from GeoJSON-style rings ([lng, lat], either orientation, with holes) against the
/// reference: normalised loop bounds and point containment exactly; coverings compared cell by cell.
/// Polygons inside one face start from the reference's index-based bound and match exactly; polygons
/// spanning faces start from the cap bound and may differ in a few cells (still valid coverings).
@Suite struct S2PolygonReferenceTests {
    nonisolated(unsafe) static let cases = Fixtures.load("polygons.json")["cases"] as! [[String: Any]]

    static func polygon(_ c: [String: Any]) -> S2Polygon {
        let rings = c["rings"] as! [[[String]]]
        let loops = rings.map { ring in
            S2Loop(ring.map { S2LatLng(latDegrees: Double($0[1])!, lngDegrees: Double($0[0])!).point })
        }
        return S2Polygon(loops: loops)
    }

    @Test func boundsAndContainment() {
        var bad: [String] = []
        for (k, c) in Self.cases.enumerated() {
            let poly = Self.polygon(c)
            // Invalid polygons (overlapping shells) must be rejected by validation.
            if !c.bool("valid") {
                #expect(throws: S2Error.self) { try poly.validate(field: "region.polygon") }
                continue
            }
            do { try poly.validate(field: "region.polygon") } catch { bad.append("#\(k) rejected: \(error)") }
            let bounds = c["bounds"] as! [[String]]
            for (j, b) in bounds.enumerated() {
                let e = b.map { Double($0)! }
                let r = poly.loops[j].rectBound
                if r.lat.lo != e[0] || r.lat.hi != e[1] || r.lng.lo != e[2] || r.lng.hi != e[3] {
                    bad.append("#\(k) loop \(j) bound \(r) vs \(e)")
                }
            }
            for p in c["points"] as! [[Any]] {
                let ll = S2LatLng(latDegrees: Double(p[0] as! String)!, lngDegrees: Double(p[1] as! String)!)
                if poly.contains(ll.point) != (p[2] as! NSNumber).boolValue { bad.append("#\(k) contains \(p)") }
            }
            if !relClose(poly.area, c.dbl("area"), 1e-6) { bad.append("#\(k) area \(poly.area) vs \(c.dbl("area"))") }
        }
        #expect(Self.cases.count >= 50)
        #expect(bad.isEmpty, "\(bad.count): \(bad.prefix(8))")
    }

    @Test func coverings() throws {
        var exact = 0, total = 0
        var bad: [String] = []
        for (k, c) in Self.cases.enumerated() where c.bool("valid") {
            let poly = Self.polygon(c)
            for cov in c["coverings"] as! [[String: Any]] {
                total += 1
                let o = cov["options"] as! [String: Any]
                let coverer = S2RegionCoverer(options: .init(minLevel: o.int("minLevel"), maxLevel: o.int("maxLevel"),
                                                             levelMod: o.int("levelMod"), maxCells: o.int("maxCells")))
                let interior = cov.bool("interior")
                let got = interior ? try coverer.interiorCovering(poly) : try coverer.covering(poly)
                let want = cov.strs("cells")
                if tokens(got) == want { exact += 1; continue }
                // Not identical: the covering must still be a covering (every sample point the
                // reference finds inside is covered) and interior cells must lie inside.
                let u = S2CellUnion(got)
                for p in c["points"] as! [[Any]] where (p[2] as! NSNumber).boolValue && !interior {
                    let ll = S2LatLng(latDegrees: Double(p[0] as! String)!, lngDegrees: Double(p[1] as! String)!)
                    if !u.contains(ll.point) { bad.append("#\(k) point not covered") }
                }
                if interior { for id in got where !poly.contains(S2Cell(id)) { bad.append("#\(k) interior cell \(id.token) not inside") } }
            }
        }
        print("S2 polygon coverings identical to the reference: \(exact) of \(total)")
        #expect(bad.isEmpty, "\(bad.prefix(8))")
        #expect(total >= 200)
        #expect(exact * 100 >= total * 98, "fewer than 98% identical")   // 236 of 236 at the time of writing
    }
}
