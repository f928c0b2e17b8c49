import Foundation

/// A 64-bit identifier of a cell in the S2 hierarchy (C++ `S2CellId`).
///
/// Layout: 3 face bits, 2 bits per level of Hilbert-curve position, a trailing 1 bit, zeros.
/// level = 30 − (index of the lowest set bit)/2; lsb(L) = 1 << 2·(30 − L).
public struct S2CellId: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let id: UInt64

    public static let maxLevel = 30
    public static let faceBits = 3
    public static let numFaces = 6
    public static let posBits = 2 * maxLevel + 1
    public static let maxSize = 1 << maxLevel

    @inlinable public init(_ id: UInt64) { self.id = id }
    public static let none = S2CellId(0)
    public static let sentinel = S2CellId(UInt64.max)

    // MARK: construction

    /// Leaf cell containing p: face, (u,v), (s,t), (i,j), then the Hilbert position.
    public init(_ p: S2Point) {
        let (face, u, v) = S2Coords.xyzToFaceUV(p)
        let i = S2Coords.stToIJ(S2Coords.uvToST(u))
        let j = S2Coords.stToIJ(S2Coords.uvToST(v))
        self = S2CellId.fromFaceIJ(face, i, j)
    }
    /// Leaf cell containing the point of `ll`.
    public init(_ ll: S2LatLng) { self.init(ll.point) }

    /// The face cell (level 0) of a face 0…5.
    public static func fromFace(_ face: Int) -> S2CellId {
        S2CellId((UInt64(face) << UInt64(posBits)) + lsbForLevel(0))
    }
    /// Cell with a given face, Hilbert position and level.
    public static func fromFacePosLevel(_ face: Int, _ pos: UInt64, _ level: Int) -> S2CellId {
        let cell = S2CellId((UInt64(face) << UInt64(posBits)) + (pos | 1))
        return cell.parent(level)
    }

    /// Leaf cell at leaf coordinates (i, j) of a face, 4 bits of i and j per table lookup.
    public static func fromFaceIJ(_ face: Int, _ i: Int, _ j: Int) -> S2CellId {
        var n = UInt64(face) << UInt64(posBits - 1)
        var bits = face & S2Coords.swapMask
        let mask = (1 << S2CellIdLookup.lookupBits) - 1
        S2CellIdLookup.pos.withUnsafeBufferPointer { pos in
            var k = 7
            while k >= 0 {
                bits += ((i >> (k * 4)) & mask) << 6
                bits += ((j >> (k * 4)) & mask) << 2
                bits = Int(pos[bits])
                n |= UInt64(bits >> 2) << UInt64(k * 8)
                bits &= 3
                k -= 1
            }
        }
        return S2CellId(n &* 2 &+ 1)
    }

    /// Like `fromFaceIJ`, but (i, j) may lie just outside the face: the point is projected onto the
    /// adjacent face through xyz (C++ `FromFaceIJWrap`).
    static func fromFaceIJWrap(_ face: Int, _ i: Int, _ j: Int) -> S2CellId {
        let ic = Swift.max(-1, Swift.min(maxSize, i))
        let jc = Swift.max(-1, Swift.min(maxSize, j))
        let scale = 1.0 / Double(maxSize)
        let limit = 1.0 + Double.ulpOfOne
        let u = Swift.max(-limit, Swift.min(limit, scale * Double(2 * (ic - maxSize / 2) + 1)))
        let v = Swift.max(-limit, Swift.min(limit, scale * Double(2 * (jc - maxSize / 2) + 1)))
        let (f, u2, v2) = S2Coords.xyzToFaceUV(S2Coords.faceUVtoXYZ(face, u, v))
        return fromFaceIJ(f, S2Coords.stToIJ(0.5 * (u2 + 1)), S2Coords.stToIJ(0.5 * (v2 + 1)))
    }
    static func fromFaceIJSame(_ face: Int, _ i: Int, _ j: Int, _ sameFace: Bool) -> S2CellId {
        sameFace ? fromFaceIJ(face, i, j) : fromFaceIJWrap(face, i, j)
    }

    // MARK: tokens

    /// Parses a token (hex id with trailing zeros stripped); returns `none` for malformed input
    /// (empty, "X", more than 16 characters, non-hex characters), like C++ `FromToken`.
    public init(token: String) {
        let utf8 = Array(token.utf8)
        if utf8.isEmpty || utf8.count > 16 { self = .none; return }
        var value: UInt64 = 0
        for c in utf8 {
            let d: UInt64
            switch c {
            case 48...57: d = UInt64(c - 48)
            case 97...102: d = UInt64(c - 87)
            case 65...70: d = UInt64(c - 55)
            default: self = .none; return
            }
            value = (value << 4) | d
        }
        value <<= UInt64(4 * (16 - utf8.count))
        self.id = value
    }
    /// 16 hex digits, lower case, trailing zeros removed; "X" for id 0.
    public var token: String {
        if id == 0 { return "X" }
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 16)
        var v = id
        for k in stride(from: 15, through: 0, by: -1) { out[k] = digits[Int(v & 15)]; v >>= 4 }
        var n = 16
        while n > 0 && out[n - 1] == 48 { n -= 1 }
        return String(decoding: out[0..<n], as: UTF8.self)
    }

    // MARK: structure

    @inlinable public var face: Int { Int(id >> 61) }
    @inlinable public var pos: UInt64 { id & (UInt64.max >> 3) }
    @inlinable public var lsb: UInt64 { id & (0 &- id) }
    @inlinable public static func lsbForLevel(_ level: Int) -> UInt64 { 1 << UInt64(2 * (maxLevel - level)) }
    /// 30 − trailingZeros/2
    @inlinable public var level: Int { S2CellId.maxLevel - (id.trailingZeroBitCount >> 1) }
    /// face < 6 and the lowest set bit at an even position.
    @inlinable public var isValid: Bool { face < S2CellId.numFaces && (lsb & 0x1555555555555555) != 0 }
    @inlinable public var isLeaf: Bool { (id & 1) != 0 }
    @inlinable public var isFace: Bool { (id & (S2CellId.lsbForLevel(0) &- 1)) == 0 }
    /// Edge length in leaf units: 2^(30 − level).
    @inlinable public static func sizeIJ(_ level: Int) -> Int { 1 << (maxLevel - level) }

    /// Ancestor at `level` (≤ this level): (id & −lsb) | lsb.
    @inlinable public func parent(_ level: Int) -> S2CellId {
        let newLsb = S2CellId.lsbForLevel(level)
        return S2CellId((id & (0 &- newLsb)) | newLsb)
    }
    /// Immediate parent.
    @inlinable public var parent: S2CellId {
        let newLsb = lsb << 2
        return S2CellId((id & (0 &- newLsb)) | newLsb)
    }
    /// Child k ∈ 0…3 in Hilbert order: id + (2k + 1 − 4)·lsb/4.
    @inlinable public func child(_ k: Int) -> S2CellId {
        let newLsb = lsb >> 2
        return S2CellId(id &+ UInt64(bitPattern: Int64(2 * k + 1 - 4)) &* newLsb)
    }
    public var children: [S2CellId] { (0..<4).map { child($0) } }
    /// Position (0…3) of this cell's ancestor at `level` within its parent.
    @inlinable public func childPosition(_ level: Int) -> Int { Int((id >> UInt64(2 * (S2CellId.maxLevel - level) + 1)) & 3) }
    @inlinable public var childBegin: S2CellId { let o = lsb; return S2CellId(id &- o &+ (o >> 2)) }
    @inlinable public func childBegin(_ level: Int) -> S2CellId { S2CellId(id &- lsb &+ S2CellId.lsbForLevel(level)) }
    @inlinable public var childEnd: S2CellId { let o = lsb; return S2CellId(id &+ o &+ (o >> 2)) }
    @inlinable public func childEnd(_ level: Int) -> S2CellId { S2CellId(id &+ lsb &+ S2CellId.lsbForLevel(level)) }
    /// First leaf cell in this cell: id − lsb + 1.
    @inlinable public var rangeMin: S2CellId { S2CellId(id &- (lsb &- 1)) }
    /// Last leaf cell in this cell: id + lsb − 1.
    @inlinable public var rangeMax: S2CellId { S2CellId(id &+ (lsb &- 1)) }
    @inlinable public func contains(_ o: S2CellId) -> Bool { o.id >= rangeMin.id && o.id <= rangeMax.id }
    @inlinable public func intersects(_ o: S2CellId) -> Bool { o.rangeMin.id <= rangeMax.id && o.rangeMax.id >= rangeMin.id }
    /// Next cell at the same level along the curve (may leave the valid range).
    @inlinable public var next: S2CellId { S2CellId(id &+ (lsb << 1)) }
    @inlinable public var prev: S2CellId { S2CellId(id &- (lsb << 1)) }
    /// Next cell at the same level, wrapping from the last face to the first.
    public var nextWrap: S2CellId {
        let n = next
        if n.id < S2CellId.wrapOffset { return n }
        return S2CellId(n.id &- S2CellId.wrapOffset)
    }
    public var prevWrap: S2CellId {
        let p = prev
        if p.id < S2CellId.wrapOffset { return p }
        return S2CellId(p.id &+ S2CellId.wrapOffset)
    }
    static let wrapOffset = UInt64(numFaces) << UInt64(posBits)
    public static func begin(_ level: Int) -> S2CellId { fromFace(0).childBegin(level) }
    public static func end(_ level: Int) -> S2CellId { fromFace(5).childEnd(level) }

    /// Level of the lowest common ancestor, or −1 when the cells are on different faces.
    public func commonAncestorLevel(_ other: S2CellId) -> Int {
        var bits = id ^ other.id
        if bits < lsb { bits = lsb }
        if bits < other.lsb { bits = other.lsb }
        let msbPos = 63 - bits.leadingZeroBitCount
        if msbPos > 60 { return -1 }
        return (60 - msbPos) >> 1
    }

    // MARK: coordinates

    /// Face, leaf (i, j) and Hilbert orientation (C++ `ToFaceIJOrientation`).
    public func faceIJOrientation() -> (face: Int, i: Int, j: Int, orientation: Int) {
        let f = face
        var orientation = f & S2Coords.swapMask
        var i = 0, j = 0
        var nbits = S2CellId.maxLevel - 7 * 4
        S2CellIdLookup.ij.withUnsafeBufferPointer { lij in
            var k = 7
            while k >= 0 {
                orientation += (Int(truncatingIfNeeded: id >> UInt64(k * 8 + 1)) & ((1 << (2 * nbits)) - 1)) << 2
                orientation = Int(lij[orientation])
                i += (orientation >> 6) << (k * 4)
                j += ((orientation >> 2) & 15) << (k * 4)
                orientation &= 3
                nbits = 4
                k -= 1
            }
        }
        if (lsb & 0x1111111111111110) != 0 { orientation ^= S2Coords.swapMask }
        return (f, i, j, orientation)
    }

    /// Face and (si, ti) of the cell centre: si = 2i + δ with δ = 1 for leaves, else 0 or 2.
    public func centerSiTi() -> (face: Int, si: UInt32, ti: UInt32) {
        let (f, i, j, _) = faceIJOrientation()
        let delta: Int = isLeaf ? 1 : (((i ^ (Int(truncatingIfNeeded: id) >> 2)) & 1) != 0 ? 2 : 0)
        return (f, UInt32(2 * i + delta), UInt32(2 * j + delta))
    }
    /// Unnormalised centre point.
    public var pointRaw: S2Point {
        let (f, si, ti) = centerSiTi()
        return S2Coords.faceSiTiToXYZ(f, si, ti)
    }
    /// Unit-length centre point.
    public var point: S2Point { pointRaw.normalized }
    /// Centre as lat/lng (from the raw point, as C++ `ToLatLng`).
    public var latLng: S2LatLng { S2LatLng(pointRaw) }
    /// Centre in (u, v).
    public var centerUV: (Double, Double) {
        let (_, si, ti) = centerSiTi()
        return (S2Coords.stToUV(S2Coords.siTiToST(si)), S2Coords.stToUV(S2Coords.siTiToST(ti)))
    }
    /// (u, v) bounds of the cell at `level` containing leaf (i, j).
    static func ijLevelToBoundUV(_ i: Int, _ j: Int, _ level: Int) -> R2Rect {
        let size = sizeIJ(level)
        let ilo = i & -size, jlo = j & -size
        return R2Rect(
            x: R1Interval(lo: S2Coords.stToUV(S2Coords.ijToSTMin(ilo)), hi: S2Coords.stToUV(S2Coords.ijToSTMin(ilo + size))),
            y: R1Interval(lo: S2Coords.stToUV(S2Coords.ijToSTMin(jlo)), hi: S2Coords.stToUV(S2Coords.ijToSTMin(jlo + size))))
    }

    // MARK: neighbours

    /// The four cells at this level sharing an edge with this cell: down, right, up, left.
    public var edgeNeighbors: [S2CellId] {
        let lvl = level
        let size = S2CellId.sizeIJ(lvl)
        let (f, i, j, _) = faceIJOrientation()
        let ms = S2CellId.maxSize
        return [
            S2CellId.fromFaceIJSame(f, i, j - size, j - size >= 0).parent(lvl),
            S2CellId.fromFaceIJSame(f, i + size, j, i + size < ms).parent(lvl),
            S2CellId.fromFaceIJSame(f, i, j + size, j + size < ms).parent(lvl),
            S2CellId.fromFaceIJSame(f, i - size, j, i - size >= 0).parent(lvl),
        ]
    }

    /// Cells at `level` (< this level) that share the vertex closest to this cell: 4, or 3 at a cube corner.
    public func vertexNeighbors(_ level: Int) -> [S2CellId] {
        precondition(level < self.level && level >= 0)
        let (f, i, j, _) = faceIJOrientation()
        let halfsize = S2CellId.sizeIJ(level + 1)
        let size = halfsize << 1
        let ms = S2CellId.maxSize
        var isame: Bool, jsame: Bool
        var ioffset: Int, joffset: Int
        if (i & halfsize) != 0 { ioffset = size; isame = (i + size) < ms } else { ioffset = -size; isame = (i - size) >= 0 }
        if (j & halfsize) != 0 { joffset = size; jsame = (j + size) < ms } else { joffset = -size; jsame = (j - size) >= 0 }
        var out: [S2CellId] = [parent(level)]
        out.append(S2CellId.fromFaceIJSame(f, i + ioffset, j, isame).parent(level))
        out.append(S2CellId.fromFaceIJSame(f, i, j + joffset, jsame).parent(level))
        if isame || jsame {
            out.append(S2CellId.fromFaceIJSame(f, i + ioffset, j + joffset, isame && jsame).parent(level))
        }
        return out
    }

    /// All cells at `nbrLevel` (≥ this level) adjacent to this cell by an edge or a vertex, in C++ order.
    public func allNeighbors(_ nbrLevel: Int) -> [S2CellId] {
        precondition(nbrLevel >= level && nbrLevel <= S2CellId.maxLevel)
        var (f, i, j, _) = faceIJOrientation()
        let size = S2CellId.sizeIJ(level)
        i &= -size
        j &= -size
        let nbrSize = S2CellId.sizeIJ(nbrLevel)
        let ms = S2CellId.maxSize
        var out: [S2CellId] = []
        var k = -nbrSize
        while true {
            var sameFace: Bool
            if k < 0 {
                sameFace = (j + k >= 0)
            } else if k >= size {
                sameFace = (j + k < ms)
            } else {
                sameFace = true
                out.append(S2CellId.fromFaceIJSame(f, i + k, j - nbrSize, j - size >= 0).parent(nbrLevel))
                out.append(S2CellId.fromFaceIJSame(f, i + k, j + size, j + size < ms).parent(nbrLevel))
            }
            out.append(S2CellId.fromFaceIJSame(f, i - nbrSize, j + k, sameFace && i - size >= 0).parent(nbrLevel))
            out.append(S2CellId.fromFaceIJSame(f, i + size, j + k, sameFace && i + size < ms).parent(nbrLevel))
            if k >= size { break }
            k += nbrSize
        }
        return out
    }

    // MARK: text

    /// "face/quadtree-path", e.g. "4/2220…"; "Invalid: <hex>" for invalid ids.
    public var debugString: String {
        if !isValid { return "Invalid: " + String(id, radix: 16).leftPadded(to: 16) }
        var s = String(face) + "/"
        let lvl = level
        if lvl > 0 {
            for l in 1...lvl { s.append(Character(String(childPosition(l)))) }
        }
        return s
    }
    /// Parses "f/ddd…"; returns `none` on malformed input.
    public init(debugString s: String) {
        let chars = Array(s.utf8)
        guard chars.count >= 2, chars[1] == 47, chars[0] >= 48, chars[0] <= 53, chars.count - 2 <= S2CellId.maxLevel else {
            self = .none; return
        }
        var c = S2CellId.fromFace(Int(chars[0] - 48))
        for d in chars[2...] {
            guard d >= 48, d <= 51 else { self = .none; return }
            c = c.child(Int(d - 48))
        }
        self = c
    }
    public var description: String { debugString }
    @inlinable public static func < (a: S2CellId, b: S2CellId) -> Bool { a.id < b.id }
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
