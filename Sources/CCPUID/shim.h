// The processor's feature bits for choosing the transformer's and the primes kernels at run time (HostCPU): cpuid and xgetbv (whether the
// operating system saves the AVX and AVX-512 registers), which Swift cannot issue itself. On other processors
// every query answers 0 (no leaf), so only the portable kernels are chosen. And the CPUs this process may run
// on (its affinity), which Glibc's Swift module does not export.
#ifndef INCOGNITA_CCPUID_SHIM_H
#define INCOGNITA_CCPUID_SHIM_H
#include <stdint.h>
#if defined(__linux__)
#include <unistd.h>
#include <sys/syscall.h>
#endif
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
/// The number of CPUs this process may run on (its affinity mask, sched_getaffinity), 0 when unknown.
static inline int ccpuid_affinity_count(void) {
#if defined(__linux__)
    unsigned long mask[64]; // 4096 CPUs
    long bytes = syscall(SYS_sched_getaffinity, 0, sizeof mask, mask);
    if (bytes <= 0) return 0;
    int count = 0;
    for (long i = 0; i < bytes / (long)sizeof mask[0]; i++) count += __builtin_popcountl(mask[i]);
    return count;
#else
    return 0;
#endif
}
#endif
