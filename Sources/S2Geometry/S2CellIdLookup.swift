/// Lookup tables mapping 4 bits of i and j plus a Hilbert orientation to 8 bits of curve position,
/// and back (C++ `s2cell_id.cc` `lookup_pos` / `lookup_ij`, kLookupBits = 4).
enum S2CellIdLookup {
    static let lookupBits = 4

    static let tables: (pos: [UInt16], ij: [UInt16]) = {
        var pos = [UInt16](repeating: 0, count: 1 << (2 * lookupBits + 2))
        var ij = [UInt16](repeating: 0, count: 1 << (2 * lookupBits + 2))
        func initCell(_ level: Int, _ i: Int, _ j: Int, _ origOrientation: Int, _ p: Int, _ orientation: Int) {
            if level == lookupBits {
                let ijv = (i << lookupBits) + j
                pos[(ijv << 2) + origOrientation] = UInt16((p << 2) + orientation)
                ij[(p << 2) + origOrientation] = UInt16((ijv << 2) + orientation)
                return
            }
            let l = level + 1, ii = i << 1, jj = j << 1, pp = p << 2
            let r = S2Coords.posToIJ[orientation]
            for k in 0..<4 {
                initCell(l, ii + (r[k] >> 1), jj + (r[k] & 1), origOrientation, pp + k,
                         orientation ^ S2Coords.posToOrientation[k])
            }
        }
        initCell(0, 0, 0, 0, 0, 0)
        initCell(0, 0, 0, 1, 0, 1)
        initCell(0, 0, 0, 2, 0, 2)
        initCell(0, 0, 0, 3, 0, 3)
        return (pos, ij)
    }()
    static let pos: [UInt16] = tables.pos
    static let ij: [UInt16] = tables.ij
}
