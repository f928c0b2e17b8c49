import Foundation
import Testing
@testable import S2Geometry

/// Coverings of large regions (the whole sphere, hemispheres, polar caps and rectangles, quadrants,
/// thin bands around the globe, antimeridian-crossing rectangles, caps up to the whole sphere, big
/// polygons) at default and extreme options, through `S2Operations.covering` with the service's
/// default limits, against large_coverings.json. Each case carries the reference's own time for it
/// (`refSeconds`, measured natively when the fixtures were generated): whatever the reference computes
/// in under 0.5 s must be answered, identical to it; what takes it longer may be refused with 422
/// naming a parameter, but never answered differently.
@Suite struct S2LargeCoveringReferenceTests {
    nonisolated(unsafe) static let cases = Fixtures.load("large_coverings.json")["cases"] as! [[String: Any]]

    static func request(_ c: [String: Any]) -> S2CoveringRequest {
        let region: S2CoveringRegion
        switch c.str("kind") {
        case "rect":
            let r = c.dbls("rect")
            region = .rect(lo: .init(lat: r[0], lng: r[1]), hi: .init(lat: r[2], lng: r[3]))
        case "cap":
            let r = c.dbls("cap")
            region = .cap(center: .init(lat: r[0], lng: r[1]), radiusMeters: r[2])
        default:
            let rings = (c["rings"] as! [[[String]]]).map { ring in ring.map { $0.map { Double($0)! } } + [ring[0].map { Double($0)! }] }
            region = .polygon(S2GeoJSONPolygon(rings: rings))
        }
        let o = c["options"] as! [String: Any]
        return S2CoveringRequest(region: region, minLevel: o.int("minLevel"), maxLevel: o.int("maxLevel"),
                                 levelMod: o.int("levelMod"), maxCells: o.int("maxCells"), interior: c.bool("interior"))
    }

    /// The reference's seconds, or nil when it did not finish (or was not run: over 10 M cells of
    /// minLevel meet the region).
    static func refSeconds(_ c: [String: Any]) -> Double? { (c["refSeconds"] as? String).flatMap(Double.init) }

