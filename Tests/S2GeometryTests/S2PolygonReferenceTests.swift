import Foundation
import Testing
@testable import S2Geometry

/// Polygons from GeoJSON-style rings ([lng, lat], either orientation, with holes) against the
/// reference: normalised loop bounds and point containment exactly; coverings identical cell by cell.
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
            if poly.isHole != (c["holes"] as! [Bool]) { bad.append("#\(k) holes \(poly.isHole) vs \(c["holes"]!)") }
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
                if tokens(got) == want { exact += 1 } else { bad.append("#\(k) \(o) interior=\(interior): \(got.count) cells vs \(want.count)") }
            }
        }
        print("S2 polygon coverings identical to the reference: \(exact) of \(total)")
        #expect(bad.isEmpty, "\(bad.count): \(bad.prefix(8))")
        #expect(total >= 200)
    }
}
