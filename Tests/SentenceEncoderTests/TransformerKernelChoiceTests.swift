import HostCPU
import Testing
@testable import SentenceEncoder

/// Which transformer kernels a processor gets: the widest build its `CPUFeatures` allow (HostCPUTests test the
/// decoding itself).
@Suite struct TransformerKernelChoiceTests {
    @Test func choosesTheWidestSupportedKernels() {
        let none = CPUFeatures(avx2: false, avx512: false), avx2 = CPUFeatures(avx2: true, avx512: false)
        let avx512 = CPUFeatures(avx2: true, avx512: true)
        #expect(TransformerKernel.best(for: none) == .portable)
        #expect(TransformerKernel.best(for: avx2) == .avx2)
        #expect(TransformerKernel.best(for: avx512) == .avx512)
        #expect(TransformerKernel.allCases.filter { $0.isSupported(by: none) } == [.portable])
        #expect(!TransformerKernel.avx512.isSupported(by: avx2) && TransformerKernel.avx2.isSupported(by: avx2))
        // this machine: the default is the widest available, and portable always is
        #expect(TransformerKernel.available.first == TransformerKernel.best(for: .current))
        #expect(TransformerKernel.available.last == .portable)
    }
}
