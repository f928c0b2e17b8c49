import Foundation
import Geodesics

// Solver time of the Swift boundary value solver against the scipy reference in the same run.
// Both start from the straight line with 64 segments; CPU time (process time) is compared so that
// other load on the machine affects both sides alike. The Python side runs
// Tests/GeodesicsTests/Scripts/reference.py bench (L-BFGS-B and Gauss–Newton/LM, least_squares).

struct Case: Codable {
    var name: String
    var density: DensitySpec
    var metric: MetricSpec
    var from: [Double]
    var to: [Double]
    var nodes: Int
    var repeats: Int
    var lbfgs: Bool
}

/// Unbuffered line output (results appear as each case finishes).
func emit(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }

func cpuSeconds() -> Double { Double(clock()) / Double(CLOCKS_PER_SEC) }

let mix2 = DensitySpec.mixture(components: [
    MixtureComponent(weight: 0.6, mean: [-1.5, 0.0], covariance: [[0.6, 0.25], [0.25, 0.4]]),
    MixtureComponent(weight: 0.4, mean: [1.5, 0.5], covariance: [[0.5, -0.2], [-0.2, 0.8]]),
])
// The 16-D three-component mixture of the reference fixtures.
let fixtureURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../../Tests/GeodesicsTests/Fixtures/reference.json").standardized
struct FixtureCase: Decodable { var name: String; var density: DensitySpec; var from: [Double]; var to: [Double] }
struct Fixtures: Decodable { var cases: [FixtureCase] }
let fixtures = try JSONDecoder().decode(Fixtures.self, from: Data(contentsOf: fixtureURL))
let f16 = fixtures.cases.first { $0.name.hasPrefix("mixture16d") }!

let lbfgs = CommandLine.arguments.contains("--lbfgs")
let cases = [
    Case(name: "2-D mixture, Stein λ=1, 64 nodes", density: mix2, metric: .stein(lambda: 1), from: [-2.5, -1.0], to: [2.0, 1.8], nodes: 64, repeats: 1, lbfgs: lbfgs),
    Case(name: "2-D mixture, Stein λ=10, 64 nodes", density: mix2, metric: .stein(lambda: 10), from: [-2.5, -1.0], to: [2.0, 1.8], nodes: 64, repeats: 1, lbfgs: lbfgs),
    Case(name: "16-D mixture, Stein λ=1, 64 nodes", density: f16.density, metric: .stein(lambda: 1), from: f16.from, to: f16.to, nodes: 64, repeats: 1, lbfgs: lbfgs),
]
let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../../Tests/GeodesicsTests/Scripts/reference.py").standardized.path

emit("case | swift single-start s (CPU) | swift full pipeline s | python GN/LM s | python L-BFGS s | ratio GN/swift | lengths swift / python")
for c in cases {
    // Swift: single start, no polish (the same problem the reference solves), best of 5.
    let single = GeodesicOptions(nodes: c.nodes, multiStart: false, polish: false)
    var best = Double.infinity
    var length = 0.0
    for _ in 0..<5 {
        let t0 = cpuSeconds()
        let r = try Geodesics.geodesic(density: c.density, metric: c.metric, from: c.from, to: c.to, options: single)
        best = min(best, cpuSeconds() - t0)
        length = r.length
    }
    let t1 = cpuSeconds()
    let full = try Geodesics.geodesic(density: c.density, metric: c.metric, from: c.from, to: c.to,
                                      options: GeodesicOptions(nodes: c.nodes))
    let fullTime = cpuSeconds() - t1
    // Python, same run.
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", script, "bench"]
    let inPipe = Pipe(), outPipe = Pipe()
    p.standardInput = inPipe
    p.standardOutput = outPipe
    try p.run()
    inPipe.fileHandleForWriting.write(try JSONEncoder().encode(c))
    try inPipe.fileHandleForWriting.close()
    let data = outPipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let py = (try? JSONSerialization.jsonObject(with: data)) as? [String: [String: Double]] ?? [:]
    let gn = py["gaussNewton"]?["seconds"] ?? .nan
    let lb = py["lbfgs"]?["seconds"] ?? .nan
    let pyLen = py["gaussNewton"]?["length"] ?? .nan
    emit(String(format: "%@ | %.5f | %.4f | %.4f | %.4f | %.1f× | %.6f (full %.6f) / %.6f", c.name, best, fullTime, gn, lb, gn / best, length, full.length, pyLen))
}
