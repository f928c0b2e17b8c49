// Primes benchmark: each measurement beside the same computation by the references, in the same run:
//   - C + the system GMP (reference/gmp_reference.c, compiled here with `cc -O2 … -lgmp`),
//   - gmpy2 (reference/gmpy2_reference.py, its bundled GMP).
// Targets (issue 5): Lucas–Lehmer p = 44497, 86243 ≤ 1.1× GMP's time; the decimal expansion of
// M77232917 ≤ 1.2× gmpy2; digit queries per second (Mersenne facts with 20 leading and 20 trailing
// digits at random p ≤ 10^9) against the same query written with gmpy2/MPFR (not certified there).
// Times are CPU seconds (process CPU clocks, all threads), best of `reps`, and
// the runs alternate Swift / C / gmpy2 so that cache and frequency effects of other load hit all three alike.
//
// Run: swift run -c release PrimesBenchmark [--quick] [kernel] [ll] [decimal] [sha256] [queries] [primality]
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Primes
import PrimesKernels
import PrimesKernelsAVX2
import PrimesKernelsAVX512

/// CPU seconds of this process, all threads (the IBDWT's worker thread included). The box is shared, so CPU
/// time (here, and in both references) is what the ratios compare; wall-clock time would mostly measure the
/// other processes. With two threads on a squaring, CPU time counts both: on a quiet machine the wall-clock
/// ratio is the one users see.
func cpu() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

let quick = CommandLine.arguments.contains("--quick")
let sections = Set(CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("--") })
/// Sections to run: any of ll, decimal, queries, primality (default all).
func enabled(_ name: String) -> Bool { sections.isEmpty || sections.contains(name) }
let referenceDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("reference")
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("primes-bench-\(getpid())")
try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }

/// Runs a program and returns its standard output (nil when it cannot be run or fails).
func run(_ executable: String, _ arguments: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// "seconds value" lines from the reference programs.
func parse(_ output: String?) -> (Double, String)? {
    guard let parts = output?.split(separator: " "), parts.count == 2, let t = Double(parts[0]) else { return nil }
    return (t, String(parts[1]))
}

let cBinary = scratch.appendingPathComponent("gmp_reference").path
let haveC = run("/usr/bin/env", ["cc", "-O2", "-o", cBinary, referenceDir.appendingPathComponent("gmp_reference.c").path, "-lgmp"]) != nil
let python = "/usr/bin/env"
let pyScript = referenceDir.appendingPathComponent("gmpy2_reference.py").path
let haveGmpy2 = run(python, ["python3", "-c", "import gmpy2"]) != nil
print("references: C+GMP \(haveC ? "yes" : "no (cc or libgmp-dev missing)"), gmpy2 \(haveGmpy2 ? "yes" : "no (pip install gmpy2)")")

func c(_ what: String, _ p: UInt64) -> (Double, String)? { haveC ? parse(run(cBinary, [what, String(p)])) : nil }
func py(_ what: String, _ n: UInt64) -> (Double, String)? { haveGmpy2 ? parse(run(python, ["python3", pyScript, what, String(n)])) : nil }

func ratioText(_ mine: Double, _ reference: Double?) -> String {
    guard let reference else { return "   n/a" }
    return String(format: "%6.3f×", mine / reference)
}

func fmt(_ t: Double?) -> String { t.map { String(format: "%9.3f s", $0) } ?? "      n/a  " }

/// Reference time / Swift time: how many times faster Swift is.
func speedup(_ mine: Double, _ reference: Double?) -> String {
    guard let reference else { return "    n/a" }
    return String(format: "%7.2f×", reference / mine)
}

/// LL at p = 1,257,787 (CPU, wall), reused by the PRP comparison.
nonisolated(unsafe) var llLarge: (Double, Double)?
print("load average at start: \(loadAverage())")
defer { print("load average at end: \(loadAverage())") }

// MARK: Lucas–Lehmer and PRP

/// Wall-clock seconds (monotonic), beside the CPU clock: a quiet machine's wall time is what users wait.
func wall() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)).map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? "n/a"
}

// MARK: IBDWT kernels, per squaring

