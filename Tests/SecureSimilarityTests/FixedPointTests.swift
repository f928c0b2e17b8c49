import Testing
@testable import SecureSimilarity

@Suite struct FixedPointTests {
    @Test func roundsTiesToEvenWithoutClipping() {
        let f = 8
        let ulp = 1.0 / 256
        #expect(FixedPoint.encode(1.5 * ulp, fractionBits: f) == 2)
        #expect(FixedPoint.encode(2.5 * ulp, fractionBits: f) == 2)
        #expect(FixedPoint.encode(-2.5 * ulp, fractionBits: f) == -2)
        #expect(FixedPoint.encode(-3.5 * ulp, fractionBits: f) == -4)
        #expect(FixedPoint.encode(-0.75, fractionBits: 16) == -49152)
        #expect(FixedPoint.encode(1.0, fractionBits: 30) == 1 << 30)
        #expect(FixedPoint.encode(-1.0, fractionBits: 30) == -(1 << 30))
        // coordinates of a slightly-too-long vector are clamped to [−1, 1]
        #expect(FixedPoint.encode(1.0004, fractionBits: 16) == 1 << 16)
    }

    @Test func encodesSignedVectors() throws {
        let x = try FixedPoint.encode(vector: [0.6, -0.8], fractionBits: 16, field: "v")
        #expect(x == [39322, -52429])
        #expect(FixedPoint.innerProduct(x, x) == 39322 * 39322 + 52429 * 52429)
        #expect(abs(FixedPoint.decode(FixedPoint.innerProduct(x, x), fractionBits: 16) - 1) < 1e-4)
    }

    @Test func validatesInput() {
        #expect(throws: SimilarityError.invalidInput(field: "v[1]", message: "coordinate is not a finite number")) {
            try FixedPoint.encode(vector: [1, .nan], fractionBits: 16, field: "v")
        }
        #expect { try FixedPoint.encode(vector: [0.5, 0.5], fractionBits: 16, field: "v") } throws: {
            ($0 as? SimilarityError)?.field == "v"
        }
        #expect { try FixedPoint.encode(vector: [1, 0], fractionBits: 16, dimension: 3, field: "v") } throws: {
            ($0 as? SimilarityError)?.field == "v"
        }
        #expect { try FixedPoint.encode(vector: [1], fractionBits: 7, field: "v") } throws: {
            ($0 as? SimilarityError)?.field == "fractionBits"
        }
        #expect { try FixedPoint.encode(vector: [1], fractionBits: 31, field: "v") } throws: {
            ($0 as? SimilarityError)?.field == "fractionBits"
        }
        #expect { try FixedPoint.encode(vector: [], fractionBits: 16, field: "v") } throws: { _ in true }
        #expect { try SimilarityParameters(dimension: 0) } throws: { ($0 as? SimilarityError)?.field == "dimension" }
        #expect { try SimilarityParameters(dimension: 4, context: [UInt8](repeating: 1, count: 65)) } throws: {
            ($0 as? SimilarityError)?.field == "context"
        }
    }

    @Test func signExtension() {
        #expect(FixedPoint.signExtend(0b111, bits: 3) == -1)
        #expect(FixedPoint.signExtend(0b011, bits: 3) == 3)
        #expect(FixedPoint.signExtend((1 << 35) - 5, bits: 35) == -5)
        #expect(FixedPoint.signExtend(UInt64(bitPattern: -7), bits: 64) == -7)
    }

    @Test func sessionIDHexRoundTrip() throws {
        let id = SessionID.random()
        #expect(try SessionID(hex: id.hex) == id)
        #expect(try SessionID(hex: id.hex.uppercased()) == id)
        #expect(throws: SimilarityError.self) { try SessionID(hex: "zz") }
        #expect(throws: SimilarityError.self) { try SessionID(bytes: [1, 2, 3]) }
    }
}

/// The encoding's accuracy against the notes' table (§5): the error of Σ round(a·2^f)·round(b·2^f)
/// / 2^(2f) has standard deviation ≈ 0.408·2^−f for unit vectors, so its mean absolute value is
/// ≈ 0.326·2^−f (Gaussian: √(2/π)·σ). The secure protocol reproduces these values bit for bit
/// (ProtocolExactnessTests), so this is also the protocol's accuracy.
@Suite struct FixedPointAccuracyTests {
    @Test(arguments: [12, 16, 20])
    func errorMatchesTheory(_ f: Int) {
        var rng = SplitMix64(seed: UInt64(f))
        let n = 384, pairs = 600
        var sumAbs = 0.0, maxAbs = 0.0
        for _ in 0..<pairs {
            let a = TestData.unitVectors(1, n, &rng)[0]
            let b = TestData.correlated(to: [a], noise: 0.05, &rng)[0]
            let z = FixedPoint.innerProduct(a.map { FixedPoint.encode($0, fractionBits: f) },
                                            b.map { FixedPoint.encode($0, fractionBits: f) })
            let err = abs(FixedPoint.decode(z, fractionBits: f) - TestData.cosine(a, b))
            sumAbs += err
            maxAbs = max(maxAbs, err)
        }
        let sigma = 0.408 / Double(1 << f)
        let mean = sumAbs / Double(pairs)
        #expect(mean > 0.6 * 0.798 * sigma && mean < 1.4 * 0.798 * sigma)
        #expect(maxAbs < 6 * sigma)
        if f == 16 { #expect(maxAbs < 1e-4) }
    }
}
