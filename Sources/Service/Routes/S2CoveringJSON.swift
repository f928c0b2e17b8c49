import HTTPServer
import HTTPTypes
import S2Geometry

/// The JSON body of a covering, `{"cells":[{"id","level","token"}…],"options":{…}}`, written by hand in
/// the bytes `JSON.encoder` would produce (sorted keys). A covering may have millions of cells (the
/// whole sphere at minLevel 9 has 1,572,864): above `streamAbove` cells the body is streamed in
/// pieces of that many cells, so memory stays at the cell ids (8 bytes each) instead of a
/// 100-megabyte document, and writing stays at about 0.1 µs a cell.
enum S2CoveringJSON {
    static let streamAbove = 4096

    static func response(_ result: S2CoveringResult) -> HTTPServerResponse {
        let cells = result.cells
        let tail = Array(optionsJSON(result.options).utf8)
        if cells.count <= streamAbove {
            var out: [UInt8] = []
            out.reserveCapacity(16 + 64 * cells.count + tail.count)
            out += Array(#"{"cells":["#.utf8)
            append(cells[...], first: true, to: &out)
            out += tail
            return HTTPServerResponse(status: .ok, contentType: "application/json", bytes: out)
        }
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        return HTTPServerResponse(status: .ok, headerFields: fields, body: .stream(length: nil) { writer in
            var start = 0
            while start < cells.count {
                let end = Swift.min(cells.count, start + streamAbove)
                var out: [UInt8] = start == 0 ? Array(#"{"cells":["#.utf8) : []
                out.reserveCapacity(16 + 64 * (end - start))
                append(cells[start..<end], first: start == 0, to: &out)
                if end == cells.count { out += tail }
                try writer.write(out)
                start = end
            }
        })
    }

    /// `{"id":"…","level":n,"token":"…"}` for each cell, comma-separated.
    static func append(_ cells: ArraySlice<S2CellId>, first: Bool, to out: inout [UInt8]) {
        var first = first
        for c in cells {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out += #"{"id":""#.utf8
            out += String(c.id).utf8
            out += #"","level":"#.utf8
            out += String(c.level).utf8
            out += #","token":""#.utf8
            out += c.token.utf8
            out += #""}"#.utf8
        }
    }

    static func optionsJSON(_ o: S2AppliedOptions) -> String {
        #"],"options":{"interior":\#(o.interior),"levelMod":\#(o.levelMod),"maxCells":\#(o.maxCells),"maxLevel":\#(o.maxLevel),"minLevel":\#(o.minLevel)}}"#
    }
}