/// One Lucas–Lehmer squaring (x ← x² − 2) by a build of the kernel on `threads` threads: process CPU µs and
/// wall µs per squaring (best of 3 runs of `squarings`), the largest round-off seen, and the residue.
func kernelRow<K: DWTKernel>(_ kind: K.Type, _ name: String, p: Int, n: Int, threads: Int, squarings: Int) -> (String, [UInt64]) {
    let kernel = K(exponent: p, length: n, threads: threads)
    var bestCPU = Double.infinity, bestWall = Double.infinity, worst = 0.0, residue: [UInt64] = []
    for _ in 0..<3 {
        let x = kernel.makeBuffer()
        kernel.load(x, limbs: [4])
        let c0 = cpu(), w0 = wall()
        for _ in 0..<squarings { worst = max(worst, kernel.square(x, addend: -2)) }
        bestCPU = min(bestCPU, cpu() - c0); bestWall = min(bestWall, wall() - w0)
        residue = kernel.limbs(x)
    }
    let per = 1e6 / Double(squarings)
    return (String(format: "%9d  %7d  %-10@ %7d  %9.1f µs  %9.1f µs   %.3f", p, n, name, threads, bestCPU * per, bestWall * per, worst), residue)
}

if enabled("kernel") {
print("\nIBDWT squaring modulo 2^p − 1 (x ← x² − 2 from x = 4), per squaring: process CPU (both threads) and wall time")
print("        p   length  kernel     threads        CPU         wall   round-off")
for p in quick ? [86_243] : [86_243, 1_257_787] {
    let n = MersenneEngine.length(for: p)
    let squarings = max(50, 40_000_000 / (n * 16))
    var residues: Set<[UInt64]> = []
    for threads in [1, 2] {
        var rows = [kernelRow(PrimesKernels.MersenneDWT.self, "baseline", p: p, n: n, threads: threads, squarings: squarings)]
        if MersenneEngine.avx2Available {
            rows.append(kernelRow(PrimesKernelsAVX2.MersenneDWT.self, "avx2", p: p, n: n, threads: threads, squarings: squarings))
        }
        if MersenneEngine.avx512Available {
            rows.append(kernelRow(PrimesKernelsAVX512.MersenneDWT.self, "avx512", p: p, n: n, threads: threads, squarings: squarings))
        }
        for (line, residue) in rows { print(line); residues.insert(residue) }
    }
    print(residues.count == 1 ? "          the same residue after \(squarings) squarings in every variant" : "          MISMATCH between variants")
    print("          used for this length: \(MersenneEngine.threads(length: n)) thread(s)")
    // C + GMP's time per iteration at full size: the per-squaring speed-up without running either test to the end.
    if haveC, let perIteration = run(cBinary, ["llper", String(p), "200"]).flatMap({ parse($0) })?.0 {
        print(String(format: "          C+GMP: %.1f µs per iteration (200 at full size): divide by a CPU column for the speed-up", perIteration * 1e6))
    }
}
}

