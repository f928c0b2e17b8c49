import Foundation
@testable import SecureSimilarity

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum TestData {
    /// Standard normal by Box–Muller.
    static func gaussian(_ rng: inout SplitMix64) -> Double {
        let u1 = max(Double.leastNonzeroMagnitude, Double(rng.next() >> 11) / 9007199254740992.0)
        let u2 = Double(rng.next() >> 11) / 9007199254740992.0
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    static func normalised(_ v: [Double]) -> [Double] {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }

    /// `count` random unit vectors of dimension n (zero-mean Gaussian directions).
    static func unitVectors(_ count: Int, _ n: Int, _ rng: inout SplitMix64) -> [[Double]] {
        (0..<count).map { _ in
            var v = (0..<n).map { _ in gaussian(&rng) }
            if n == 1 { v = [v[0] < 0 ? -1 : 1] }
            return normalised(v)
        }
    }

    /// Vectors correlated with `base` (noise of weight `noise`), renormalised.
    static func correlated(to base: [[Double]], noise: Double, _ rng: inout SplitMix64) -> [[Double]] {
        base.map { b in normalised(b.map { $0 + noise * gaussian(&rng) }) }
    }

    /// Plaintext oracle computed independently of the engine: Σ round(a·2^f)·round(b·2^f) with
    /// Foundation's rounding (ties to even) in exact Int64 arithmetic.
    static func plaintext(_ a: [[Double]], _ b: [[Double]], f: Int) -> [[Int64]] {
        let scale = Double(1 << f)
        func enc(_ x: Double) -> Int64 { Int64((min(1, max(-1, x)) * scale).rounded(.toNearestOrEven)) }
        return a.map { ai in b.map { bj in
            var s: Int64 = 0
            for k in ai.indices { s += enc(ai[k]) * enc(bj[k]) }
            return s
        } }
    }

    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for k in a.indices { s += a[k] * b[k] }
        return s
    }

    /// Runs a whole session in process; returns both parties and the messages.
    static func session(
        _ a: [[Double]], _ b: [[Double]], f: Int, ring: RingMode = .compact, context: [UInt8] = [],
        limits: SimilarityLimits = .standard
    ) throws -> (initiator: SimilarityParty, responder: SimilarityParty, messages: [(SimilaritySession.Direction, [UInt8])]) {
        let n = a[0].count
        let params = try SimilarityParameters(dimension: n, fractionBits: f, ring: ring, context: context)
        let sid = SessionID.random()
        var i = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params, vectors: a, limits: limits)
        var r = try SimilarityParty(role: .responder, sessionID: sid, parameters: params, vectors: b, limits: limits)
        var log: [(SimilaritySession.Direction, [UInt8])] = []
        try SimilaritySession.runInProcess(initiator: &i, responder: &r) { log.append(($0, $1)) }
        return (i, r, log)
    }

    /// An initiator with p and a responder with q random unit vectors of dimension n (drawn in that order from
    /// `seed`), on one session id; `responderParameters` makes the responder disagree.
    static func parties(
        p: Int = 2, q: Int = 1, n: Int = 16, f: Int = 16, ring: RingMode = .compact, context: [UInt8] = [],
        responderParameters: SimilarityParameters? = nil, limits: SimilarityLimits = .standard, seed: UInt64 = 1
    ) throws -> (SimilarityParty, SimilarityParty, [[Double]], [[Double]]) {
        var rng = SplitMix64(seed: seed)
        let a = TestData.unitVectors(p, n, &rng), b = TestData.unitVectors(q, n, &rng)
        let params = try SimilarityParameters(dimension: n, fractionBits: f, ring: ring, context: context)
        let sid = SessionID.random()
        let i = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params, vectors: a, limits: limits)
        let r = try SimilarityParty(role: .responder, sessionID: sid, parameters: responderParameters ?? params,
                                    vectors: b, limits: limits)
        return (i, r, a, b)
    }
}
