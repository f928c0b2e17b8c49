/// `MersenneArithmetic` with GMP: exact, faster than the IBDWT below a few thousand bits.
final class GMPMersenneArithmetic: MersenneArithmetic {
    let exponent: Int
    let length = 0
    let name = "gmp"
    private let modulus: BigInt
    private var slots: [BigInt]
    private let scratch = BigInt(), high = BigInt()

    init(exponent: Int, slots count: Int) {
        self.exponent = exponent
        modulus = BigInt.mersenne(UInt64(exponent))
        slots = (0..<count).map { _ in BigInt() }
    }

    func load(_ slot: Int, limbs: [UInt64]) {
        slots[slot].set(BigInt(limbs: limbs))
        slots[slot].reduce(modulo: modulus)
    }

    func limbs(_ slot: Int) -> [UInt64] {
        let x = slots[slot]
        if x.compare(modulus) == 0 { x.set(0) }
        return x.limbs(count: (exponent + 63) / 64)
    }

    func copy(_ slot: Int, to destination: Int) { slots[destination].set(slots[slot]) }

    func square(_ slot: Int, addend: Int64) -> Double {
        slots[slot].mersenneSquare(p: UInt64(exponent), modulus: modulus, addend: addend, square: scratch, high: high)
        return 0
    }

    func multiply(_ slot: Int, by other: Int) -> Double {
        slots[slot].mersenneMultiply(by: slots[other], p: UInt64(exponent), modulus: modulus, product: scratch, high: high)
        return 0
    }
}