if enabled("ll") {
print("\nLucas–Lehmer (IBDWT from p = 3000) and Fermat PRP (base 3, Gerbicz-checked) against C + GMP (shift-and-add LL) and gmpy2.")
print("Ratio = reference time / Swift time (higher is faster). Process CPU seconds (the IBDWT's two threads from length")
print("\(MersenneEngine.parallelLength) on both count); Swift's wall seconds in brackets, and the speed-up on them (quiet machine only).")
print("      p  reps   Swift LL (wall)          C+GMP LL     gmpy2 LL   speed-up vs C  vs gmpy2  vs C (wall)   Res64")
for p: UInt64 in quick ? [21701, 44497] : [44497, 86243] {
    let reps = p > 50_000 ? 2 : 3
    var swiftBest = Double.infinity, swiftWall = Double.infinity, cBest = Double.infinity, pyBest = Double.infinity
    var residues: Set<String> = []
    for _ in 0..<reps {
        let start = cpu(), startWall = wall()
        let r = try LucasLehmer.run(p)
        swiftBest = min(swiftBest, cpu() - start); swiftWall = min(swiftWall, wall() - startWall)
        residues.insert(r.residue64 ?? "-")
        if let (t, res) = c("ll", p) { cBest = min(cBest, t); residues.insert(res) }
        if let (t, res) = py("ll", p) { pyBest = min(pyBest, t); residues.insert(res) }
    }
    let cT = cBest.isFinite ? cBest : nil, pyT = pyBest.isFinite ? pyBest : nil
    print(String(format: "%7d  %4d  %8.3f s (%6.3f s)", p, reps, swiftBest, swiftWall), fmt(cT), fmt(pyT),
          speedup(swiftBest, cT), speedup(swiftBest, pyT), speedup(swiftWall, cT), residues.count == 1 ? residues.first! : "MISMATCH \(residues)")
}

// At p = 1,257,787 GMP needs about 45 minutes: its time per iteration (full-size residue, 200 iterations)
// is measured and multiplied by p − 2.
if !quick {
    let p: UInt64 = 1_257_787
    let start = cpu(), startWall = wall()
    let r = try LucasLehmer.run(p)
    let swiftT = cpu() - start, swiftWall = wall() - startWall
    let perIteration = haveC ? run(cBinary, ["llper", String(p), "200"]).flatMap { parse($0) }?.0 : nil
    let cT = perIteration.map { $0 * Double(p - 2) }
    print(String(format: "%7d  %4d  %8.3f s (%6.3f s)", p, 1, swiftT, swiftWall), fmt(cT), "       n/a ",
          speedup(swiftT, cT), "       ", speedup(swiftWall, cT), r.residue64 ?? "-")
    if let perIteration {
        print(String(format: "         C+GMP time extrapolated: %.3f ms per iteration (200 measured) × %d iterations", perIteration * 1000, p - 2))
    }
    llLarge = (swiftT, swiftWall)
}

print("\nPRP (base 3, Gerbicz check, GIMPS residue type 1) against Lucas–Lehmer at the same p, same run")
print("      p   PRP CPU (wall)         LL CPU (wall)          PRP/LL   Res64")
for p: UInt64 in quick ? [44497] : [86243, 1_257_787] {
    var llT = (Double.infinity, Double.infinity), prpT = (Double.infinity, Double.infinity)
    var res = ""
    let reps = p > 100_000 ? 1 : 2
    for _ in 0..<reps {
        if p == 1_257_787, let large = llLarge { llT = large } else {
            let s0 = cpu(), w0 = wall()
            _ = try LucasLehmer.run(p)
            llT = (min(llT.0, cpu() - s0), min(llT.1, wall() - w0))
        }
        let s1 = cpu(), w1 = wall()
        let r = try ProbablePrime.run(p)
        prpT = (min(prpT.0, cpu() - s1), min(prpT.1, wall() - w1))
        res = r.residue64 ?? "-"
    }
    print(String(format: "%7d  %8.3f s (%7.3f s)  %8.3f s (%7.3f s)  %6.3f×  %@", p, prpT.0, prpT.1, llT.0, llT.1, prpT.0 / llT.0, res))
}

if !quick {
    print("\nThe known Mersenne primes up to M1257787 verified by the new code (LucasLehmer.run, \"compute\" path), CPU seconds")
    var line = ""
    for m in KnownMersennePrimes.all where m.exponent > 2 && m.exponent <= 1_257_787 {
        let start = cpu()
        let r = try LucasLehmer.run(m.exponent)
        let t = cpu() - start
        line += String(format: "  M%d %@ %.3f s", m.exponent, r.isPrime ? "prime" : "NOT PRIME", t)
        if line.count > 90 { print(line); line = "" }
    }
    if !line.isEmpty { print(line) }
}
}

// MARK: Decimal expansion

if enabled("decimal") {
print("\nDecimal expansion of 2^p − 1 (Swift: Mersenne.writeDecimalExpansion into a counting sink, 1 MiB chunks)")
print("          p      digits      Swift      C+GMP     gmpy2   vs C   vs gmpy2")
for p: UInt64 in quick ? [10_000_000] : [10_000_000, 77_232_917] {
    let reps = 2
    var swiftBest = Double.infinity, cBest = Double.infinity, pyBest = Double.infinity
    var written = 0
    for _ in 0..<reps {
        var bytes = 0
        let start = cpu()
        try Mersenne.writeDecimalExpansion(exponent: p) { bytes += $0.count }
        swiftBest = min(swiftBest, cpu() - start)
        written = bytes
        if let (t, _) = c("decimal", p) { cBest = min(cBest, t) }
        if let (t, _) = py("decimal", p) { pyBest = min(pyBest, t) }
    }
    let cT = cBest.isFinite ? cBest : nil, pyT = pyBest.isFinite ? pyBest : nil
    print(String(format: "%11d  %10d", p, written), fmt(swiftBest), fmt(cT), fmt(pyT), ratioText(swiftBest, cT), ratioText(swiftBest, pyT))
}

}

// MARK: All 52 known Mersenne primes by SHA-256