    /// FNV-1a 64 of the tokens, each followed by a comma (as the fixture script and covering_time.cc).
    static func fnv(_ cells: [S2CellId]) -> String {
        var h: UInt64 = 1469598103934665603
        for c in cells { for b in (c.token + ",").utf8 { h ^= UInt64(b); h = h &* 1099511628211 } }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Nil when the answer is the reference's, else what differs.
    static func mismatch(_ c: [String: Any], _ cells: [S2CellId]) -> String? {
        if cells.count != c.int("cellCount") { return "\(cells.count) cells, reference \(c.int("cellCount"))" }
        if let want = c["cells"] as? [String] { return tokens(cells) == want ? nil : "different cells" }
        return fnv(cells) == c.str("fnv") ? nil : "different cells (hash)"
    }

    static func label(_ c: [String: Any]) -> String {
        "\(c.str("name")) \(c["options"]!) interior=\(c.bool("interior")) ref \(c["refSeconds"] ?? "-") s"
    }

    /// Runs the cases the reference computes in under 0.5 s whose time passes `select`, through the API.
    static func answerAll(_ select: (Int, Double) -> Bool) -> (n: Int, kinds: Set<String>, interiors: Int, bad: [String]) {
        var bad: [String] = []
        var n = 0, kinds = Set<String>(), interiors = 0, rank = 0
        for c in cases {
            guard let t = refSeconds(c), t < 0.5 else { continue }
            rank += 1
            guard select(rank, t) else { continue }
            n += 1; kinds.insert(c.str("kind")); if c.bool("interior") { interiors += 1 }
            do {
                let got = try S2Operations.covering(request(c)).cells
                if let m = mismatch(c, got) { bad.append("\(label(c)): \(m)") }
            } catch {
                bad.append("\(label(c)): refused \(error)")
            }
        }
        return (n, kinds, interiors, bad)
    }

    /// Every request that takes the reference under 0.1 s (1,243 of the 1,344 under 0.5 s).
    @Test func whatTheReferenceComputesQuicklyIsAnsweredIdentically() {
        let r = Self.answerAll { _, t in t < 0.1 }
        #expect(r.n > 1200 && r.kinds == ["rect", "cap", "polygon"] && r.interiors > 500, "\(r.n) cases")
        #expect(r.bad.isEmpty, "\(r.bad.count) of \(r.n): \(r.bad.prefix(8))")
    }

    /// The requests that take the reference 0.1–0.5 s: all of those over 0.3 s (near the bar, where the
    /// budget must still suffice) and every other one below (the whole set is in Benchmarks/s2/large.sh).
    @Test func whatTheReferenceComputesInHalfASecondIsAnsweredIdentically() {
        let r = Self.answerAll { rank, t in t >= 0.3 || (t >= 0.1 && rank % 2 == 0) }
        #expect(r.n > 50 && r.kinds.count >= 2, "\(r.n) cases")
        #expect(r.bad.isEmpty, "\(r.bad.count) of \(r.n): \(r.bad.prefix(8))")
    }

    /// The issue's example: the interior covering of the whole sphere is its six faces, at once.
    @Test func wholeSphereInterior() throws {
        let whole = S2CoveringRegion.rect(lo: .init(lat: -90, lng: -180), hi: .init(lat: 90, lng: 180))
        let r = try S2Operations.covering(S2CoveringRequest(region: whole, interior: true))
        #expect(r.cells == (0..<6).map { S2CellId.fromFace($0) })
    }

    /// What the reference needs over 0.5 s for (or never finishes) is refused at once when a proven
    /// lower bound shows it passes the budget, naming minLevel (or region.polygon); the rest either runs into the budget
    /// (422 naming a parameter) or is answered identically. The cases the budget stops cost up to its
    /// whole second here, so only those refused in advance and the answered ones are run in full, and
    /// of the others the first few.
    @Test func slowerRequestsAreRefusedByFieldOrAnsweredIdentically() {
        var bad: [String] = []
        var inAdvance = 0, stopped = 0, answered = 0
        for c in Self.cases {
            if let t = Self.refSeconds(c), t < 0.5 { continue }
            let req = Self.request(c)
            let plan: S2CoveringEstimate
            do { plan = try S2Operations.plan(req).estimate } catch let e as S2Error {
                if case .tooExpensive(let field, _) = e, ["minLevel", "region.polygon"].contains(field) { inAdvance += 1 } else { bad.append("\(Self.label(c)): \(e)") }
                continue
            } catch { bad.append("\(error)"); continue }
            #expect(plan.minimumCandidates <= S2Limits.default.maxCandidates)
            if Self.refSeconds(c) == nil || stopped + answered >= 6 { continue }
            do {
                let got = try S2Operations.covering(req).cells
                answered += 1
                if let m = Self.mismatch(c, got) { bad.append("\(Self.label(c)): \(m)") }
            } catch let e as S2Error {
                if case .tooExpensive(let field, _) = e, ["minLevel", "maxLevel", "maxCells", "region.polygon"].contains(field) { stopped += 1 }
                else { bad.append("\(Self.label(c)): \(e)") }
            } catch { bad.append("\(error)") }
        }
        #expect(inAdvance > 20 && stopped + answered > 0, "\(inAdvance) refused in advance, \(stopped) stopped, \(answered) answered")
        #expect(bad.isEmpty, "\(bad.prefix(8))")
    }

    /// A candidate (cell id, terminal flag, children) takes 16 bytes, so the 5,000,000-candidate budget
    /// holds a covering's pool to 80 MB (S2CoveringAdmissionTests checks the layout and the admission).
    @Test func candidateMemory() {
        #expect(MemoryLayout<S2Cell>.stride == 48)
        #expect(MemoryLayout<S2RegionCoverer.Node>.stride * S2Limits.default.maxCandidates <= 80_000_000)
    }
}
