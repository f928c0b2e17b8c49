import Foundation
import Geodesics

// CPU time of the Swift geodesic solver against the scipy reference (Tests/GeodesicsTests/Scripts/reference.py
// bench) in the same run, on the same cases. Process CPU time is compared, so other load on the shared machine
// affects both sides alike. Two comparisons per case:
// - discrete: damped-Newton solves of the discrete energy on `nodes` and `nodes`/2 segments from the straight
//   line (Richardson length) plus the straight-line length (Swift: multiStart false, polish false; Python: the
//   reference's Newton with a finite-difference Hessian and scipy quad);
// - pipeline: the API default (Swift: 64 nodes, multi-start, internal refinement, shooting polish) against
//   the whole reference (several starts, continuation to 256–512 segments, DOP853 shooting), both
//   returning the continuum geodesic; their lengths and half-length points are compared too.
// - global search: the API default against the same call without the global search (GeodesicOptions(globalSearch:
//   false): the straight line and two bulges only), both Swift, best of 3: what finding the shortest route costs.
// Usage: .build/release/GeodesicsBenchmark [--no-pipeline] [--lbfgs] [--no-python] [--only PREFIX]

struct Case: Codable {
    var name: String
    var density: DensitySpec
    var metric: MetricSpec
    var from: [Double]
    var to: [Double]
    var nodes: Int
    var lbfgs: Bool
    var pipeline: Bool
}

/// Unbuffered line output (results appear as each case finishes).
func emit(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }

func cpuSeconds() -> Double { Double(clock()) / Double(CLOCKS_PER_SEC) }

let args = CommandLine.arguments
let lbfgs = args.contains("--lbfgs")
let pipeline = !args.contains("--no-pipeline")
let only = args.firstIndex(of: "--only").map { args[$0 + 1] } ?? ""
let noPython = args.contains("--no-python")

let mix2 = DensitySpec.mixture(components: [
    MixtureComponent(weight: 0.6, mean: [-1.5, 0.0], covariance: [[0.6, 0.25], [0.25, 0.4]]),
    MixtureComponent(weight: 0.4, mean: [1.5, 0.5], covariance: [[0.5, -0.2], [-0.2, 0.8]]),
])
// The 16-D three-component mixture of the reference fixtures (one pair, three metrics).
let fixtureURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../../Tests/GeodesicsTests/Fixtures/reference.json").standardized
struct FixtureCase: Decodable { var name: String; var density: DensitySpec; var metric: MetricSpec; var from: [Double]; var to: [Double] }
struct Fixtures: Decodable { var cases: [FixtureCase] }
let fixtures = try JSONDecoder().decode(Fixtures.self, from: Data(contentsOf: fixtureURL))

func label(_ m: MetricSpec) -> String {
    switch m {
    case .stein(let l): return "Stein λ=\(Int(l))"
    case .conformal(let a): return "conformal α=\(Int(a))"
    }
}
var cases: [Case] = []
for m in [MetricSpec.stein(lambda: 1), .stein(lambda: 10), .conformal(alpha: 1)] {
    cases.append(Case(name: "2-D mixture, \(label(m))", density: mix2, metric: m, from: [-2.5, -1.0], to: [2.0, 1.8],
                      nodes: 64, lbfgs: lbfgs, pipeline: pipeline))
}
for f in fixtures.cases where f.name.hasPrefix("mixture16d") {
    cases.append(Case(name: "16-D mixture, \(label(f.metric))", density: f.density, metric: f.metric, from: f.from, to: f.to,
                      nodes: 64, lbfgs: lbfgs, pipeline: pipeline))
}
let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../../Tests/GeodesicsTests/Scripts/reference.py").standardized.path

emit("case | discrete 64: Swift s | Python Newton s | ratio | pipeline: Swift s | Python s | ratio | lengths Swift / Python (rel) | half-length points max diff | global search cost")
for c in cases where c.name.hasPrefix(only) {
    // Swift discrete: single start, no polish, best of 5.
    let single = GeodesicOptions(nodes: c.nodes, multiStart: false, polish: false)
    var best = Double.infinity
    for _ in 0..<5 {
        let t0 = cpuSeconds()
        _ = try Geodesics.geodesic(density: c.density, metric: c.metric, from: c.from, to: c.to, options: single)
        best = min(best, cpuSeconds() - t0)
    }
    // Swift pipeline: the API default, best of 3.
    var fullBest = Double.infinity
    var full: GeodesicResult? = nil
    for _ in 0..<3 {
        let t1 = cpuSeconds()
        full = try Geodesics.geodesic(density: c.density, metric: c.metric, from: c.from, to: c.to)
        fullBest = min(fullBest, cpuSeconds() - t1)
    }
    // Swift pipeline without the global search (straight line and two bulges only), best of 3: what the global
    // search costs.
    var localBest = Double.infinity
    var local: GeodesicResult? = nil
    for _ in 0..<3 {
        let t2 = cpuSeconds()
        local = try Geodesics.geodesic(density: c.density, metric: c.metric, from: c.from, to: c.to,
                                       options: GeodesicOptions(globalSearch: false))
        localBest = min(localBest, cpuSeconds() - t2)
    }
    let searchNote = String(format: "global search %.4f s / %d starts vs %.4f s / %d starts without (%.2f×; lengths %.8f / %.8f)",
                            fullBest, full!.starts, localBest, local!.starts, fullBest / localBest, full!.length, local!.length)
    if noPython {
        emit(String(format: "%@ | %.4f | – | – | %.4f | – | – | %.8f | – | %@", c.name, best, fullBest, full!.length, searchNote))
        continue
    }
    // Python, same run.
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", script, "bench"]
    var env = ProcessInfo.processInfo.environment
    env["OMP_NUM_THREADS"] = "1"
    env["OPENBLAS_NUM_THREADS"] = "1"
    p.environment = env
    let inPipe = Pipe(), outPipe = Pipe()
    p.standardInput = inPipe
    p.standardOutput = outPipe
    try p.run()
    inPipe.fileHandleForWriting.write(try JSONEncoder().encode(c))
    try inPipe.fileHandleForWriting.close()
    let data = outPipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let py = (try? JSONSerialization.jsonObject(with: data)) as? [String: [String: Any]] ?? [:]
    let newton = py["newton"]?["seconds"] as? Double ?? .nan
    let pipe = py["pipeline"]?["seconds"] as? Double ?? .nan
    let pyLength = py["pipeline"]?["length"] as? Double ?? .nan
    let pyMid = py["pipeline"]?["midpoint"] as? [Double] ?? []
    let r = full!
    let mid = r.path[c.nodes / 2]   // polished: constant speed, so x(½) is the half-length point
    let dm = pyMid.isEmpty ? Double.nan : zip(mid, pyMid).reduce(0) { max($0, abs($1.0 - $1.1)) }
    var line = String(format: "%@ | %.4f | %.3f | %.0f× | %.4f | %.2f | %.0f× | %.8f / %.8f (%.1e) | %.1e",
                      c.name, best, newton, newton / best, fullBest, pipe, pipe / fullBest, r.length, pyLength,
                      abs(r.length - pyLength) / pyLength, dm)
    if let lb = py["lbfgs"]?["seconds"] as? Double { line += String(format: " | L-BFGS-B %.3f s", lb) }
    line += " | " + searchNote
    emit(line)
}
