import Bounds
import Foundation

// Swift side of the bounds benchmark: exact tails per evaluation, on the inputs written by
// cases.py. Prints one line per workload: name evals_per_s checksum.

struct Cases: Decodable {
    let binomial: [[Double]]
    let poisson: [[Double]]
    let normal: [[Double]]
    let gamma: [[Double]]
}

func rate(_ count: Int, minSeconds: Double = 0.5, _ body: () -> Double) -> (Double, Double) {
    var reps = 0
    var checksum = 0.0
    let start = Date()
    var elapsed = 0.0
    while elapsed < minSeconds {
        checksum += body()
        reps += 1
        elapsed = Date().timeIntervalSince(start)
    }
    return (Double(reps * count) / elapsed, checksum / Double(reps))
}

let path = CommandLine.arguments.dropFirst().first ?? "cases.json"
let cases = try JSONDecoder().decode(Cases.self, from: Data(contentsOf: URL(fileURLWithPath: path)))

let workloads: [(String, Int, () -> Double)] = [
    ("binomial_sf", cases.binomial.count, {
        var s = 0.0
        for r in cases.binomial { s += Distribution.binomial(n: Int(r[0]), p: r[1]).upperTail(r[2]) }
        return s
    }),
    ("poisson_sf", cases.poisson.count, {
        var s = 0.0
        for r in cases.poisson { s += Distribution.poisson(lambda: r[0]).upperTail(r[1]) }
        return s
    }),
    ("normal_sf", cases.normal.count, {
        var s = 0.0
        for r in cases.normal { s += Distribution.normal(mean: 0, sd: 1).upperTail(r[0]) }
        return s
    }),
    ("gamma_q", cases.gamma.count, {
        var s = 0.0
        for r in cases.gamma { s += IncompleteGamma.upper(a: r[0], x: r[1]) }
        return s
    }),
    ("compare_poisson", cases.poisson.count, {
        // The whole compare computation: exact tail plus every applicable bound, sorted.
        var s = 0.0
        for r in cases.poisson { s += Comparison.compare(.poisson(lambda: r[0]), .upper, r[1]).exact }
        return s
    }),
]

print("# swift Bounds (release)")
for (name, count, body) in workloads {
    let (perSecond, checksum) = rate(count, body)
    print("\(name) \(Int(perSecond)) \(checksum)")
}
