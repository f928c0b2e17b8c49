import Foundation

/// Approximates a region by cells (C++ `S2RegionCoverer`), reproducing the reference algorithm
/// step by step — including libstdc++'s binary-heap tie order — so that coverings are identical.
///
/// ```swift
/// let coverer = S2RegionCoverer(options: .init(minLevel: 8, maxLevel: 15, maxCells: 500))
/// let cells = try coverer.covering(S2LatLngRect(lo: lo, hi: hi))
/// ```
public struct S2RegionCoverer: Sendable {
    /// Covering parameters, clamped like the C++ setters (levels to 0…30, levelMod to 1…3).
    public struct Options: Sendable, Hashable {
        public var minLevel: Int { didSet { minLevel = Swift.max(0, Swift.min(30, minLevel)) } }
        public var maxLevel: Int { didSet { maxLevel = Swift.max(0, Swift.min(30, maxLevel)) } }
        public var levelMod: Int { didSet { levelMod = Swift.max(1, Swift.min(3, levelMod)) } }
        public var maxCells: Int
        public init(minLevel: Int = 0, maxLevel: Int = 30, levelMod: Int = 1, maxCells: Int = 8) {
            self.minLevel = Swift.max(0, Swift.min(30, minLevel))
            self.maxLevel = Swift.max(0, Swift.min(30, maxLevel))
            self.levelMod = Swift.max(1, Swift.min(3, levelMod))
            self.maxCells = maxCells
        }
        /// maxLevel rounded down so that (maxLevel − minLevel) is a multiple of levelMod.
        public var trueMaxLevel: Int {
            if levelMod == 1 { return maxLevel }
            return maxLevel - (maxLevel - minLevel) % levelMod
        }
    }

    public var options: Options
    /// Upper bound on candidate cells examined; exceeding it throws `S2Error.budgetExceeded`.
    public var maxCandidates: Int
    /// Admission of large coverings shared by concurrent computations (nil: unlimited). A covering that
    /// creates `admission.largeCandidates` candidates must hold one of its places to go on, else it stops
    /// with `S2Error.busy`.
    public var admission: S2CoveringAdmission?

    public init(options: Options = Options(), maxCandidates: Int = Int.max, admission: S2CoveringAdmission? = nil) {
        self.options = options
        self.maxCandidates = maxCandidates
        self.admission = admission
    }

    /// Cells covering the region, normalised and sorted by id.
    public func covering(_ region: some S2Region, isCancelled: () -> Bool = { false }) throws -> [S2CellId] {
        try dispatch(region, interior: false, isCancelled)
    }
    /// Cells contained in the region (at most maxCells before normalisation).
    public func interiorCovering(_ region: some S2Region, isCancelled: () -> Bool = { false }) throws -> [S2CellId] {
        try dispatch(region, interior: true, isCancelled)
    }

    /// Routes the known region types to specialised copies of the algorithm.
    func dispatch(_ region: some S2Region, interior: Bool, _ isCancelled: () -> Bool) throws -> [S2CellId] {
        if let r = region as? S2LatLngRect { return try compute(r, interior: interior, isCancelled) }
        if let r = region as? S2Cap { return try compute(r, interior: interior, isCancelled) }
        if let r = region as? S2Polygon { return try compute(r, interior: interior, isCancelled) }
        if let r = region as? S2CellUnion { return try compute(r, interior: interior, isCancelled) }
        return try compute(region, interior: interior, isCancelled)
    }

    func compute<R: S2Region>(_ region: R, interior: Bool, _ isCancelled: () -> Bool) throws -> [S2CellId] {
        try withoutActuallyEscaping(isCancelled) { cancel in
            var run = Run(options: options, region: region, interior: interior, budget: maxCandidates, isCancelled: cancel,
                          pass: admission.map(S2CoveringAdmission.Pass.init))
            try run.coveringInternal()
            // Canonicalising needs no candidate: give the pool back before it copies the result.
            run.pool = []
            let result = run.result
            run.result = []
            return try run.canonicalize(result)
        }
    }
    /// The region's cell-union bound, canonicalised (C++ `GetFastCovering`).
    public func fastCovering(_ region: some S2Region) throws -> [S2CellId] {
        var run = Run(options: options, region: region, interior: false, budget: maxCandidates, isCancelled: { false })
        return try run.canonicalize(region.cellUnionBound())
    }

    /// Reduces level to the next lower one satisfying levelMod above minLevel.
    static func adjustLevel(_ level: Int, _ o: Options) -> Int {
        if o.levelMod > 1 && level > o.minLevel { return level - (level - o.minLevel) % o.levelMod }
        return level
    }

