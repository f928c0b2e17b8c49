import Foundation
import HostCPU
import PrimesKernels
import PrimesKernelsAVX2
import PrimesKernelsAVX512

/// Chooses the arithmetic for a Lucas–Lehmer or PRP run of 2^p − 1: GMP for small p, else the IBDWT at
/// the shortest safe length, with the AVX-512 or AVX2 + FMA build of the kernel when the CPU has those.
package enum MersenneEngine {
    enum Kind: Sendable, Equatable {
        /// GMP below `dwtThreshold`, the fastest IBDWT kernel above.
        case automatic
        case gmp
        /// The IBDWT, fastest kernel the CPU runs.
        case dwt
        /// The IBDWT, x86-64 baseline kernel (tests use it and the next to cover every build).
        case dwtBaseline
        /// The IBDWT, AVX2 + FMA kernel when the CPU has those (else the baseline one).
        case dwtAVX2
    }

    /// Below this exponent one GMP squaring is faster than one IBDWT squaring (Benchmarks/primes measures
    /// both: at p = 2203 GMP is ahead, from p ≈ 3000 the IBDWT).
    static let dwtThreshold = 3000

    /// Longest IBDWT length used (2^22 words: p up to about 75 million).
    static let maxLength = 1 << 22

    /// Whether this CPU (and OS: XCR0 saves the YMM registers) runs the AVX2 + FMA kernel (built for haswell).
    /// cpuid + XCR0 (HostCPU), shared with the transformer kernels.
    package static let avx2Available = CPUFeatures.current.avx2

    /// Whether this CPU (and OS: XCR0 saves the opmask and ZMM registers) runs the AVX-512 kernel (built for
    /// skylake-avx512).
    package static let avx512Available = CPUFeatures.current.avx512

    /// Largest average bits per word at IBDWT length n: the GpuOwl/PRPLL rule of thumb
    /// 19.0766 − 0.279·log2(n/2^20) (about 23 at 32 words, 21.3 at 4K, 20.2 at 64K, 19.1 at 1M) less a
    /// margin of 0.2 bits. Measured round-off at the chosen lengths stays below about 0.3 (Benchmarks/primes
    /// prints it); the per-iteration check catches the rest.
    static func maxBitsPerWord(_ n: Int) -> Double {
        19.0766 - 0.279 * log2(Double(n) / Double(1 << 20)) - 0.2
    }

    /// The shortest power-of-two length (≥ 32) whose bits per word p/n is within `maxBitsPerWord`.
    package static func length(for p: Int) -> Int {
        var n = 32
        while n < maxLength && Double(p) / Double(n) > maxBitsPerWord(n) { n *= 2 }
        return n
    }

    /// From this IBDWT length on, two threads share each squaring when this process may use two cores or more
    /// (`UsableCores`: its affinity mask and cgroup CPU quota, not the machine's count):
    /// below it the four barriers of a squaring cost more than the second core saves (Benchmarks/primes
    /// `kernel` measures both).
    package static let parallelLength = 1 << 14

    /// Threads per squaring at IBDWT length n.
    package static func threads(length n: Int) -> Int {
        n >= parallelLength && UsableCores.count >= 2 ? 2 : 1
    }

    /// The arithmetic for exponent p with `slots` residues; `options` may fix the kind, length and threads.
    static func make(exponent p: Int, slots: Int, options: MersenneRunOptions = MersenneRunOptions()) -> MersenneArithmetic {
        let kind = options.engine
        let useGMP = kind == .gmp || (kind == .automatic && p < dwtThreshold)
        let n = options.length ?? Self.length(for: p)
        if useGMP || n < 32 || p <= n { return GMPMersenneArithmetic(exponent: p, slots: slots) }
        let threads = n >= 64 ? options.threads ?? Self.threads(length: n) : 1
        if avx512Available && (kind == .dwt || kind == .automatic) {
            return DWTMersenneArithmetic<PrimesKernelsAVX512.MersenneDWT>(exponent: p, length: n, threads: threads, slots: slots, name: "ibdwt-avx512")
        }
        if avx2Available && kind != .dwtBaseline {
            return DWTMersenneArithmetic<PrimesKernelsAVX2.MersenneDWT>(exponent: p, length: n, threads: threads, slots: slots, name: "ibdwt-avx2")
        }
        return DWTMersenneArithmetic<PrimesKernels.MersenneDWT>(exponent: p, length: n, threads: threads, slots: slots, name: "ibdwt")
    }

    /// The next arithmetic after round-off exceeded `roundOffLimit` at `current`: twice the length, or GMP.
    static func escalate(_ current: MersenneArithmetic, slots: Int, options: MersenneRunOptions) -> MersenneArithmetic {
        let n = current.length * 2
        if current.length == 0 || n > maxLength { return GMPMersenneArithmetic(exponent: current.exponent, slots: slots) }
        var next = options
        next.engine = options.engine == .gmp ? .dwt : options.engine
        next.length = n
        return make(exponent: current.exponent, slots: slots, options: next)
    }

    /// Round-off above this means the product may be wrong (PrimesKernels.MersenneDWT.roundOffLimit).
    static let roundOffLimit = PrimesKernels.MersenneDWT.roundOffLimit
}
