import Foundation
import Testing
@testable import S2Geometry

/// Polygon coverings against the reference on every kind of polygon its shape index treats
/// differently: inside one face, across face edges and cube corners, big (three to five faces),
/// huge (whole faces inside), tiny, with holes, with several shells, at the poles and across the
/// antimeridian; mixed options, interior and not. Bounds and every covering must be identical.
@Suite struct S2PolygonCoveringReferenceTests {
    nonisolated(unsafe) static let cases = Fixtures.load("polygon_coverings.json")["cases"] as! [[String: Any]]

    @Test func coveringsIdentical() throws {
        var exact = 0, total = 0, multiFace = 0, nestedCoverings = 0
        var perKind: [String: Int] = [:]
        var bad: [String] = []
        for (k, c) in Self.cases.enumerated() {
            let poly = S2PolygonReferenceTests.polygon(c)
            // Hole flags as the reference's loop hierarchy sets them (valid polygons: crossing loops
            // have no well-defined nesting).
            if c.bool("valid") && poly.isHole != (c["holes"] as! [Bool]) { bad.append("#\(k) holes \(poly.isHole) vs \(c["holes"]!)") }
            if !c.bool("valid") {
                #expect(throws: S2Error.self) { try poly.validate(field: "region.polygon") }
                continue
            }
            do { try poly.validate(field: "region.polygon") } catch { bad.append("#\(k) rejected: \(error)"); continue }
            let b = poly.rectBound, e = c.dbls("bound")
            if b.lat.lo != e[0] || b.lat.hi != e[1] || b.lng.lo != e[2] || b.lng.hi != e[3] { bad.append("#\(k) bound \(b) vs \(e)") }
            if c["area"] != nil && !relClose(poly.area, c.dbl("area"), 1e-9) { bad.append("#\(k) area \(poly.area) vs \(c.dbl("area"))") }
            let spansFaces = Set(poly.index.cells.map(\.face)).count > 1
            for cov in c["coverings"] as! [[String: Any]] {
                total += 1
                let o = cov["options"] as! [String: Any]
                let coverer = S2RegionCoverer(options: .init(minLevel: o.int("minLevel"), maxLevel: o.int("maxLevel"),
                                                             levelMod: o.int("levelMod"), maxCells: o.int("maxCells")))
                let got = cov.bool("interior") ? try coverer.interiorCovering(poly) : try coverer.covering(poly)
                if tokens(got) == cov.strs("cells") {
                    exact += 1
                    perKind[c.str("kind"), default: 0] += 1
                    if spansFaces { multiFace += 1 }
                    if c.str("kind") == "nested" { nestedCoverings += 1 }
                } else {
                    bad.append("#\(k) \(c.str("kind")) \(o) interior=\(cov.bool("interior")): \(got.count) cells vs \(cov.strs("cells").count)")
                }
            }
        }
        print("S2 polygon coverings (all kinds) identical to the reference: \(exact) of \(total), \(multiFace) on polygons indexed on several faces; by kind \(perKind.sorted { $0.key < $1.key })")
        #expect(total >= 1100)
        #expect(multiFace >= 250)
        #expect(nestedCoverings >= 130)
        #expect(bad.isEmpty, "\(bad.count): \(bad.prefix(8))")
    }
}
