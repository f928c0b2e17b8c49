import Foundation

/// A set of cells kept sorted, without overlaps, with four siblings merged into their parent
/// (C++ `S2CellUnion`). `init(_:)` normalises; `init(verbatim:)` keeps the list as given.
public struct S2CellUnion: Sendable, Hashable, S2Region {
    public private(set) var cellIds: [S2CellId]

    public init(_ ids: [S2CellId]) { cellIds = S2CellUnion.normalize(ids) }
    public init(verbatim ids: [S2CellId]) { cellIds = ids }

    public var count: Int { cellIds.count }
    public var isEmpty: Bool { cellIds.isEmpty }

    /// Sorts, drops cells contained in others and merges complete sibling quadruples, repeatedly.
    public static func normalize(_ input: [S2CellId]) -> [S2CellId] {
        var ids = input.sorted()
        var out = 0
        for var id in ids {
            if out > 0 && ids[out - 1].contains(id) { continue }
            while out > 0 && id.contains(ids[out - 1]) { out -= 1 }
            while out >= 3 && areSiblings(ids[out - 3], ids[out - 2], ids[out - 1], id) {
                id = id.parent
                out -= 3
            }
            ids[out] = id
            out += 1
        }
        ids.removeSubrange(out...)
        return ids
    }
    /// XOR of the ids vanishes and all share the parent bits, and d is not a face cell.
    static func areSiblings(_ a: S2CellId, _ b: S2CellId, _ c: S2CellId, _ d: S2CellId) -> Bool {
        if (a.id ^ b.id ^ c.id) != d.id { return false }
        var mask = d.lsb << 1
        mask = ~(mask &+ (mask << 1))
        let idm = d.id & mask
        return (a.id & mask) == idm && (b.id & mask) == idm && (c.id & mask) == idm && !d.isFace
    }
    /// Replaces each cell by its descendants at the smallest level ≥ max(level, minLevel) with
    /// (level − minLevel) a multiple of levelMod.
    public static func denormalize(_ input: [S2CellId], minLevel: Int, levelMod: Int) -> [S2CellId] {
        var out: [S2CellId] = []
        out.reserveCapacity(input.count)
        for id in input {
            let level = id.level
            var newLevel = Swift.max(minLevel, level)
            if levelMod > 1 {
                newLevel += (S2CellId.maxLevel - (newLevel - minLevel)) % levelMod
                newLevel = Swift.min(S2CellId.maxLevel, newLevel)
            }
            if newLevel == level {
                out.append(id)
            } else {
                let end = id.childEnd(newLevel)
                var c = id.childBegin(newLevel)
                while c != end { out.append(c); c = c.next }
            }
        }
        return out
    }
    public func denormalized(minLevel: Int, levelMod: Int) -> [S2CellId] {
        S2CellUnion.denormalize(cellIds, minLevel: minLevel, levelMod: levelMod)
    }
    /// Number of cells `denormalized` would return, without building them.
    public func denormalizedCount(minLevel: Int, levelMod: Int) -> UInt64 {
        var total: UInt64 = 0
        for id in cellIds {
            let level = id.level
            var newLevel = Swift.max(minLevel, level)
            if levelMod > 1 {
                newLevel += (S2CellId.maxLevel - (newLevel - minLevel)) % levelMod
                newLevel = Swift.min(S2CellId.maxLevel, newLevel)
            }
            let add = UInt64(1) << UInt64(2 * (newLevel - level))
            total = total &+ add
            if total > UInt64(1) << 62 { return UInt64(1) << 62 }
        }
        return total
    }

