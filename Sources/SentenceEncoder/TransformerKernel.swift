import HostCPU
import TransformerKernels
#if arch(x86_64)
import TransformerKernelsAVX2
import TransformerKernelsAVX512
#endif

/// Which build of the transformer's kernels a model runs: the widest the processor supports unless a caller asks
/// for a narrower one (tests run every variant the machine has; the result must not depend on it beyond rounding).
public enum TransformerKernel: String, CaseIterable, Sendable {
    case portable, avx2, avx512

    /// The widest variant `features` allow.
    static func best(for features: CPUFeatures) -> TransformerKernel {
        features.avx512 ? .avx512 : (features.avx2 ? .avx2 : .portable)
    }

    /// Whether a processor with `features` can run this variant (never on other architectures than x86-64,
    /// except `portable`).
    func isSupported(by features: CPUFeatures) -> Bool {
        switch self {
        case .portable: return true
        #if arch(x86_64)
        case .avx2: return features.avx2
        case .avx512: return features.avx512
        #else
        case .avx2, .avx512: return false
        #endif
        }
    }

    /// The variants this machine runs, widest first.
    public static var available: [TransformerKernel] {
        allCases.reversed().filter { $0.isSupported(by: .current) }
    }

    /// The kernels themselves. Only reached for a supported variant: the AVX modules' code, their static
    /// initialisers included, is compiled for processors that have those instructions.
    func kernels(on features: CPUFeatures) -> KernelSet {
        precondition(isSupported(by: features), "\(rawValue) kernels on a processor without them")
        switch self {
        case .portable: return .portable
        #if arch(x86_64)
        case .avx2: return .avx2
        case .avx512: return .avx512
        #else
        case .avx2, .avx512: return .portable
        #endif
        }
    }
}
