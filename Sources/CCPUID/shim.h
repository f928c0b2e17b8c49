// The processor's feature bits for choosing the transformer's kernels at run time: cpuid and xgetbv (whether the
// operating system saves the AVX and AVX-512 registers), which Swift cannot issue itself. On other processors
// every query answers 0 (no leaf), so only the portable kernels are chosen.
#ifndef INCOGNITA_CCPUID_SHIM_H
#define INCOGNITA_CCPUID_SHIM_H
#include <stdint.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

/// eax, ebx, ecx, edx of cpuid(leaf, subleaf) into regs; 0 (and zeros) when the processor has no such leaf.
static inline int ccpuid_query(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]) {
    regs[0] = regs[1] = regs[2] = regs[3] = 0;
#if defined(__x86_64__) || defined(__i386__)
    unsigned int a, b, c, d;
    if (!__get_cpuid_count(leaf, subleaf, &a, &b, &c, &d)) return 0;
    regs[0] = a; regs[1] = b; regs[2] = c; regs[3] = d;
    return 1;
#else
    (void)leaf; (void)subleaf;
    return 0;
#endif
}

/// XCR0, the register states the operating system saves; ask only when cpuid(1).ecx has OSXSAVE (bit 27), since
/// xgetbv faults otherwise.
static inline uint64_t ccpuid_xcr0(void) {
#if defined(__x86_64__) || defined(__i386__)
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
#else
    return 0;
#endif
}
#endif
