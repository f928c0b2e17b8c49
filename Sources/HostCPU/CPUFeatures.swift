import CCPUID

/// What the processor and the operating system offer the kernels built for wider instruction sets (the
/// transformer's and the IBDWT's): the cpuid feature bits that the compiler's `-target-cpu haswell` and
/// `-target-cpu skylake-avx512` may use, and whether the operating system saves the AVX and AVX-512 registers
/// (XCR0) — a processor flag without the register state enabled must not select a wider build. The one
/// wrapper around CCPUID; the decoding is plain arithmetic on the register values, so that tests can hand it
/// any processor's.
public struct CPUFeatures: Equatable, Sendable {
    /// AVX2 with FMA and what comes with it on every such processor (BMI1/2, LZCNT, MOVBE, POPCNT, F16C,
    /// SSE4.2), with the YMM state enabled by the operating system.
    public var avx2: Bool
    /// AVX-512 F, CD, BW, DQ and VL (and ADX, which skylake-avx512 also implies) on top of `avx2`, with the
    /// opmask and ZMM states enabled.
    public var avx512: Bool

    /// The processor this process runs on (no features on other architectures than x86-64).
    public static let current: CPUFeatures = {
        var leaf1: [UInt32] = [0, 0, 0, 0], leaf7: [UInt32] = [0, 0, 0, 0], extended: [UInt32] = [0, 0, 0, 0]
        guard ccpuid_query(1, 0, &leaf1) != 0 else { return CPUFeatures(avx2: false, avx512: false) }
        _ = ccpuid_query(7, 0, &leaf7)
        _ = ccpuid_query(0x8000_0001, 0, &extended)
        let osxsave = leaf1[2] & (1 << 27) != 0
        return CPUFeatures(leaf1ECX: leaf1[2], leaf7EBX: leaf7[1], extendedECX: extended[2], xcr0: osxsave ? ccpuid_xcr0() : 0)
    }()

    public init(avx2: Bool, avx512: Bool) {
        self.avx2 = avx2
        self.avx512 = avx512 && avx2
    }

    /// Decodes cpuid(1).ecx, cpuid(7, 0).ebx, cpuid(0x80000001).ecx and XCR0 (0 when OSXSAVE is off).
    public init(leaf1ECX ecx: UInt32, leaf7EBX ebx: UInt32, extendedECX: UInt32, xcr0: UInt64) {
        func bits(_ word: UInt32, _ positions: [Int]) -> Bool { positions.allSatisfy { word & (1 << UInt32($0)) != 0 } }
        // cpuid(1).ecx: SSE3 0, SSSE3 9, FMA 12, SSE4.1 19, SSE4.2 20, MOVBE 22, POPCNT 23, OSXSAVE 27, AVX 28, F16C 29
        // cpuid(7).ebx: BMI1 3, AVX2 5, BMI2 8 — AVX-512: F 16, DQ 17, ADX 19, CD 28, BW 30, VL 31
        // cpuid(0x80000001).ecx: LZCNT 5 — XCR0: SSE 1, AVX 2, opmask 5, ZMM0–15 upper halves 6, ZMM16–31 7
        let ymmState = xcr0 & 0b110 == 0b110, zmmState = xcr0 & 0b1110_0110 == 0b1110_0110
        let avx2 = ymmState && bits(ecx, [0, 9, 12, 19, 20, 22, 23, 27, 28, 29]) && bits(ebx, [3, 5, 8]) && bits(extendedECX, [5])
        self.init(avx2: avx2, avx512: avx2 && zmmState && bits(ebx, [16, 17, 19, 28, 30, 31]))
    }
}
