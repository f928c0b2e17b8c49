import Foundation
import Testing

/// Request bodies over HTTP: unknown members, numbers out of range and malformed JSON are refused with
/// the field (or the position) named. `scripts/strict-bodies.py` checks the same on every operation's example.
@Suite struct StrictBodyTests {
    @Test func aMisspeltFieldIsRefusedNotIgnored() throws {
        let h = try ServiceHarness()
        let r = try h.post("/v1/bounds/markov", raw: #"{"mean":40,"threshold":80,"maxcells":3}"#)
        #expect(r.status == 422)
        #expect(r.problemFields() == ["maxcells"])
        #expect(r.text.contains("is not a field of this request"))
        // Nested members are named by their full path, several at once, beside other errors of the body.
        let s2 = try h.post("/v1/s2/coverings", raw: #"{"region":{"rect":{"lo":{"latt":1,"lng":2},"hi":{"lat":3,"lng":4}}},"maxcells":3}"#)
        #expect(s2.status == 422)
        #expect(Set(s2.problemFields()).isSuperset(of: ["region.rect.lo.latt", "maxcells", "region.rect.lo.lat"]), "\(s2.text)")
        let points = try h.post("/v1/s2/cells", raw: #"{"points":[{"lat":1,"lng":2},{"lat":1,"lng":2,"alt":3}]}"#)
        #expect(points.status == 422 && points.problemFields() == ["points[1].alt"], "\(points.text)")
        // Without the typo the body is answered.
        #expect(try h.post("/v1/bounds/markov", raw: #"{"mean":40,"threshold":80}"#).status == 200)
    }

    @Test func numbersOutsideTheDoubleRangeNameTheField() throws {
        let h = try ServiceHarness()
        let cases: [(String, String, String)] = [
            ("/v1/bounds/markov", #"{"mean":1e400,"threshold":80}"#, "mean"),
            ("/v1/bounds/markov", #"{"mean":40,"threshold":-1e400}"#, "threshold"),
            ("/v1/bounds/markov", #"{"mean":40,"threshold":1e99999999999999999999}"#, "threshold"),
            ("/v1/s2/cells", #"{"points":[{"lat":0,"lng":0},{"lat":1e400,"lng":0}]}"#, "points[1].lat"),
            ("/v1/s2/cells", #"{"points":[{"lat":0,"lng":0}],"level":1e400}"#, "level"),
            ("/v1/s2/cells", #"{"points":[{"lat":0,"lng":0}],"level":2.5}"#, "level"),
            ("/v1/primes/lucas-lehmer", #"{"exponent":1e30}"#, "exponent"),
            ("/v1/metric", #"{"density":{"kind":"gaussian","mean":[0,0],"covariance":[[1,0],[0,1]]},"points":[[0,1e400]]}"#, "points[0][1]"),
        ]
        for (path, body, field) in cases {
            let r = try h.post(path, raw: body)
            #expect(r.status == 422, "\(path) \(body): \(r.status) \(r.text)")
            #expect(r.problemFields().contains(field), "\(path) \(body): \(r.text)")
        }
        // Benford counts a huge number by its leading digits instead of refusing it.
        let benford = try h.post("/v1/benford", raw: #"{"values":[1e400, 2e999, 3]}"#).json()
        #expect(benford["count"] as? Int == 3)
    }

    @Test func malformedJSONSaysWhere() throws {
        let h = try ServiceHarness()
        let r = try h.post("/v1/bounds/markov", raw: "{\"mean\":40,\n \"threshold\":80,}")
        #expect(r.status == 400)
        let detail = try r.json()["detail"] as? String ?? ""
        #expect(detail.contains("line 2, column 17"), "\(detail)")
        let duplicate = try h.post("/v1/bounds/markov", raw: #"{"mean":40,"threshold":80,"mean":1}"#)
        #expect(duplicate.status == 422 && duplicate.problemFields() == ["mean"])
    }
}
