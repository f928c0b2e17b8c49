import Foundation
import Glibc
import Testing
@testable import Service

/// The access log never makes a caller wait and never grows without bound, whatever its output does.
@Suite struct AccessLogTests {
    static let trace = TraceContext.resuming(traceID: "4bf92f3577b34da6a3ce929d0e0e4736")

    /// Lines parsed as JSON objects.
    static func objects(_ data: Data) throws -> [[String: Any]] {
        try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "\($0)")
        }
    }

    @Test func linesAreJSONWithTheSameFieldsAndEscaping() throws {
        let pipe = Pipe()
        let log = AccessLog(enabled: true, instance: "pod-\"7\"\\x", output: pipe.fileHandleForWriting)
        let paths = ["/healthz", "/a \"quoted\" \\ path", "/tab\there/nl\nx/\u{1}\u{7f}", "/üñí/€/😀"]
        for (i, path) in paths.enumerated() {
            log.request(method: "GET", path: path, status: 200 + i, bytes: i == 0 ? -1 : 1234, microseconds: 1234 * i + 5,
                        requestID: "req-\(i)", trace: Self.trace)
        }
        log.event("an \"event\"", level: "warn", [("key", "va\"lue\n")], trace: nil)
        TraceContext.$current.withValue(Self.trace) { log.event("inside a request") }
        #expect(log.flush(timeout: 10))
        pipe.fileHandleForWriting.closeFile()
        let lines = try Self.objects(pipe.fileHandleForReading.readDataToEndOfFile())
        #expect(lines.count == paths.count + 2)
        for (i, path) in paths.enumerated() {
            let l = lines[i]
            #expect(l["msg"] as? String == "request" && l["level"] as? String == "info" && l["method"] as? String == "GET")
            #expect(l["path"] as? String == path)
            #expect(l["status"] as? Int == 200 + i && l["bytes"] as? Int == (i == 0 ? -1 : 1234))
            #expect(abs((l["ms"] as? Double ?? -1) - Double(1234 * i + 5) / 1000) < 1e-9)
            #expect(l["requestId"] as? String == "req-\(i)")
            #expect(l["traceId"] as? String == Self.trace.traceID && l["spanId"] as? String == Self.trace.spanIDText)
            let ts = try #require(l["ts"] as? String)
            #expect(ts.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(ts)")
            let f = ISO8601DateFormatter(); f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            #expect(abs(try #require(f.date(from: ts)).timeIntervalSinceNow) < 60)
        }
        #expect(lines.allSatisfy { $0["instance"] as? String == "pod-\"7\"\\x" }, "every line names the replica, escaped")
        #expect(lines[4]["msg"] as? String == "an \"event\"" && lines[4]["key"] as? String == "va\"lue\n" && lines[4]["traceId"] == nil)
        #expect(lines[5]["traceId"] as? String == Self.trace.traceID, "events inside a trace carry it")
    }

    @Test func aSinkNobodyReadsDropsAndCountsLinesWithoutBlocking() throws {
        let pipe = Pipe() // nobody reads it until the end: the kernel's pipe buffer (64 KiB) fills, then writes block
        let log = AccessLog(enabled: true, output: pipe.fileHandleForWriting, maxBufferedBytes: 32 << 10)
        let lines = 20_000
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        // In rounds, so the writer drains a few batches into the pipe until the pipe is full and its write blocks.
        for round in 0..<20 {
            elapsed += clock.measure {
                for i in (round * 1000)..<((round + 1) * 1000) {
                    log.request(method: "GET", path: "/healthz/\(i)", status: 200, bytes: 15, microseconds: 12, requestID: "r\(i)", trace: Self.trace)
                }
            }
            usleep(10_000)
        }
        // Each call only formats and copies a line: even on a loaded machine, far below what blocking would take.
        #expect(elapsed < .seconds(5), "logging \(lines) lines took \(elapsed)")
        #expect(!log.flush(timeout: 0.3), "the sink is stuck, so a flush cannot finish")
        let dropped = log.droppedLines
        #expect(dropped > lines / 2, "lines beyond the bounded buffer are dropped and counted (\(dropped))")

        // Once the sink reads again, what was kept arrives whole and in order, and a line reports the loss.
        let reader = pipe.fileHandleForReading
        let collected = LockedData()
        reader.readabilityHandler = { collected.append($0.availableData) }
        defer { reader.readabilityHandler = nil }
        let deadline = Date().addingTimeInterval(20)
        while !log.flush(timeout: 1) && Date() < deadline {}
        log.request(method: "GET", path: "/after", status: 200, bytes: 15, microseconds: 1, requestID: "after", trace: Self.trace)
        #expect(log.flush(timeout: 10))
        while !collected.text.contains("\"requestId\":\"after\"") && Date() < deadline { usleep(10_000) }
        let objects = try Self.objects(collected.data)
        let kept = objects.compactMap { ($0["path"] as? String).flatMap { Int($0.dropFirst("/healthz/".count)) } }
        let notices = objects.filter { ($0["msg"] as? String)?.hasPrefix("log lines dropped") == true }
        let finalDrops = log.droppedLines
        // Every request line is written or counted; the count may also hold a few of the writer's own notices
        // (at most one per batch) that met the full buffer.
        #expect(kept.count + finalDrops >= lines && kept.count + finalDrops <= lines + 64, "\(kept.count) kept, \(finalDrops) dropped")
        #expect(kept.count > 100 && kept == kept.sorted(), "lines keep their order")
        let last = try #require(notices.last, "a line reports the loss")
        #expect(Int(last["droppedTotal"] as? String ?? "") ?? 0 >= dropped - 64, "the last notice counts the dropped lines")
        #expect(objects.contains { $0["requestId"] as? String == "after" })
    }

    final class LockedData: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes = Data()
        func append(_ d: Data) { lock.lock(); bytes.append(d); lock.unlock() }
        var data: Data { lock.lock(); defer { lock.unlock() }; return bytes }
        var text: String { String(decoding: data, as: UTF8.self) }
    }
}
