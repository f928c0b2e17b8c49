// The minilm encoder's throughput, as the service runs it: sentences per second (wall) and CPU milliseconds
// per sentence at batch 1 and batch 32, for 16- and 128-piece texts (texts.py), and the process's resident
// memory before and after the model loads and after the largest batch. One JSON line per case.
//
//   EmbeddingsBenchmark MODEL_DIR TEXTS_JSON        (run.sh builds it in release and runs it beside the references)
import Foundation
import SentenceEncoder

func residentMB() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
    return 0
}

func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
}

let args = CommandLine.arguments
guard args.count == 3 else { print("usage: EmbeddingsBenchmark MODEL_DIR TEXTS_JSON"); exit(2) }
let texts = try JSONDecoder().decode([String: [String]].self, from: Data(contentsOf: URL(fileURLWithPath: args[2])))
let before = residentMB()
let loadStart = Date()
let encoder = try MiniLMEncoder(directory: args[1])
let loadSeconds = Date().timeIntervalSince(loadStart)
let loaded = residentMB()
print("{\"engine\": \"swift\", \"info\": {\"matrixKernel\": \"\(encoder.matrixKernel)\", \"threads\": \(ProcessInfo.processInfo.activeProcessorCount), \"loadSeconds\": \(String(format: "%.2f", loadSeconds)), \"fingerprint\": \"\(encoder.descriptor.fingerprint)\"}}")

var peak = loaded
for pieces in ["16", "128"] {
    let all = texts[pieces]!
    for notes in encoder.tokenize(all) where notes.pieces != Int(pieces)! { print("text with \(notes.pieces) pieces"); exit(1) }
    for batch in [1, 32] {
        let sample = batch == 1 ? Array(all.prefix(32)) : all
        let repeats = batch == 1 ? 1 : 2
        _ = try encoder.encode(Array(sample.prefix(batch)))                     // warm up
        var n = 0
        let wall = Date(), cpu = cpuSeconds()
        for _ in 0..<repeats {
            var s = 0
            while s < sample.count {
                let chunk = Array(sample[s..<min(s + batch, sample.count)])
                _ = try encoder.encode(chunk)
                n += chunk.count
                s += batch
            }
        }
        let seconds = Date().timeIntervalSince(wall), cpuMs = (cpuSeconds() - cpu) * 1000 / Double(n)
        peak = max(peak, residentMB())
        print("{\"engine\": \"swift\", \"pieces\": \(pieces), \"batch\": \(batch), \"sentencesPerSecond\": \(String(format: "%.1f", Double(n) / seconds)), \"cpuMsPerSentence\": \(String(format: "%.3f", cpuMs))}")
    }
}
print("{\"engine\": \"swift\", \"rssMB\": {\"beforeLoad\": \(String(format: "%.1f", before)), \"afterLoad\": \(String(format: "%.1f", loaded)), \"peak\": \(String(format: "%.1f", peak)), \"growth\": \(String(format: "%.1f", peak - before))}}")
