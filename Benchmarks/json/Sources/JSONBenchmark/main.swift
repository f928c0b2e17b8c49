import Foundation
import StrictJSON

/// Decoding request bodies: the service's StrictJSONDecoder against Foundation's JSONDecoder (the decoder
/// it replaced), same bodies, same Decodable types, in one process. Prints per workload the bodies per
/// second (wall), CPU seconds per body (getrusage, robust to a busy machine), and the ratio strict/foundation.
struct LatLng: Decodable { var lat: Double; var lng: Double }
struct Points: Decodable { var points: [LatLng]; var level: Int? }
struct Vectors: Decodable { var peer: String; var vectors: [[Double]]; var label: String? }
struct Markov: Decodable { var mean: Double?; var threshold: Double? }
struct Dist: Decodable { var family: String?; var n: Double?; var p: Double?; var of: [Dist]? }
struct Compare: Decodable {
    struct Event: Decodable { var tail: String?; var threshold: Double? }
    var distribution: Dist?; var event: Event?
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

var rng = SystemRandomNumberGenerator()
func body(_ text: String) -> [UInt8] { Array(text.utf8) }
let vectors = body("{\"peer\":\"loopback\",\"label\":\"cats\",\"vectors\":[" + (0..<64).map { _ in
    "[" + (0..<1024).map { _ in "\(Double.random(in: -1...1, using: &rng))" }.joined(separator: ",") + "]" }.joined(separator: ",") + "]}")
let points = body("{\"level\":15,\"points\":[" + (0..<20_000).map { _ in
    "{\"lat\":\(Double.random(in: -90...90, using: &rng)),\"lng\":\(Double.random(in: -180...180, using: &rng))}" }.joined(separator: ",") + "]}")
let markov = body(#"{"mean":40,"threshold":80}"#)
let compare = body(#"{"distribution":{"family":"sampleMean","n":200,"of":[{"family":"binomial","n":1,"p":0.3}]},"event":{"tail":"upper","threshold":0.4}}"#)

func measure<T: Decodable>(_ name: String, _ type: T.Type, _ bytes: [UInt8], seconds: Double) {
    let data = Data(bytes)
    func run(_ decode: () throws -> Void) -> (perSecond: Double, cpu: Double) {
        var count = 0
        let start = Date(), cpu0 = cpuSeconds()
        while Date().timeIntervalSince(start) < seconds || count < 3 {
            try! decode()
            count += 1
        }
        let wall = Date().timeIntervalSince(start), cpu = cpuSeconds() - cpu0
        return (Double(count) / wall, cpu / Double(count))
    }
    // Alternate twice to spread the machine's noise over both.
    var strict: [(Double, Double)] = [], foundation: [(Double, Double)] = []
    for _ in 0..<2 {
        strict.append(run { _ = try StrictJSONDecoder().decode(T.self, from: bytes) })
        foundation.append(run { _ = try JSONDecoder().decode(T.self, from: data) })
    }
    let s = (strict.map(\.0).max()!, strict.map(\.1).min()!), f = (foundation.map(\.0).max()!, foundation.map(\.1).min()!)
    print(name.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: " %10d B %12.1f/s %12.1f/s %14.2e s %14.2e s %8.2f %8.2f", bytes.count,
                 s.0, f.0, s.1, f.1, f.1 / s.1, s.0 / f.0))
}

let seconds = Double(CommandLine.arguments.dropFirst().first ?? "") ?? 2
print("workload                     body        strict/s    foundation/s   strict cpu/body  found. cpu/body    cpu x   wall x")
measure("similarity 64x1024", Vectors.self, vectors, seconds: seconds)
measure("s2 points 20000", Points.self, points, seconds: seconds)
measure("markov (small)", Markov.self, markov, seconds: seconds)
measure("compare (nested)", Compare.self, compare, seconds: seconds)
