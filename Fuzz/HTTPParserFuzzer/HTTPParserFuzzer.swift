import Foundation
import HTTPServer

/// Fuzzes the request-head parser and the chunked-body decoder with arbitrary bytes.
/// Built with `-sanitize=fuzzer,address -DFUZZING` it is a libFuzzer target (see Fuzz/run.sh);
/// built normally it replays files given as arguments (the regression mode used by the tests).
enum HTTPParserFuzz {
    /// Must never crash, hang or allocate without bound, whatever the input. The first byte picks limits,
    /// so small limits (where off-by-one errors live) are exercised as well as the defaults.
    static func run(_ data: UnsafeRawBufferPointer) {
        guard !data.isEmpty else { return }
        let selector = data[0]
        let bytes = Array(data.dropFirst())
        let parser = selector & 1 == 0
            ? RequestHeadParser()
            : RequestHeadParser(maxRequestLineBytes: 16 + Int(selector >> 2), maxHeaderBytes: 32 + Int(selector), maxHeaderCount: Int(selector % 7), maxBodyBytes: Int(selector) * 3)
        let result = bytes.withUnsafeBufferPointer { parser.parse($0) }
        var bodyStart = 0
        if case .complete(let head, let consumed) = result {
            precondition(consumed <= bytes.count, "consumed past the input")
            precondition(head.path.hasPrefix("/") || head.target == "*", "path must be absolute")
            bodyStart = consumed
        }
        // Feed the rest (or everything) to the chunked decoder, in two pieces to exercise resumption.
        var decoder = ChunkedBodyDecoder(maxBodyBytes: 1 << 16, maxLineBytes: 256)
        let body = Array(bytes[bodyStart...])
        let split = body.count / 2
        var buffer = Array(body[..<split])
        var next = Array(body[split...])
        for _ in 0..<2 {
            var consumed = 0
            let step = buffer.withUnsafeBufferPointer { decoder.feed($0, consumed: &consumed) }
            precondition(consumed <= buffer.count, "decoder consumed past the input")
            if step != .needMore { break }
            buffer = Array(buffer[consumed...]) + next
            next = []
        }
        precondition(decoder.body.count <= 1 << 16, "decoded body exceeds its cap")
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    HTTPParserFuzz.run(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}

/// SwiftPM links an executable's entry point under this name; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

@_cdecl("HTTPParserFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { start, size in fuzzOne(start, size) }
}
#else
@main
struct HTTPParserReplay {
    static func main() {
        var files: [String] = []
        for path in CommandLine.arguments.dropFirst() {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                files += ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            data.withUnsafeBytes { HTTPParserFuzz.run($0) }
        }
        print("replayed \(files.count) inputs without a crash")
    }
}
#endif
