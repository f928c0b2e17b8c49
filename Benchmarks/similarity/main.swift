// Secure similarity benchmark: one in-process session per configuration, CPU time per party
// (thread CPU clock around each party's own calls) and bytes per message beside the formula of
// shared/notes/mpc.md §4:  256 + 128·256 (base OT) + κ·n·q·w (U) + n·p·q·(w·ℓ − w(w−1)/2) (D)
// + 2·64·p·q (shares) bits.
//
// Run: swift run -c release SimilarityBenchmark [--quick]
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SecureSimilarity

func threadCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func wall() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

struct Rng {
    var s: UInt64
    mutating func next() -> UInt64 {
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func gaussian() -> Double {
        let u1 = max(1e-300, Double(next() >> 11) / 9007199254740992.0)
        let u2 = Double(next() >> 11) / 9007199254740992.0
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
    mutating func unit(_ n: Int) -> [Double] {
        let v = (0..<n).map { _ in gaussian() }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }
}

func formulaBits(n: Int, p: Int, q: Int, f: Int, l: Int) -> (base: Int, u: Int, d: Int, shares: Int) {
    let w = f + 2
    return (256 + 128 * 256, 128 * n * q * w, n * p * q * (w * l - w * (w - 1) / 2), 2 * 64 * p * q)
}

func fmtBytes(_ b: Int) -> String {
    if b >= 1 << 20 { return String(format: "%.2f MiB", Double(b) / Double(1 << 20)) }
    if b >= 1 << 10 { return String(format: "%.1f KiB", Double(b) / 1024) }
    return "\(b) B"
}

func run(n: Int, p: Int, q: Int, f: Int, ring: RingMode, repeats: Int) throws {
    var rng = Rng(s: 42)
    let a = (0..<p).map { _ in rng.unit(n) }
    let b = (0..<q).map { _ in rng.unit(n) }
    let params = try SimilarityParameters(dimension: n, fractionBits: f, ring: ring)
    let limits = SimilarityLimits(maxMessageBytes: 1 << 30)
    var best: (cpuA: Double, cpuB: Double, wall: Double) = (.infinity, .infinity, .infinity)
    var sizes: [(String, Int)] = []
    for _ in 0..<repeats {
        let sid = SessionID.random()
        var alice = try SimilarityParty(role: .initiator, sessionID: sid, parameters: params, vectors: a, limits: limits)
        var bob = try SimilarityParty(role: .responder, sessionID: sid, parameters: params, vectors: b, limits: limits)
        var cpuA = 0.0, cpuB = 0.0
        sizes = []
        let w0 = wall()
        var t = threadCPU()
        var message: [UInt8]? = try alice.start()
        cpuA += threadCPU() - t
        var toBob = true
        while let m = message {
            let type = MessageType(rawValue: m[3]).map { "\($0)" } ?? "?"
            sizes.append(((toBob ? "I→R " : "R→I ") + type, m.count))
            t = threadCPU()
            message = toBob ? try bob.receive(m) : try alice.receive(m)
            let dt = threadCPU() - t
            if toBob { cpuB += dt } else { cpuA += dt }
            toBob.toggle()
        }
        let w1 = wall()
        guard alice.phase == .done, bob.phase == .done else { fatalError("session did not complete") }
        best = (min(best.cpuA, cpuA), min(best.cpuB, cpuB), min(best.wall, w1 - w0))
    }
    let l = params.ringBits
    let fb = formulaBits(n: n, p: p, q: q, f: f, l: l)
    let formulaBitsTotal: Int = fb.base + fb.u + fb.d + fb.shares
    let formulaTotal: Int = formulaBitsTotal / 8
    let total = sizes.reduce(0) { $0 + $1.1 }
    print("n=\(n) p×q=\(p)×\(q) f=\(f) ring=\(ring) (ℓ=\(l)) OTs=\(q * n * (f + 2)) — best of \(repeats)")
    let cpuLine = String(format: "  CPU initiator (OT sender) %.1f ms, responder (OT receiver) %.1f ms, wall %.1f ms",
                         best.cpuA * 1e3, best.cpuB * 1e3, best.wall * 1e3)
    print(cpuLine)
    // one line per message kind: count × bytes (chunked kinds summed, largest shown)
    var order: [String] = []
    var agg: [String: (count: Int, bytes: Int, largest: Int)] = [:]
    for (label, bytes) in sizes {
        if agg[label] == nil { order.append(label); agg[label] = (0, 0, 0) }
        agg[label]!.count += 1
        agg[label]!.bytes += bytes
        agg[label]!.largest = max(agg[label]!.largest, bytes)
    }
    for label in order {
        let a = agg[label]!
        let padded = label + String(repeating: " ", count: max(0, 22 - label.count))
        let detail = a.count > 1 ? "  (\(a.count) messages, largest \(a.largest) B)" : ""
        print("  \(padded) \(String(a.bytes).leftPad(11)) B\(detail)")
    }
    print("  messages: \(sizes.count), round trips over request/response: \((sizes.count + 1) / 2)")
    print("  formula: base OT \(fb.base / 8) B, U \(fb.u / 8) B, D \(fb.d / 8) B, shares \(fb.shares / 8) B → \(formulaTotal) B (\(fmtBytes(formulaTotal)))")
    let deviation: Double = 100 * (Double(total) - Double(formulaTotal)) / Double(formulaTotal)
    let totalLine = "  measured total \(total) B (\(fmtBytes(total))), " + String(format: "%+.3f%%", deviation) + " vs formula"
    print(totalLine)
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

let quick = CommandLine.arguments.contains("--quick")
do {
    if let i = CommandLine.arguments.firstIndex(of: "--config"), i + 1 < CommandLine.arguments.count {
        // --config n,p,q,f[,full]
        let parts = CommandLine.arguments[i + 1].split(separator: ",").map(String.init)
        let v = parts.prefix(4).compactMap { Int($0) }
        guard v.count == 4 else { print("usage: --config n,p,q,f[,full]"); exit(2) }
        try run(n: v[0], p: v[1], q: v[2], f: v[3], ring: parts.count > 4 && parts[4] == "full" ? .full : .compact, repeats: 1)
        exit(0)
    }
    try run(n: 4096, p: 2, q: 1, f: 16, ring: .compact, repeats: 5)
    try run(n: 4096, p: 2, q: 1, f: 16, ring: .full, repeats: 5)
    try run(n: 384, p: 2, q: 1, f: 16, ring: .compact, repeats: 5)
    if !quick {
        try run(n: 384, p: 100, q: 100, f: 16, ring: .compact, repeats: 1)
    }
} catch {
    print("benchmark failed: \(error)")
    exit(1)
}
