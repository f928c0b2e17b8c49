/// Chou–Orlandi "simplest OT" on ristretto255, κ = 128 instances at once.
///
/// The base-OT sender (the OT-extension receiver) draws y and publishes S = y·B. The base-OT
/// receiver, with choice bits s_i, draws x_i and sends R_i = x_i·B + s_i·S, keeping
/// k_i = KDF(i, S, R_i, x_i·S). The sender derives k0_i = KDF(i, S, R_i, y·R_i) and
/// k1_i = KDF(i, S, R_i, y·(R_i − S)); then k_i = k_{s_i}: for s = 0, y·R = xy·B = x·S, and for
/// s = 1, y·(R − S) = xy·B. Every received point is checked to be a canonical, non-identity
/// encoding, and every scalar multiplication whose result is the identity aborts.
enum ChouOrlandiOT {
    static let count = 128

    /// The sender's secret and public point.
    struct Sender: Sendable {
        private(set) var secret: [UInt8]
        let point: [UInt8]

        init() throws(SimilarityError) {
            var y = Sodium.scalarRandom()
            guard let s = Sodium.baseMultiply(y) else {
                Sodium.wipe(&y)
                throw .crypto(field: "baseOT.S", message: "base multiplication failed")
            }
            secret = y
            point = s
        }

        /// (k0_i, k1_i) for the receiver's points R_i.
        func keys(points: [[UInt8]], domain: SessionDomain) throws(SimilarityError) -> (k0: [[UInt8]], k1: [[UInt8]]) {
            guard points.count == ChouOrlandiOT.count else {
                throw .malformedMessage(field: "baseOT.R", message: "expected \(ChouOrlandiOT.count) points")
            }
            var k0 = [[UInt8]](), k1 = [[UInt8]]()
            k0.reserveCapacity(points.count); k1.reserveCapacity(points.count)
            for (i, r) in points.enumerated() {
                try ChouOrlandiOT.validate(r, field: "baseOT.R[\(i)]")
                guard let a = Sodium.multiply(secret, r),
                      let diff = Sodium.subtract(r, point),
                      let b = Sodium.multiply(secret, diff) else {
                    throw .malformedMessage(field: "baseOT.R[\(i)]", message: "point gives an identity shared secret")
                }
                k0.append(domain.baseOTKey(index: i, s: point, r: r, shared: a))
                k1.append(domain.baseOTKey(index: i, s: point, r: r, shared: b))
            }
            return (k0, k1)
        }

        mutating func wipe() { Sodium.wipe(&secret) }
    }

    /// The receiver's points R_i and keys k_i for choice bits `choices` (128 of them) against the
    /// sender's point S. The branch on s_i is replaced by a constant-time byte selection.
    static func receive(
        senderPoint s: [UInt8], choices: [Bool], domain: SessionDomain
    ) throws(SimilarityError) -> (points: [[UInt8]], keys: [[UInt8]]) {
        precondition(choices.count == count)
        try validate(s, field: "baseOT.S")
        var points = [[UInt8]](), keys = [[UInt8]]()
        points.reserveCapacity(count); keys.reserveCapacity(count)
        for i in 0..<count {
            var x = Sodium.scalarRandom()
            defer { Sodium.wipe(&x) }
            guard let xb = Sodium.baseMultiply(x), let xbs = Sodium.add(xb, s), let shared = Sodium.multiply(x, s) else {
                throw .crypto(field: "baseOT.R[\(i)]", message: "scalar multiplication failed")
            }
            let mask: UInt8 = choices[i] ? 0xFF : 0x00
            var r = [UInt8](repeating: 0, count: Sodium.pointBytes)
            for b in 0..<Sodium.pointBytes { r[b] = (xb[b] & ~mask) | (xbs[b] & mask) }
            points.append(r)
            keys.append(domain.baseOTKey(index: i, s: s, r: r, shared: shared))
        }
        return (points, keys)
    }

    /// A received point must be a canonical ristretto255 encoding other than the identity.
    static func validate(_ p: [UInt8], field: String) throws(SimilarityError) {
        guard p.count == Sodium.pointBytes, Sodium.isValidPoint(p) else {
            throw .malformedMessage(field: field, message: "not a canonical ristretto255 point")
        }
        guard p.contains(where: { $0 != 0 }) else {
            throw .malformedMessage(field: field, message: "the identity point is not allowed")
        }
    }
}
