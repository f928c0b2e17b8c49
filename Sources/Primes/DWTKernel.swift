import PrimesKernels
import PrimesKernelsAVX2
import PrimesKernelsAVX512

/// What `DWTMersenneArithmetic` needs of an IBDWT kernel. The baseline, AVX2 and AVX-512 builds of
/// `MersenneDWT` (the same source compiled three times, see Package.swift) all conform.
package protocol DWTKernel: AnyObject {
    associatedtype Buffer
    init(exponent: Int, length: Int, threads: Int)
    func makeBuffer() -> Buffer
    func square(_ x: Buffer, addend: Int64) -> Double
    func multiply(_ x: Buffer, by y: Buffer) -> Double
    func limbs(_ x: Buffer) -> [UInt64]
    func load(_ x: Buffer, limbs: [UInt64])
    func copy(_ x: Buffer, to y: Buffer)
}

extension PrimesKernels.MersenneDWT: DWTKernel {}
extension PrimesKernelsAVX2.MersenneDWT: DWTKernel {}
extension PrimesKernelsAVX512.MersenneDWT: DWTKernel {}

/// What `DecimalPower` needs of a decimal squaring kernel (both builds of `DecimalSquarer` conform).
package protocol DecimalKernel: AnyObject {
    init(length: Int)
    func square(_ digits: UnsafeBufferPointer<UInt16>, into result: UnsafeMutableBufferPointer<UInt16>) -> Double
}

extension PrimesKernels.DecimalSquarer: DecimalKernel {}
extension PrimesKernelsAVX2.DecimalSquarer: DecimalKernel {}