    /// A candidate cell, 16 bytes: its id (the `S2Cell` with its (u, v) bounds is rebuilt from the id
    /// when the candidate is expanded, which gives the same bounds bit for bit and keeps the pool at a
    /// third of the size); its children occupy `childCount` (at most 64) consecutive slots of the node
    /// pool from `childStart` (children of one candidate are always created together).
    struct Node {
        var id: S2CellId
        var childStart: Int32 = 0
        var childCount: UInt8 = 0
        var isTerminal: Bool
        init(id: S2CellId, isTerminal: Bool) { self.id = id; self.isTerminal = isTerminal }
    }

    /// Pools of at most this many nodes are reserved whole once they pass `poolReserveStart` nodes.
    static let poolReserveMax = 1 << 23
    /// Below this many nodes the pool grows by doubling (a small covering touches a few pages only).
    static let poolReserveStart = 1 << 16

    /// One covering computation: the state of C++ `GetCoveringInternal`.
    struct Run<R: S2Region> {
        let options: Options
        let region: R
        let interior: Bool
        let budget: Int
        let isCancelled: () -> Bool
        var result: [S2CellId] = []
        /// Binary max-heap on priority, operated exactly like std::push_heap / std::pop_heap.
        var heap: [(priority: Int32, node: Int32)] = []
        var pool: [Node] = []
        var created = 0
        /// The deepest level of a candidate created so far.
        var deepest = 0
        /// The computation's admission (shared with the runs it starts), nil when unlimited.
        let pass: S2CoveringAdmission.Pass?

        init(options: Options, region: R, interior: Bool, budget: Int, isCancelled: @escaping () -> Bool,
             pass: S2CoveringAdmission.Pass? = nil) {
            self.options = options; self.region = region; self.interior = interior
            self.budget = budget; self.isCancelled = isCancelled; self.pass = pass
            pool.reserveCapacity(64)
            heap.reserveCapacity(32)
            result.reserveCapacity(Swift.min(options.maxCells, 1024) + 8)
        }

        var maxChildrenShift: Int { 2 * options.levelMod }

        /// The parameter that bounds the work when the budget runs out: minLevel while no candidate is
        /// deeper than minLevel (the coverer is still creating the cells of minLevel), then maxLevel for
        /// an interior covering (boundary cells are refined down to maxLevel until maxCells fit inside)
        /// and maxCells for a covering.
        var budgetField: String {
            if options.minLevel > 0 && deepest <= options.minLevel { return "minLevel" }
            return interior ? "maxLevel" : "maxCells"
        }

        /// Appends a node for `cell` unless the region misses it; returns its index.
        mutating func newCandidate(_ cell: S2Cell) throws -> Int32? {
            if !region.mayIntersect(cell) { return nil }
            created += 1
            if cell.level > deepest { deepest = cell.level }
            if created > budget { throw S2Error.budgetExceeded(field: budgetField, limit: budget) }
            if (created & 1023) == 0 {
                if isCancelled() { throw S2Error.cancelled }
                if let pass, created >= pass.admission.largeCandidates { try pass.enter() }
            }
            var isTerminal = false
            if cell.level >= options.minLevel {
                if interior {
                    if region.contains(cell) { isTerminal = true }
                    else if cell.level + options.levelMod > options.maxLevel { return nil }
                } else {
                    if cell.level + options.levelMod > options.maxLevel || region.contains(cell) { isTerminal = true }
                }
            }
            // The pool doubles while small; past poolReserveStart nodes it is reserved to the budget at
            // once (address space: pages become resident as candidates fill them), so a large covering
            // never holds an old and a new copy of a large pool. It never grows past the budget.
            if pool.count == pool.capacity {
                let budgetCap = Swift.min(budget, S2RegionCoverer.poolReserveMax)
                let next = pool.capacity < S2RegionCoverer.poolReserveStart || budgetCap <= pool.capacity
                    ? 2 * pool.capacity : budgetCap
                pool.reserveCapacity(Swift.max(pool.count + 1, Swift.min(next, budget)))
            }
            pool.append(Node(id: cell.id, isTerminal: isTerminal))
            return Int32(pool.count - 1)
        }

