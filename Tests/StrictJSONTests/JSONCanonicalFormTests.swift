import Testing
@testable import StrictJSON

/// Documents that mean the same have one canonical form; documents that differ keep different ones.
@Suite struct JSONCanonicalFormTests {
    func canonical(_ text: String) throws -> String {
        String(decoding: try JSONCanonicalForm.bytes(of: Array(text.utf8)), as: UTF8.self)
    }

    @Test func spacingAndMemberOrderDoNotMatter() throws {
        #expect(try canonical(#" { "b" : [ 1 , { "y": null, "x": true } ], "a": "s" } "#) == #"{"a":"s","b":[1,{"x":true,"y":null}]}"#)
        #expect(try canonical("{\n\t\"exponent\"\r\n:86269}") == #"{"exponent":86269}"#)
        #expect(try canonical("[]") == "[]" && canonical("{}") == "{}" && canonical(" 12 ") == "12")
    }

    @Test func stringsCompareByValue() throws {
        #expect(try canonical(#"{"k":"\u0041\/\n\"\\é"}"#) == "{\"k\":\"A/\\u000a\\\"\\\\é\"}")
        #expect(try canonical(#"{"\u0062":1,"a":2}"#) == #"{"a":2,"b":1}"#)
        // Keys sort by their UTF-8 bytes: "Z" < "a" < "é".
        #expect(try canonical(#"{"é":1,"a":2,"Z":3}"#) == #"{"Z":3,"a":2,"é":1}"#)
        #expect(try canonical(#"["\ud83d\ude00"]"#) == "[\"😀\"]")
    }

    @Test func numbersAndArrayOrderStayAsWritten() throws {
        #expect(try canonical("[1, 1.0, 1e0, -0, 1E+2]") == "[1,1.0,1e0,-0,1E+2]")
        #expect(try canonical("[2, 1]") != canonical("[1, 2]"))
        #expect(try canonical(#"{"a":1}"#) != canonical(#"{"a":"1"}"#))
    }

    @Test func notJSONIsRefused() {
        for text in ["", "{", #"{"a":1,}"#, "[1 2]", "nul", #"{"a" 1}"#] {
            #expect(throws: JSONSyntaxError.self) { try JSONCanonicalForm.bytes(of: Array(text.utf8)) }
        }
    }
}
