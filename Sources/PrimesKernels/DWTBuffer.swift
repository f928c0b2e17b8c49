/// One residue modulo 2^p − 1 in the weighted, balanced-digit form that `MersenneDWT` squares: the
/// real words in two 64-byte aligned arrays of `count` doubles (even words in `re`, odd words in `im`,
/// the packing of a real signal into a complex one of half the length).
///
/// Owned by one computation at a time (not `Sendable`); `MersenneDWT` reads and writes it.
package final class DWTBuffer {
    package let count: Int
    package let re: UnsafeMutablePointer<Double>
    package let im: UnsafeMutablePointer<Double>

    package init(count: Int) {
        self.count = count
        re = ComplexFFT.allocate(count)
        im = ComplexFFT.allocate(count)
    }

    deinit {
        re.deallocate()
        im.deallocate()
    }

    /// Makes this buffer a copy of `other` (same length).
    package func copy(from other: DWTBuffer) {
        precondition(other.count == count)
        re.update(from: other.re, count: count)
        im.update(from: other.im, count: count)
    }
}
