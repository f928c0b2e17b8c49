import Foundation
import Testing
@testable import S2Geometry

/// The shape index behind every polygon query, against the one s2geometry builds
/// (Scripts/index_dump.cc): for each of the 715 valid fixture polygons, the same index cells in the
/// same order, the same centre containment, and in each cell the same clipped edges with the same
/// direction — holes reversed, as C++ `S2Polygon::Shape` reports them.
@Suite struct S2PolygonIndexReferenceTests {
    nonisolated(unsafe) static let cases = Fixtures.load("polygon_index.json")["cases"] as! [[String: Any]]

    /// A cell's clipped edges as (ring, a, b): the edge runs from vertex a to vertex b of the ring's
    /// normalised loop. The edge's ring is found from its id (edges are stored loop by loop), its
    /// ends by looking the points up in that loop.
    static func edgeTriples(_ poly: S2Polygon, _ cell: Int) -> [[Int]] {
        var start: [Int] = [0]
        for l in poly.loops { start.append(start.last! + l.numVertices) }
        let position = poly.loops.map { l in Dictionary(l.vertices.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a }) }
        let ids = poly.index.edgeIds[Int(poly.index.edgeStart[cell])..<Int(poly.index.edgeStart[cell + 1])]
        return ids.map { id -> [Int] in
            let e = Int(id)
            let ring = start.lastIndex { $0 <= e }!
            let edge = poly.index.edges[e]
            return [ring, position[ring][edge.a] ?? -1, position[ring][edge.b] ?? -1]
        }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test func indexIdentical() {
        var bad: [String] = []
        var cells = 0, holeEdges = 0
        for c in Self.cases {
            let k = c.int("case")
            let source = c.str("file") == "polygons.json" ? S2PolygonReferenceTests.cases : S2PolygonCoveringReferenceTests.cases
            let poly = S2PolygonReferenceTests.polygon(source[k])
            let want = c["cells"] as! [[Any]]
            let got = poly.index
            if got.cells.map(\.token) != want.map({ $0[0] as! String }) {
                bad.append("\(c.str("file")) #\(k): \(got.cells.count) index cells vs \(want.count)")
                continue
            }
            for (j, w) in want.enumerated() {
                cells += 1
                if got.containsCenter[j] != (w[1] as! Bool) { bad.append("\(c.str("file")) #\(k) cell \(got.cells[j].token): containsCenter") }
                let wantEdges = (w[2] as! [[Int]]).sorted { $0.lexicographicallyPrecedes($1) }
                let gotEdges = Self.edgeTriples(poly, j)
                if gotEdges != wantEdges {
                    bad.append("\(c.str("file")) #\(k) cell \(got.cells[j].token): edges \(gotEdges.prefix(4)) vs \(wantEdges.prefix(4))")
                }
                holeEdges += wantEdges.filter { poly.isHole[$0[0]] }.count
            }
        }
        print("S2 polygon shape indexes identical to the reference: \(Self.cases.count) polygons, \(cells) index cells, \(holeEdges) clipped hole edges (reversed)")
        #expect(Self.cases.count >= 700)
        #expect(holeEdges >= 1000)
        #expect(bad.isEmpty, "\(bad.count): \(bad.prefix(8))")
    }
}
