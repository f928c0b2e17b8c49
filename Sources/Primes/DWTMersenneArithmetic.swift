/// `MersenneArithmetic` by an IBDWT kernel of one length.
final class DWTMersenneArithmetic<Kernel: DWTKernel>: MersenneArithmetic {
    let exponent: Int
    let length: Int
    let name: String
    private let kernel: Kernel
    private let slots: [Kernel.Buffer]

    init(exponent: Int, length: Int, threads: Int, slots count: Int, name: String) {
        self.exponent = exponent
        self.length = length
        self.name = "\(name) \(length)" + (threads > 1 ? " ×\(threads) threads" : "")
        let kernel = Kernel(exponent: exponent, length: length, threads: threads)
        self.kernel = kernel
        slots = (0..<count).map { _ in kernel.makeBuffer() }
    }

    func load(_ slot: Int, limbs: [UInt64]) { kernel.load(slots[slot], limbs: limbs) }
    func limbs(_ slot: Int) -> [UInt64] { kernel.limbs(slots[slot]) }
    func copy(_ slot: Int, to destination: Int) { kernel.copy(slots[slot], to: slots[destination]) }
    func square(_ slot: Int, addend: Int64) -> Double { kernel.square(slots[slot], addend: addend) }
    func multiply(_ slot: Int, by other: Int) -> Double { kernel.multiply(slots[slot], by: slots[other]) }
}