        /// Creates the candidates `levels` levels below `cell` (C++ `ExpandChildren`), appending them to
        /// the pool; returns how many are terminal.
        mutating func expandChildren(_ cell: S2Cell, _ levels: Int, _ count: inout Int32) throws -> Int {
            let numLevels = levels - 1
            var numTerminals = 0
            try cell.forEachChild { child in
                if numLevels > 0 {
                    if region.mayIntersect(child) {
                        numTerminals += try expandChildren(child, numLevels, &count)
                    }
                    return
                }
                if let c = try newCandidate(child) {
                    count += 1
                    if pool[Int(c)].isTerminal { numTerminals += 1 }
                }
            }
            return numTerminals
        }

        mutating func addCandidate(_ candidate: Int32?) throws {
            guard let ci = candidate else { return }
            let c = Int(ci)
            if pool[c].isTerminal { result.append(pool[c].id); return }
            let cell = S2Cell(pool[c].id)
            let numLevels = cell.level < options.minLevel ? 1 : options.levelMod
            let start = Int32(pool.count)
            var count: Int32 = 0
            let numTerminals = try expandChildren(cell, numLevels, &count)
            pool[c].childStart = start
            pool[c].childCount = UInt8(count)
            if count == 0 {
                return
            } else if !interior && numTerminals == 1 << maxChildrenShift && cell.level >= options.minLevel {
                pool[c].isTerminal = true
                try addCandidate(ci)
            } else {
                // At most -((30·64 + 64)·64 + 64): an Int32.
                let priority = -((((cell.level << maxChildrenShift) + Int(count)) << maxChildrenShift) + numTerminals)
                push(Int32(priority), ci)
            }
        }

        // libstdc++ __push_heap with comparator "a.priority < b.priority".
        mutating func push(_ priority: Int32, _ c: Int32) {
            heap.append((priority, c))
            siftUp(heap.count - 1, 0, (priority, c))
        }
        mutating func siftUp(_ hole: Int, _ top: Int, _ value: (priority: Int32, node: Int32)) {
            var holeIndex = hole
            var parent = (holeIndex - 1) / 2
            while holeIndex > top && heap[parent].priority < value.priority {
                heap[holeIndex] = heap[parent]
                holeIndex = parent
                parent = (holeIndex - 1) / 2
            }
            heap[holeIndex] = value
        }
        // libstdc++ pop_heap (+ pop_back): move the last element into the hole left by the top.
        mutating func pop() -> Int32 {
            let top = heap[0].node
            let len = heap.count - 1
            if len > 0 {
                let value = heap[len]
                heap[len] = heap[0]
                // __adjust_heap(first, 0, len, value)
                var holeIndex = 0
                var second = 0
                while second < (len - 1) / 2 {
                    second = 2 * (second + 1)
                    if heap[second].priority < heap[second - 1].priority { second -= 1 }
                    heap[holeIndex] = heap[second]
                    holeIndex = second
                }
                if (len & 1) == 0 && second == (len - 2) / 2 {
                    second = 2 * (second + 1)
                    heap[holeIndex] = heap[second - 1]
                    holeIndex = second - 1
                }
                siftUp(holeIndex, 0, value)
            }
            heap.removeLast()
            return top
        }

        mutating func initialCandidates() throws {
            var tmp = Options(minLevel: 0, maxLevel: options.maxLevel, levelMod: 1, maxCells: Swift.min(4, options.maxCells))
            tmp.maxLevel = options.maxLevel
            var tmpRun = Run(options: tmp, region: region, interior: false, budget: budget, isCancelled: isCancelled, pass: pass)
            var cells = try tmpRun.canonicalize(region.cellUnionBound())
            adjustCellLevels(&cells)
            for id in cells { try addCandidate(try newCandidate(S2Cell(id))) }
        }

        func adjustCellLevels(_ cells: inout [S2CellId]) {
            if options.levelMod == 1 { return }
            var out = 0
            for var id in cells {
                let level = id.level
                let newLevel = S2RegionCoverer.adjustLevel(level, options)
                if newLevel != level { id = id.parent(newLevel) }
                if out > 0 && cells[out - 1].contains(id) { continue }
                while out > 0 && id.contains(cells[out - 1]) { out -= 1 }
                cells[out] = id
                out += 1
            }
            cells.removeSubrange(out...)
        }

        mutating func coveringInternal() throws {
            try initialCandidates()
            while !heap.isEmpty && (!interior || result.count < options.maxCells) {
                let ci = pop()
                let node = pool[Int(ci)]
                let n = Int(node.childCount)
                if interior || node.id.level < options.minLevel || n == 1 ||
                    result.count + heap.count + n <= options.maxCells {
                    for k in 0..<n {
                        if interior && result.count >= options.maxCells { continue }
                        try addCandidate(node.childStart + Int32(k))
                    }
                } else {
                    pool[Int(ci)].isTerminal = true
                    try addCandidate(ci)
                }
            }
            heap.removeAll()
        }

