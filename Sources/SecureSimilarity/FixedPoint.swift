/// Signed fixed-point encoding of unit-vector coordinates in the ring Z_2^64.
///
/// A coordinate a ∈ [−1, 1] becomes x = round(a·2^f) (ties to even) as a two's-complement
/// integer; |x| ≤ 2^f. An inner product of two encoded unit vectors is z = Σ_k x_k·y_k with
/// |z| ≤ (2^f + √n/2)² < 2^(2f+1) for n ≤ 8192 and f ≥ 8, so it fits the signed ring (and
/// even the compact ring of 2f+3 bits), and decodes to z / 2^(2f). Nothing is clipped to
/// [0, 1]: negative coordinates keep their sign.
///
/// ```swift
/// let x = try FixedPoint.encode(vector: [0.6, -0.8], fractionBits: 16, field: "vectors[0]")
/// // x == [39322, -52429]
/// ```
public enum FixedPoint {
    /// Allowed fraction bits f.
    public static let fractionBitsRange: ClosedRange<Int> = 8...30
    /// Default fraction bits.
    public static let defaultFractionBits = 16
    /// Largest accepted |‖v‖₂ − 1| of an input vector.
    public static let normTolerance = 1e-3

    /// x = round(clamp(a, −1, 1)·2^f), ties to even. The product a·2^f is exact in binary
    /// floating point, so the rounding is the only approximation. `a` must be finite.
    public static func encode(_ a: Double, fractionBits f: Int) -> Int64 {
        precondition(a.isFinite && fractionBitsRange.contains(f))
        let c = min(1.0, max(-1.0, a))
        let scaled = (c * Double(1 << f)).rounded(.toNearestOrEven)
        return Int64(scaled)
    }

    /// Validates and encodes one vector: `dimension` finite coordinates whose Euclidean norm is
    /// within `normTolerance` of 1. Errors name `field` (e.g. `"vectors[2]"`) and the coordinate.
    public static func encode(
        vector v: [Double], fractionBits f: Int, dimension: Int? = nil, field: String
    ) throws(SimilarityError) -> [Int64] {
        guard fractionBitsRange.contains(f) else {
            throw .invalidInput(field: "fractionBits", message: "fraction bits must be in 8...30, got \(f)")
        }
        guard !v.isEmpty else { throw .invalidInput(field: field, message: "vector is empty") }
        if let n = dimension, v.count != n {
            throw .invalidInput(field: field, message: "vector has \(v.count) coordinates, expected \(n)")
        }
        var sumSquares = 0.0
        for (k, a) in v.enumerated() {
            guard a.isFinite else {
                throw .invalidInput(field: "\(field)[\(k)]", message: "coordinate is not a finite number")
            }
            sumSquares += a * a
        }
        let norm = sumSquares.squareRoot()
        guard abs(norm - 1) <= normTolerance else {
            throw .invalidInput(
                field: field,
                message: "vector must be unit length (|‖v‖ − 1| ≤ \(normTolerance)); its norm is \(norm)")
        }
        return v.map { encode($0, fractionBits: f) }
    }

    /// z = Σ_k x_k·y_k in Z_2^64 (wrapping), as a signed integer: the plaintext oracle of the
    /// secure protocol, which must reproduce it bit for bit.
    public static func innerProduct(_ x: [Int64], _ y: [Int64]) -> Int64 {
        precondition(x.count == y.count)
        var z: Int64 = 0
        for k in 0..<x.count { z = z &+ x[k] &* y[k] }
        return z
    }

    /// cos ≈ z / 2^(2f).
    public static func decode(_ z: Int64, fractionBits f: Int) -> Double {
        Double(z) / Double(sign: .plus, exponent: 2 * f, significand: 1)
    }

    /// Sign-extends the low `bits` bits of `v` (two's complement) to a 64-bit signed integer.
    static func signExtend(_ v: UInt64, bits: Int) -> Int64 {
        if bits >= 64 { return Int64(bitPattern: v) }
        let shift = UInt64(64 - bits)
        return Int64(bitPattern: v << shift) >> Int64(shift)
    }
}
