import Testing
import HostCPU

/// What a processor offers: the cpuid and XCR0 bits decoded — a processor or an operating system without
/// AVX-512 (or AVX2, FMA, …) is reported without it, so callers choose the narrower build, never a crash.
@Suite struct CPUFeaturesTests {
    // cpuid(1).ecx with SSE3, SSSE3, FMA, SSE4.1/4.2, MOVBE, POPCNT, OSXSAVE, AVX, F16C
    static let leaf1: UInt32 = [0, 9, 12, 19, 20, 22, 23, 27, 28, 29].reduce(0) { $0 | 1 << UInt32($1) }
    static let avx2Bits: UInt32 = [3, 5, 8].reduce(0) { $0 | 1 << UInt32($1) }                 // BMI1, AVX2, BMI2
    static let avx512Bits: UInt32 = [16, 17, 19, 28, 30, 31].reduce(0) { $0 | 1 << UInt32($1) }   // F, DQ, ADX, CD, BW, VL
    static let lzcnt: UInt32 = 1 << 5

    static func features(leaf1: UInt32 = leaf1, leaf7: UInt32 = avx2Bits | avx512Bits, extended: UInt32 = lzcnt,
                         xcr0: UInt64 = 0b1110_0111) -> CPUFeatures {
        CPUFeatures(leaf1ECX: leaf1, leaf7EBX: leaf7, extendedECX: extended, xcr0: xcr0)
    }

    @Test func decodesTheFeatureBits() {
        #expect(Self.features() == CPUFeatures(avx2: true, avx512: true))
        // the operating system does not save the ZMM registers: AVX2 only
        #expect(Self.features(xcr0: 0b0000_0111) == CPUFeatures(avx2: true, avx512: false))
        // nor the YMM registers (or OSXSAVE off, XCR0 unread): nothing
        #expect(Self.features(xcr0: 0b0000_0011) == CPUFeatures(avx2: false, avx512: false))
        #expect(Self.features(leaf1: Self.leaf1 & ~(1 << 27), xcr0: 0) == CPUFeatures(avx2: false, avx512: false))
        // a processor without AVX-512 (Haswell … Zen 3)
        #expect(Self.features(leaf7: Self.avx2Bits) == CPUFeatures(avx2: true, avx512: false))
        // one AVX-512 part missing (e.g. VL on Knights Landing) is no AVX-512
        #expect(Self.features(leaf7: Self.avx2Bits | (Self.avx512Bits & ~(1 << 31))) == CPUFeatures(avx2: true, avx512: false))
        // AVX-512 without AVX2's companions (FMA, BMI2, LZCNT) is not taken either
        #expect(Self.features(leaf1: Self.leaf1 & ~(1 << 12)) == CPUFeatures(avx2: false, avx512: false))
        #expect(Self.features(leaf7: Self.avx512Bits | (1 << 5) | (1 << 3)) == CPUFeatures(avx2: false, avx512: false))
        #expect(Self.features(extended: 0) == CPUFeatures(avx2: false, avx512: false))
        #expect(CPUFeatures(avx2: false, avx512: true) == CPUFeatures(avx2: false, avx512: false))
        // ADX missing (skylake-avx512 code may use it)
        #expect(Self.features(leaf7: Self.avx2Bits | (Self.avx512Bits & ~(1 << 19))) == CPUFeatures(avx2: true, avx512: false))
    }

    /// This machine's answer agrees with what Linux lists in /proc/cpuinfo where the operating system saves the
    /// registers (Linux lists avx512f only then), so the decoding is the processor's, not a guess.
    @Test func agreesWithTheKernelsFlagsOnThisMachine() throws {
        #if os(Linux) && arch(x86_64)
        let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("flags") })
        let flags = Set(line.split(separator: " ").map(String.init))
        let avx2 = ["avx2", "fma", "bmi1", "bmi2", "abm", "movbe", "f16c", "popcnt", "sse4_2"].allSatisfy(flags.contains)
        let avx512 = avx2 && ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "adx"].allSatisfy(flags.contains)
        #expect(CPUFeatures.current == CPUFeatures(avx2: avx2, avx512: avx512))
        #endif
    }
}