        /// C++ `IsCanonical`: levels allowed, sorted, disjoint, no mergeable sibling groups,
        /// and (when over maxCells) no adjacent pair with a common ancestor at ≥ minLevel.
        func isCanonical(_ covering: [S2CellId]) -> Bool {
            let minLevel = options.minLevel, maxLevel = options.trueMaxLevel, levelMod = options.levelMod
            let tooMany = covering.count > options.maxCells
            var sameParentCount = 1
            var prev = S2CellId.none
            for id in covering {
                if !id.isValid { return false }
                let level = id.level
                if level < minLevel || level > maxLevel { return false }
                if levelMod > 1 && (level - minLevel) % levelMod != 0 { return false }
                if prev != .none {
                    if prev.rangeMax.id >= id.rangeMin.id { return false }
                    if tooMany && id.commonAncestorLevel(prev) >= minLevel { return false }
                    let plevel = level - levelMod
                    if plevel < minLevel || level != prev.level || id.parent(plevel) != prev.parent(plevel) {
                        sameParentCount = 1
                    } else {
                        sameParentCount += 1
                        if sameParentCount == 1 << (2 * levelMod) { return false }
                    }
                }
                prev = id
            }
            return true
        }

        /// C++ `CanonicalizeCovering`: clip levels, normalise, denormalise to minLevel/levelMod, then
        /// merge adjacent cells into common ancestors until at most maxCells remain.
        mutating func canonicalize(_ input: [S2CellId]) throws -> [S2CellId] {
            var covering = input
            if options.maxLevel < S2CellId.maxLevel || options.levelMod > 1 {
                for k in covering.indices {
                    let level = covering[k].level
                    let newLevel = S2RegionCoverer.adjustLevel(Swift.min(level, options.maxLevel), options)
                    if newLevel != level { covering[k] = covering[k].parent(newLevel) }
                }
            }
            covering = S2CellUnion.normalize(covering)
            if options.minLevel > 0 || options.levelMod > 1 {
                let u = S2CellUnion(verbatim: covering)
                let n = u.denormalizedCount(minLevel: options.minLevel, levelMod: options.levelMod)
                if n > UInt64(budget) { throw S2Error.budgetExceeded(field: "minLevel", limit: budget) }
                covering = u.denormalized(minLevel: options.minLevel, levelMod: options.levelMod)
            }
            let excess = covering.count - options.maxCells
            if excess <= 0 || isCanonical(covering) { return covering }
            if excess * covering.count > 10000 {
                var sub = Run<S2CellUnion>(options: options, region: S2CellUnion(covering), interior: false,
                                           budget: budget, isCancelled: isCancelled, pass: pass)
                try sub.coveringInternal()
                return try sub.canonicalize(sub.result)
            }
            while covering.count > options.maxCells {
                var bestIndex = -1, bestLevel = -1
                var i = 0
                while i + 1 < covering.count {
                    var level = covering[i].commonAncestorLevel(covering[i + 1])
                    level = S2RegionCoverer.adjustLevel(level, options)
                    if level > bestLevel { bestLevel = level; bestIndex = i }
                    i += 1
                }
                if bestLevel < options.minLevel { break }
                var id = covering[bestIndex].parent(bestLevel)
                replaceCellsWithAncestor(&covering, id)
                while bestLevel > options.minLevel {
                    bestLevel -= options.levelMod
                    id = id.parent(bestLevel)
                    if !containsAllChildren(covering, id) { break }
                    replaceCellsWithAncestor(&covering, id)
                }
            }
            return covering
        }

        func replaceCellsWithAncestor(_ covering: inout [S2CellId], _ id: S2CellId) {
            let begin = S2CellUnion.lowerBound(covering, id.rangeMin)
            let end = S2CellUnion.upperBound(covering, id.rangeMax)
            covering.removeSubrange((begin + 1)..<end)
            covering[begin] = id
        }
        func containsAllChildren(_ covering: [S2CellId], _ id: S2CellId) -> Bool {
            var it = S2CellUnion.lowerBound(covering, id.rangeMin)
            let level = id.level + options.levelMod
            var child = id.childBegin(level)
            let end = id.childEnd(level)
            while child != end {
                if it == covering.count || covering[it] != child { return false }
                it += 1
                child = child.next
            }
            return true
        }
    }
}
