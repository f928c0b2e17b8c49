import Foundation
import Testing
@testable import S2Geometry

/// Differential tests against s2geometry 0.14.0: ids, tokens, hierarchy and neighbours exact;
/// vertices/centres bit-exact; approx/average/exact area to 1e−12 relative at every level 0–30.
@Suite struct S2CellReferenceTests {
    nonisolated(unsafe) static let data = Fixtures.load("cells.json")
    nonisolated(unsafe) static let cells = data["cells"] as! [[String: Any]]

    @Test func seedExample() {
        let leaf = S2CellId(S2LatLng(latDegrees: -30.0438, lngDegrees: -51.14022))
        #expect(leaf.id == 10743750136202470315)
        #expect(leaf.token == "951977d377e723ab")
        let parent = leaf.parent(29)
        #expect(parent.id == 10743750136202470316)
        #expect(parent.token == "951977d377e723ac")
        #expect(!leaf.contains(parent))
        #expect(parent.contains(leaf))
    }

    @Test func pointsAndLeafIds() {
        var mismatches = 0
        for r in Self.cells {
            let ll = S2LatLng(latDegrees: r.dbl("lat"), lngDegrees: r.dbl("lng"))
            let p = ll.point
            let e = r.dbls("point")
            if p.x != e[0] || p.y != e[1] || p.z != e[2] { mismatches += 1 }
            let leaf = S2CellId(ll)
            if leaf.id != r.u64("leaf") || leaf.token != r.str("leafToken") { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(Self.cells.count > 2000)
    }

    @Test func hierarchyAndText() {
        var bad: [String] = []
        for r in Self.cells {
            let leaf = S2CellId(r.u64("leaf"))
            let level = r.int("level")
            let c = leaf.parent(level)
            if c.id != r.u64("id") { bad.append("id \(r.str("id"))"); continue }
            if c.token != r.str("token") || S2CellId(token: r.str("token")) != c { bad.append("token \(c.token)") }
            if c.level != level || c.face != r.int("face") || !c.isValid { bad.append("level/face \(c.token)") }
            if c.debugString != r.str("debug") || S2CellId(debugString: r.str("debug")) != c { bad.append("debug \(c.token)") }
            if c.rangeMin.id != r.u64("rangeMin") || c.rangeMax.id != r.u64("rangeMax") { bad.append("range \(c.token)") }
            if c.next.id != r.u64("next") || c.prev.id != r.u64("prev") { bad.append("next/prev \(c.token)") }
            if let p = r["parent"] as? String, c.parent.token != p { bad.append("parent \(c.token)") }
            if let ch = r["children"] as? [String], tokens(c.children) != ch { bad.append("children \(c.token)") }
            if !c.contains(leaf) || (level < 30 && leaf.contains(c)) { bad.append("contains \(c.token)") }
        }
        #expect(bad.isEmpty, "\(bad.prefix(10))")
    }

    @Test func neighbours() {
        var bad: [String] = []
        for r in Self.cells {
            let c = S2CellId(r.u64("id"))
            if tokens(c.edgeNeighbors) != r.strs("edgeNeighbors") { bad.append("edge \(c.token)") }
            if let vl = r["vertexLevel"] as? NSNumber, tokens(c.vertexNeighbors(vl.intValue)) != r.strs("vertexNeighbors") {
                bad.append("vertex \(c.token)@\(vl)")
            }
            if tokens(c.allNeighbors(r.int("allLevel"))) != r.strs("allNeighbors") { bad.append("all \(c.token)") }
        }
        #expect(bad.isEmpty, "\(bad.prefix(10))")
    }

    @Test func geometry() {
        var bad: [String] = []
        var perLevel = [Int](repeating: 0, count: 31)
        var worstExact = 0.0
        for r in Self.cells {
            perLevel[r.int("level")] += 1
            let cid = S2CellId(r.u64("id"))
            let cell = S2Cell(cid)
            let ll = cid.latLng
            let ce = r.dbls("center")
            if ll.lat.degrees != ce[0] || ll.lng.degrees != ce[1] { bad.append("center \(cid.token)") }
            let cp = r.dbls("centerPoint")
            if cell.center != S2Point(cp[0], cp[1], cp[2]) { bad.append("centerPoint \(cid.token)") }
            let vs = r["vertices"] as! [[String]]
            let vll = r["vertexLatLngs"] as! [[String]]
            for k in 0..<4 {
                let v = vs[k].map { Double($0)! }
                if cell.vertex(k) != S2Point(v[0], v[1], v[2]) { bad.append("vertex\(k) \(cid.token)") }
                let l = cell.latLngVertex(k)
                if l.lat.degrees != Double(vll[k][0])! || l.lng.degrees != Double(vll[k][1])! { bad.append("vll\(k) \(cid.token)") }
            }
            if !relClose(cell.approxArea, r.dbl("approxArea"), 1e-12) { bad.append("approx \(cid.token)") }
            if S2Cell.averageArea(cid.level) != r.dbl("averageArea") { bad.append("avg \(cid.token)") }
            // Same formula as the reference (l'Huilier on Kahan's stable side lengths, two triangles):
            // 1e−12 relative at every level 0–30.
            worstExact = Swift.max(worstExact, Swift.abs(cell.exactArea - r.dbl("exactArea")) / r.dbl("exactArea"))
            if !relClose(cell.exactArea, r.dbl("exactArea"), 1e-12) { bad.append("exact \(cid.token) \(cell.exactArea) \(r.dbl("exactArea"))") }
            let p = S2LatLng(latDegrees: r.dbl("lat"), lngDegrees: r.dbl("lng")).point
            if cell.contains(p) != r.bool("containsPoint") { bad.append("containsPoint \(cid.token)") }
            let rb = cell.rectBound, erb = r.dbls("rectBound")
            if rb.lat.lo != erb[0] || rb.lat.hi != erb[1] || rb.lng.lo != erb[2] || rb.lng.hi != erb[3] { bad.append("rect \(cid.token)") }
            let cb = cell.capBound, ecb = r.dbls("capBound")
            if cb.center != S2Point(ecb[0], ecb[1], ecb[2]) || cb.height != ecb[3] { bad.append("cap \(cid.token)") }
        }
        print("S2 exact area: worst relative difference to the reference \(worstExact) over \(Self.cells.count) cells")
        // Every level 0–30 is represented (the area formula is most fragile at 25–30).
        #expect(perLevel.allSatisfy { $0 >= 20 }, "cells per level: \(perLevel)")
        #expect(bad.isEmpty, "\(bad.count): \(bad.prefix(10))")
    }

    @Test func tokenParsing() {
        for t in Self.data["tokens"] as! [[String: Any]] {
            let c = S2CellId(token: t.str("token"))
            #expect(c.id == t.u64("id"), "\(t.str("token"))")
            #expect(c.isValid == t.bool("valid"), "\(t.str("token"))")
        }
    }
}
