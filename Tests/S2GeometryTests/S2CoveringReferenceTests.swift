import Foundation
import Testing
@testable import S2Geometry

/// Rect and cap coverings (covering and interior covering at mixed options) must equal the
/// reference cell lists exactly, in order.
@Suite struct S2CoveringReferenceTests {
    nonisolated(unsafe) static let cases = Fixtures.load("coverings.json")["cases"] as! [[String: Any]]

    static func options(_ c: [String: Any]) -> S2RegionCoverer.Options {
        let o = c["options"] as! [String: Any]
        return .init(minLevel: o.int("minLevel"), maxLevel: o.int("maxLevel"), levelMod: o.int("levelMod"), maxCells: o.int("maxCells"))
    }

    func run(_ kind: String) -> (Int, [String]) {
        var bad: [String] = []
        var n = 0
        for (k, c) in Self.cases.enumerated() where c.str("kind") == kind {
            n += 1
            let region: any S2Region
            if kind == "rect" {
                let r = c.dbls("rect")
                region = S2LatLngRect(lo: S2LatLng(latDegrees: r[0], lngDegrees: r[1]), hi: S2LatLng(latDegrees: r[2], lngDegrees: r[3]))
            } else {
                let r = c.dbls("cap")
                region = S2Cap(center: S2LatLng(latDegrees: r[0], lngDegrees: r[1]), radiusMeters: r[2])
            }
            let coverer = S2RegionCoverer(options: Self.options(c))
            let got = c.bool("interior") ? try! coverer.interiorCovering(region) : try! coverer.covering(region)
            if tokens(got) != c.strs("cells") {
                bad.append("#\(k) interior=\(c.bool("interior")) \(c["options"]!) got \(got.count) want \(c.strs("cells").count)")
            }
        }
        return (n, bad)
    }

    @Test func rectCoverings() {
        let (n, bad) = run("rect")
        #expect(n > 200)
        #expect(bad.isEmpty, "\(bad.count) of \(n): \(bad.prefix(5))")
    }

    @Test func capCoverings() {
        let (n, bad) = run("cap")
        #expect(n > 200)
        #expect(bad.isEmpty, "\(bad.count) of \(n): \(bad.prefix(5))")
    }

    /// The seed blog's Porto Alegre rectangle at levels 8–15, maxCells 500.
    @Test func portoAlegre() throws {
        let c = Self.cases[0]
        #expect(c.str("kind") == "rect")
        let rect = S2LatLngRect(lo: S2LatLng(latDegrees: -30.24, lngDegrees: -51.26), hi: S2LatLng(latDegrees: -30.00, lngDegrees: -51.05))
        let got = try S2RegionCoverer(options: .init(minLevel: 8, maxLevel: 15, maxCells: 500)).covering(rect)
        #expect(tokens(got) == c.strs("cells"))
        #expect(got.count > 100)
    }
}

/// Cell-union operations against the reference (union and difference use the C++ algorithm
/// driven by the reference's own Contains/Intersects).
@Suite struct S2CellUnionReferenceTests {
    nonisolated(unsafe) static let cases = Fixtures.load("unions.json")["cases"] as! [[String: Any]]

    @Test func operations() {
        var bad: [String] = []
        for (k, c) in Self.cases.enumerated() {
            let a = S2CellUnion(cellIds(c.strs("a"))), b = S2CellUnion(cellIds(c.strs("b")))
            if tokens(a.cellIds) != c.strs("normA") { bad.append("#\(k) normalize") }
            if tokens(a.union(b).cellIds) != c.strs("union") { bad.append("#\(k) union") }
            if tokens(a.intersection(b).cellIds) != c.strs("intersection") { bad.append("#\(k) intersection") }
            if tokens(a.difference(b).cellIds) != c.strs("difference") { bad.append("#\(k) difference") }
            if a.contains(b) != c.bool("contains") { bad.append("#\(k) contains") }
            if a.intersects(b) != c.bool("intersects") { bad.append("#\(k) intersects") }
            if let den = c["denormalized"] as? [String],
               tokens(a.denormalized(minLevel: c.int("minLevel"), levelMod: c.int("levelMod"))) != den {
                bad.append("#\(k) denormalize")
            }
        }
        #expect(Self.cases.count >= 300)
        #expect(bad.isEmpty, "\(bad.prefix(10))")
    }
}
