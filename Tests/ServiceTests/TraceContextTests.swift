import Foundation
import HTTPServer
import HTTPTypes
import Testing
@testable import Service

/// W3C Trace Context parsing, checked against an independent reading of the grammar (a regular expression per
/// rule of the specification) over every single-character mutation, truncation and extension of valid headers.
@Suite struct TraceContextTests {
    static let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    /// The specification's rules, written separately from the parser: version is two lowercase hex digits other
    /// than `ff`; version 00 has exactly four fields; a later version may carry more after a `-`; ids are
    /// lowercase hex of 32 and 16 digits, not all zeros.
    static func referenceAccepts(_ header: String) -> Bool {
        guard let m = header.wholeMatch(of: /([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?/) else { return false }
        if m.1 == "ff" { return false }
        if m.1 == "00" && m.5 != nil { return false }
        if m.2.allSatisfy({ $0 == "0" }) || m.3.allSatisfy({ $0 == "0" }) { return false }
        return true
    }

    static func cases() -> [String] {
        let seeds = [valid, "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-what-the-future-holds",
                     "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03"]
        let alphabet: [Character] = ["0", "1", "9", "a", "f", "g", "A", "F", "-", " ", "z", "\t", "é"]
        var out: Set<String> = []
        for seed in seeds {
            let chars = Array(seed)
            out.insert(seed)
            for i in chars.indices {
                for c in alphabet {
                    var m = chars; m[i] = c; out.insert(String(m))
                }
                out.insert(String(chars[..<i]))                       // truncated
                var removed = chars; removed.remove(at: i); out.insert(String(removed))
                var inserted = chars; inserted.insert("0", at: i); out.insert(String(inserted))
            }
            out.insert(seed + "-"); out.insert(seed + "0"); out.insert(seed + "-x"); out.insert(" " + seed)
        }
        out.insert("00-00000000000000000000000000000000-00f067aa0ba902b7-01")
        out.insert("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")
        out.insert("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        out.insert("00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01")
        out.insert("")
        return out.sorted()
    }

    @Test func traceparentValidityMatchesTheSpecification() {
        let all = Self.cases()
        #expect(all.count > 1000)
        var accepted = 0
        for header in all {
            let parsed = TraceContext.parse(traceparent: header)
            #expect((parsed != nil) == Self.referenceAccepts(header), "\(header.debugDescription)")
            if let parsed {
                accepted += 1
                let b = Array(header.utf8)
                #expect(String(format: "%016llx%016llx", parsed.high, parsed.low) == String(decoding: b[3..<35], as: UTF8.self))
                #expect(String(format: "%016llx", parsed.parent) == String(decoding: b[36..<52], as: UTF8.self))
                #expect(String(format: "%02x", parsed.flags) == String(decoding: b[53..<55], as: UTF8.self))
            }
        }
        #expect(accepted > 50, "both outcomes are exercised")
    }

    @Test func continuedOrStartedTrace() throws {
        func context(_ fields: [(String, String)]) -> TraceContext {
            var f = HTTPFields()
            for (n, v) in fields { f.append(HTTPField(name: HTTPField.Name(n)!, value: v)) }
            return TraceContext(fields: RequestFields(f))
        }
        let continued = context([("traceparent", Self.valid), ("tracestate", "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE")])
        #expect(continued.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(continued.parentID == 0x00f0_67aa_0ba9_02b7)
        #expect(continued.spanID != 0 && continued.spanID != continued.parentID)
        #expect(continued.state == "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
        #expect(continued.traceparent == "00-4bf92f3577b34da6a3ce929d0e0e4736-\(continued.spanIDText)-01")
        // Unknown flag bits are not passed on.
        #expect(context([("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff")]).flags == 1)
        #expect(context([("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")]).flags == 0)

        // Invalid, repeated or absent: a new trace, and the tracestate is not kept.
        for fields in [[("traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"), ("tracestate", "a=b")],
                       [("traceparent", Self.valid), ("traceparent", Self.valid)], [("tracestate", "a=b")], []] {
            let started = context(fields)
            #expect(started.traceID != "4bf92f3577b34da6a3ce929d0e0e4736" && started.traceID.count == 32)
            #expect(started.parentID == nil && started.state == nil && started.flags == 1)
            #expect(TraceContext.parse(traceparent: started.traceparent) != nil)
        }
        // Ids differ from request to request.
        let ids = Set((0..<1000).map { _ in context([]).traceID })
        #expect(ids.count == 1000)
    }

    @Test func tracestateIsKeptOnlyWhenValid() {
        #expect(TraceContext.validState(["a=1,b=2", "c=3"]) == "a=1,b=2,c=3")
        #expect(TraceContext.validState(["  a=1 ,, b=2\t"]) == "a=1,b=2")
        #expect(TraceContext.validState(["tenant1@vendor=x", "0tenant@sys=y"]) == "tenant1@vendor=x,0tenant@sys=y")
        #expect(TraceContext.validState(["a*b/c_d-e=v v"]) == "a*b/c_d-e=v v")
        for invalid in [["A=1"], ["1a=1"], ["a=1,a=2"], ["a"], ["a=b=c"], ["a=\u{7f}"], ["a=b\u{7f}c"], ["@v=1"], ["t@=1"], ["t@V=1"],
                        [String(repeating: "k", count: 257) + "=1"], ["a=" + String(repeating: "v", count: 257)],
                        [(0..<33).map { "k\($0)=v" }.joined(separator: ",")], [(0..<20).map { "key\($0)=" + String(repeating: "v", count: 30) }.joined(separator: ",")]] {
            #expect(TraceContext.validState(invalid) == nil, "\(invalid)")
        }
        #expect(TraceContext.validState([(0..<32).map { "k\($0)=v" }.joined(separator: ",")]) != nil)
        #expect(TraceContext.validState([]) == nil)
    }

    @Test func recordedTraceIDsResume() {
        let t = TraceContext.resuming(traceID: "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(t.traceID == "4bf92f3577b34da6a3ce929d0e0e4736" && t.spanID != 0)
        for bad in [nil, "", "zz", "00000000000000000000000000000000", "4BF92F3577B34DA6A3CE929D0E0E4736"] {
            let fresh = TraceContext.resuming(traceID: bad)
            #expect(fresh.traceID.count == 32 && fresh.traceID != bad)
        }
        let child = t.child()
        #expect(child.traceID == t.traceID && child.parentID == t.spanID && child.spanID != t.spanID)
    }
}
