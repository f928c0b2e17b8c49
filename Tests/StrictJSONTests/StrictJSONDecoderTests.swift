import Foundation
import Testing
@testable import StrictJSON

/// The strict decoder: unknown members named by full path, numbers a field cannot hold refused at
/// the field, syntax errors located, and the same values as Foundation's JSONDecoder otherwise.
@Suite struct StrictJSONDecoderTests {
    struct LatLng: Codable, Equatable { var lat: Double; var lng: Double }
    struct Rect: Codable, Equatable { var lo: LatLng; var hi: LatLng }
    struct Region: Codable, Equatable { var rect: Rect?; var cap: LatLng? }
    struct Covering: Codable, Equatable {
        var region: Region
        var maxCells: Int?
        var points: [LatLng]?
        var vectors: [[Double]]?
        var label: String?
    }

    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try StrictJSONDecoder().decode(T.self, from: Array(json.utf8))
    }

    func unknown<T: Decodable>(_ type: T.Type, _ json: String) -> [String] {
        do {
            _ = try decode(T.self, json)
            return []
        } catch let e as UnknownFieldsError {
            return e.paths
        } catch {
            return ["unexpected \(error)"]
        }
    }

    /// The path and message of a DecodingError.dataCorrupted.
    func corrupted<T: Decodable>(_ type: T.Type, _ json: String) -> (String, String)? {
        do {
            _ = try decode(T.self, json)
        } catch DecodingError.dataCorrupted(let c) {
            return (JSONPath.string(c.codingPath), c.debugDescription)
        } catch {}
        return nil
    }

    @Test func unknownMembersAreNamedByTheirFullPath() {
        let base = #""region":{"rect":{"lo":{"lat":1,"lng":2},"hi":{"lat":3,"lng":4}}}"#
        #expect(unknown(Covering.self, "{\(base)}") == [])
        #expect(unknown(Covering.self, "{\(base),\"maxcells\":3}") == ["maxcells"])
        #expect(unknown(Covering.self, #"{"region":{"rect":{"lo":{"lat":1,"lng":2,"latt":1},"hi":{"lat":3,"lng":4}}}}"#)
                == ["region.rect.lo.latt"])
        #expect(unknown(Covering.self, "{\(base),\"points\":[{\"lat\":1,\"lng\":2},{\"lat\":1,\"lng\":2,\"alt\":9}]}")
                == ["points[1].alt"])
        // Several, in document order, at every depth; an unknown object is named once, not its insides.
        #expect(unknown(Covering.self, #"{"a":1,"region":{"b":{"c":1},"rect":{"lo":{"lat":1,"lng":2},"hi":{"lat":3,"lng":4,"d":[]}}},"e":null}"#)
                == ["a", "region.b", "region.rect.hi.d", "e"])
        // null counts as given.
        #expect(unknown(Covering.self, "{\(base),\"maxCells\":null,\"x\":null}") == ["x"])
    }

    @Test func unknownMembersAreReportedBesideOtherErrors() throws {
        do {
            _ = try decode(LatLng.self, #"{"lat":1,"lgn":2}"#)
            Issue.record("accepted")
        } catch let e as UnknownFieldsError {
            #expect(e.paths == ["lgn"])
            guard case .keyNotFound(let key, _)? = e.underlying as? DecodingError else {
                Issue.record("\(String(describing: e.underlying))")
                return
            }
            #expect(key.stringValue == "lng")
        }
    }

    /// A type reading one object through two key types (a discriminator, then the variant's keys)
    /// knows the union; members of the union that the variant does not read are still unknown.
    @Test func unionOfKeyTypesAndConsumption() {
        enum Shape: Decodable {
            case circle(Double), square(Double)
            enum Keys: String, CodingKey { case kind, radius, side }
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: Keys.self)
                switch try c.decode(String.self, forKey: .kind) {
                case "circle": self = .circle(try c.decode(Double.self, forKey: .radius))
                default: self = .square(try c.decode(Double.self, forKey: .side))
                }
            }
        }
        #expect(unknown(Shape.self, #"{"kind":"circle","radius":1}"#) == [])
        #expect(unknown(Shape.self, #"{"kind":"circle","radius":1,"side":2}"#) == ["side"])
        #expect(unknown([String: Double].self, #"{"x":1,"y":2}"#) == [])
    }

    @Test func duplicateNamesAreRefused() {
        let c = corrupted(LatLng.self, #"{"lat":1,"lng":2,"lat":3}"#)
        #expect(c?.0 == "lat")
        #expect(c?.1.contains("more than once") == true)
    }

    @Test func numbersOutsideTheirTypeAreRefusedAtTheField() throws {
        for (json, path) in [(#"{"lat":1e400,"lng":0}"#, "lat"), (#"{"lat":-1e400,"lng":0}"#, "lat"),
                             (#"{"lat":1e999999999999999999999999,"lng":0}"#, "lat"),
                             (#"{"lat":0,"lng":-123456789e999}"#, "lng")] {
            let c = corrupted(LatLng.self, json)
            #expect(c?.0 == path, "\(json)")
            #expect(c?.1.contains("outside the range of a double") == true, "\(json)")
        }
        let inArray = corrupted(Covering.self, #"{"region":{},"vectors":[[1,2],[3,1e400]]}"#)
        #expect(inArray?.0 == "vectors[1][1]")
        #expect(corrupted([Double].self, "[1, 2, 1E+400]")?.0 == "[2]")
        // Integers: not integral, beyond the type, huge exponents.
        #expect(corrupted(Covering.self, #"{"region":{},"maxCells":1.5}"#)?.1 == "must be an integer, got 1.5")
        for literal in ["1e400", "-1e400", "9223372036854775808", "1e19", "1e99999999999999999999"] {
            let c = corrupted(Covering.self, #"{"region":{},"maxCells":\#(literal)}"#)
            #expect(c?.0 == "maxCells", "\(literal)")
            #expect(c?.1.hasPrefix("must be an integer between") == true, "\(literal)")
        }
        #expect(corrupted([UInt8].self, "[255, 256]")?.0 == "[1]")
        #expect(corrupted([UInt].self, "[-1]")?.0 == "[0]")
        #expect(corrupted([Float].self, "[1e39]")?.1.contains("single-precision") == true)
        // Tiny magnitudes round to zero like any other rounding.
        #expect(try decode([Double].self, "[1e-400, -1e-400]") == [0, 0])
    }

    @Test func integralLiteralsInAnyNotationAreIntegers() throws {
        #expect(try decode([Int].self, "[5, 5.0, 5e0, 50e-1, 0.5e1, -0, 9223372036854775807, -9223372036854775808]")
                == [5, 5, 5, 5, 5, 0, .max, .min])
        #expect(try decode([UInt64].self, "[18446744073709551615, 1.8446744073709551615e19]") == [.max, .max])
        #expect(try decode([Int8].self, "[-128, 127]") == [-128, 127])
    }

    @Test func decimalsAreExactOrRefused() throws {
        #expect(try decode([Decimal].self, "[0.3, 1e-100, 12345678901234567890.123]")
                == [Decimal(string: "0.3")!, Decimal(string: "1e-100")!, Decimal(string: "12345678901234567890.123")!])
        #expect(corrupted([Decimal].self, "[1e400]")?.0 == "[0]")
        #expect(corrupted([Decimal].self, "[0.123456789012345678901234567890123456789]")?.0 == "[0]")
    }

    @Test func numberTextIsTheLiteral() throws {
        #expect(try decode([JSONNumberText].self, "[0.4, 1e400, -0.10, 12345678901234567890123]").map(\.text)
                == ["0.4", "1e400", "-0.10", "12345678901234567890123"])
        #expect(throws: DecodingError.self) { try decode([JSONNumberText].self, #"["0.4"]"#) }
    }

    /// Wrong types name the field (and say what was found).
    @Test func typeMismatchesCarryThePath() {
        do {
            _ = try decode(Covering.self, #"{"region":{"cap":{"lat":"north","lng":0}}}"#)
            Issue.record("accepted")
        } catch DecodingError.typeMismatch(_, let c) {
            #expect(JSONPath.string(c.codingPath) == "region.cap.lat")
            #expect(c.debugDescription == "expected a number, found a string")
        } catch { Issue.record("\(error)") }
    }

    func syntaxError(_ json: [UInt8]) -> JSONSyntaxError? {
        do { _ = try StrictJSONDecoder().decode([String: Int].self, from: json) } catch let e as JSONSyntaxError { return e } catch {}
        return nil
    }

    @Test func syntaxErrorsAreLocated() {
        let cases: [(String, Int, Int, String)] = [
            ("{\"a\":1,}", 1, 8, "expected a member name in quotes"),
            ("{\"a\":1\n  \"b\":2}", 2, 3, "expected ',' or '}'"),
            ("{\"a\":01}", 1, 7, "leading zeros"),
            ("{\"a\":1.}", 1, 8, "digit after the decimal point"),
            ("{\"a\":1e}", 1, 8, "digit in the exponent"),
            ("{\"a\":-}", 1, 7, "digit after '-'"),
            ("{\"a\":tru}", 1, 6, "expected a value"),
            ("{\"a\":\"x}", 1, 6, "not terminated"),
            ("{\"a\":\"\\x\"}", 1, 7, "invalid escape"),
            ("{\"a\":\"\\ud800\"}", 1, 7, "high surrogate"),
            ("{\"a\":\"\\udc00\"}", 1, 7, "low surrogate"),
            ("{\"a\":1} x", 1, 9, "after the JSON value"),
            ("", 1, 1, "no JSON value"),
            ("{\"a\":NaN}", 1, 6, "expected a value"),
            ("{\"a\":Infinity}", 1, 6, "expected a value"),
        ]
        for (json, line, column, message) in cases {
            let e = syntaxError(Array(json.utf8))
            #expect(e?.line == line && e?.column == column, "\(json): \(String(describing: e))")
            #expect(e?.message.contains(message) == true, "\(json): \(String(describing: e))")
        }
        // Invalid UTF-8 (overlong, surrogate, truncated), raw control characters.
        for bytes: [UInt8] in [[0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82], [0x22, 0x01, 0x22]] {
            #expect(syntaxError([0x7B] + Array("\"a\":".utf8) + bytes + [0x7D]) != nil, "\(bytes)")
        }
    }

    @Test func deepNestingIsRefusedWithoutCrashing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try StrictJSONDecoder().decode([Int].self, from: Array(deep.utf8))
            Issue.record("accepted")
        } catch let e as JSONSyntaxError {
            #expect(e.message.contains("nested more than 256"))
        } catch { Issue.record("\(error)") }
    }

    /// Strings with escapes, surrogate pairs and multi-byte UTF-8 decode as Foundation decodes them.
    @Test func stringsMatchFoundation() throws {
        let json = #"["plain", "tab\tnew\nline", "quote \" slash \/ back \\", "\u00e9\u4e2d\ud83d\ude00", "é中😀", "\u0000"]"#
        #expect(try decode([String].self, json) == (try JSONDecoder().decode([String].self, from: Data(json.utf8))))
    }

    /// Random documents of numbers in every notation decode to the same doubles as Foundation's decoder.
    @Test func numbersMatchFoundation() throws {
        var rng = SystemRandomNumberGenerator()
        var texts: [String] = []
        for _ in 0..<20_000 {
            let x = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random() ? 1 : -1)
            switch Int.random(in: 0..<5) {
            case 0: texts.append("\(x)")
            case 1: texts.append(String(format: "%.17e", x))
            case 2: texts.append(String(format: "%.6g", Double.random(in: -1e6...1e6)))
            case 3: texts.append(String(Int64.random(in: .min ... .max)))
            default: texts.append(String(format: "%.15f", Double.random(in: -1...1)))
            }
        }
        let json = "[" + texts.joined(separator: ",") + "]"
        let mine = try decode([Double].self, json)
        let theirs = try JSONDecoder().decode([Double].self, from: Data(json.utf8))
        #expect(mine.count == theirs.count)
        for (i, (a, b)) in zip(mine, theirs).enumerated() where a.bitPattern != b.bitPattern {
            Issue.record("\(texts[i]): \(a) vs \(b)")
        }
    }
}