if enabled("sha256") {
print("\nDecimal expansions of all 52 known Mersenne primes: SHA-256 of the Swift digits (Mersenne.writeDecimalExpansion)")
print("against gmpy2's digits(10) hashed by hashlib; CPU seconds of the expansion")
let exponents = KnownMersennePrimes.all.map(\.exponent)
var reference: [UInt64: (Double, String)] = [:]
if haveGmpy2, let out = run(python, ["python3", pyScript, "sha256"] + exponents.map(String.init)) {
    for line in out.split(separator: "\n") {
        let parts = line.split(separator: " ")
        if parts.count == 3, let p = UInt64(parts[0]), let t = Double(parts[1]) { reference[p] = (t, String(parts[2])) }
    }
}
var matches = 0, swiftTotal = 0.0, pyTotal = 0.0
for p in exponents {
    var digits = Data()
    let start = cpu()
    try Mersenne.writeDecimalExpansion(exponent: p) { digits.append($0) }
    let t = cpu() - start
    swiftTotal += t
    let file = scratch.appendingPathComponent("M\(p).txt")
    try digits.write(to: file)
    let hash = run("/usr/bin/env", ["sha256sum", file.path])?.split(separator: " ").first.map(String.init) ?? "?"
    try? FileManager.default.removeItem(at: file)
    let ref = reference[p]
    pyTotal += ref?.0 ?? 0
    if ref?.1 == hash { matches += 1 }
    if p >= 1_000_000 {
        print(String(format: "  M%-10d %9d digits  Swift %7.3f s  gmpy2 %@  %@  %@", p, digits.count, t,
                     ref.map { String(format: "%7.3f s", $0.0) } ?? "n/a", String(hash.prefix(16)), ref?.1 == hash ? "same" : "DIFFERENT"))
    }
}
print(String(format: "  %d of %d SHA-256 equal to gmpy2's; total CPU Swift %.2f s, gmpy2 %.2f s", matches, exponents.count, swiftTotal, pyTotal))
}

// MARK: Digit queries

var generator = SystemRandomNumberGenerator()
if enabled("queries") {
print("\nDigit queries: Mersenne.facts(p, leading: 20, trailing: 20) at random p ≤ 10^9 (certified), and")
print("PowerDigits.compute at random (base ≤ 10^18, exponent ≤ 10^18, offset); gmpy2 does the Mersenne query uncertified")
let n = quick ? 2_000 : 10_000
let exponents = (0..<n).map { _ in UInt64.random(in: 1...1_000_000_000, using: &generator) }
var start = cpu()
for p in exponents { _ = try Mersenne.facts(exponent: p, leading: 20, trailing: 20) }
let mersenneQPS = Double(n) / (cpu() - start)
let queries = (0..<n).map { _ in
    (UInt64.random(in: 2...1_000_000_000_000_000_000, using: &generator),
     UInt64.random(in: 1...1_000_000_000_000_000_000, using: &generator),
     Int.random(in: -1_000_000...1_000_000, using: &generator))
}
start = cpu()
for (b, e, c) in queries { _ = try PowerDigits.compute(base: b, exponent: e, offset: c, leading: 20, trailing: 20) }
let powerQPS = Double(n) / (cpu() - start)
let pyQPS = py("queries", UInt64(n)).map { Double(n) / $0.0 }
print(String(format: "  Mersenne facts: %9.0f queries/s   gmpy2: %@   ratio (Swift/gmpy2 throughput) %@",
             mersenneQPS, pyQPS.map { String(format: "%9.0f queries/s", $0) } ?? "n/a",
             pyQPS.map { String(format: "%.2f×", mersenneQPS / $0) } ?? "n/a"))
print(String(format: "  general b^e+c:  %9.0f queries/s", powerQPS))
let wide = exponents.prefix(quick ? 20 : 100)
start = cpu()
for p in wide { _ = try Mersenne.facts(exponent: p, leading: 1000, trailing: 1000) }
print(String(format: "  Mersenne facts with 1000 leading and 1000 trailing digits: %.2f ms per query", (cpu() - start) / Double(wide.count) * 1000))

}

// MARK: Primality

if enabled("primality") {
print("\nPrimality and next prime of random 1000-digit integers (Swift: Primality.check; gmpy2: is_bpsw_prp + next_prime)")
let samples = quick ? 2 : 5
let numbers = (0..<samples).map { _ in "1" + (1..<1000).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined() }
let t0 = cpu()
for digits in numbers { _ = try Primality.check(digits) }
let swiftMean = (cpu() - t0) / Double(samples)
let pyMean = haveGmpy2 ? parse(run(python, ["python3", pyScript, "nextprime"] + numbers)).map { $0.0 / Double(samples) } : nil
print(String(format: "  Swift %.3f s per query   gmpy2 %@   ratio %@", swiftMean,
             pyMean.map { String(format: "%.3f s", $0) } ?? "n/a", ratioText(swiftMean, pyMean)))
}