    /// First index whose id is ≥ `id`.
    static func lowerBound(_ ids: [S2CellId], _ id: S2CellId, from: Int = 0) -> Int {
        var lo = from, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if ids[mid].id < id.id { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
    /// First index whose id is > `id`.
    static func upperBound(_ ids: [S2CellId], _ id: S2CellId) -> Int {
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if ids[mid].id <= id.id { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Exact: binary search for the neighbours of `id` along the curve.
    public func contains(_ id: S2CellId) -> Bool {
        let i = S2CellUnion.lowerBound(cellIds, id)
        if i < cellIds.count && cellIds[i].rangeMin.id <= id.id { return true }
        return i > 0 && cellIds[i - 1].rangeMax.id >= id.id
    }
    public func intersects(_ id: S2CellId) -> Bool {
        let i = S2CellUnion.lowerBound(cellIds, id)
        if i < cellIds.count && cellIds[i].rangeMin.id <= id.rangeMax.id { return true }
        return i > 0 && cellIds[i - 1].rangeMax.id >= id.rangeMin.id
    }
    public func contains(_ other: S2CellUnion) -> Bool { other.cellIds.allSatisfy { contains($0) } }
    public func intersects(_ other: S2CellUnion) -> Bool { other.cellIds.contains { intersects($0) } }

    public func union(_ other: S2CellUnion) -> S2CellUnion { S2CellUnion(cellIds + other.cellIds) }

    /// Sorted merge with binary-search skips (C++ `GetIntersection`).
    public func intersection(_ other: S2CellUnion) -> S2CellUnion {
        let x = cellIds, y = other.cellIds
        var out: [S2CellId] = []
        var i = 0, j = 0
        while i < x.count && j < y.count {
            let imin = x[i].rangeMin, jmin = y[j].rangeMin
            if imin.id > jmin.id {
                if x[i].id <= y[j].rangeMax.id { out.append(x[i]); i += 1 }
                else {
                    j = S2CellUnion.lowerBound(y, imin, from: j + 1)
                    if x[i].id <= y[j - 1].rangeMax.id { j -= 1 }
                }
            } else if jmin.id > imin.id {
                if y[j].id <= x[i].rangeMax.id { out.append(y[j]); j += 1 }
                else {
                    i = S2CellUnion.lowerBound(x, jmin, from: i + 1)
                    if y[j].id <= x[i - 1].rangeMax.id { i -= 1 }
                }
            } else {
                if x[i].id < y[j].id { out.append(x[i]); i += 1 } else { out.append(y[j]); j += 1 }
            }
        }
        return S2CellUnion(verbatim: out)
    }

    /// Cells of this union not in `other`, dividing a cell into children where they partly overlap.
    public func difference(_ other: S2CellUnion) -> S2CellUnion {
        var out: [S2CellId] = []
        func go(_ cell: S2CellId) {
            if !other.intersects(cell) { out.append(cell) }
            else if !other.contains(cell) {
                var c = cell.childBegin
                for _ in 0..<4 { go(c); c = c.next }
            }
        }
        for id in cellIds { go(id) }
        return S2CellUnion(verbatim: out)
    }

    /// Σ average area of each cell's level.
    public var averageBasedArea: Double { cellIds.reduce(0) { $0 + S2Cell.averageArea($1.level) } }
    public var approxArea: Double { cellIds.reduce(0) { $0 + S2Cell($1).approxArea } }
    public var exactArea: Double { cellIds.reduce(0) { $0 + S2Cell($1).exactArea } }
    /// Number of leaf cells covered.
    public var leafCellsCovered: UInt64 {
        cellIds.reduce(0) { $0 &+ (UInt64(1) << UInt64(2 * (S2CellId.maxLevel - $1.level))) }
    }

    // MARK: S2Region

    /// Cap around the area-weighted centroid, grown to hold every cell's cap bound.
    public var capBound: S2Cap {
        if cellIds.isEmpty { return .empty }
        var centroid = S2Point(0, 0, 0)
        for id in cellIds { centroid = centroid + S2Cell.averageArea(id.level) * id.point }
        if centroid == S2Point(0, 0, 0) { centroid = S2Point(1, 0, 0) } else { centroid = centroid.normalized }
        var cap = S2Cap(point: centroid)
        for id in cellIds { cap.addCap(S2Cell(id).capBound) }
        return cap
    }
    public func cellUnionBound() -> [S2CellId] { cellIds }
    public func contains(_ cell: S2Cell) -> Bool { contains(cell.id) }
    public func mayIntersect(_ cell: S2Cell) -> Bool { intersects(cell.id) }
    public func contains(_ p: S2Point) -> Bool { contains(S2CellId(p)) }
}
