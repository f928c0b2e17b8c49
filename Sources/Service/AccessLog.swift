import Foundation
import HTTPServer

/// JSON lines on standard output: one per request (the access log, when enabled) and one per operational
/// event. Logging never makes a request wait:
///
/// - Lines are formatted by hand into a byte buffer (no JSON encoder, no date formatter; the timestamp's
///   date and time of day are formatted once a second) and appended under a lock held for that copy alone.
/// - A background thread writes the buffer out in batches: woken when the buffer turns non-empty, it lets
///   lines gather for `batchInterval` (or until `batchBytes` wait), then swaps the buffer for an empty one and
///   writes everything with one call. A busy server thus pays one wake-up and one write per batch, not per line.
/// - The buffer is bounded (`maxBufferedBytes`). When the sink cannot keep up (a full disk, a pipe nobody
///   reads), lines that do not fit are dropped, never waited for: `droppedLines` counts them (exported as
///   `incognita_log_lines_dropped_total`), and once the sink takes lines again an event line says how many
///   were lost. Lines that a failing sink rejects are counted the same way.
///
/// Every line carries `instance`, the replica's name (`--instance-id`), right after its timestamp, so that
/// the lines of several replicas gathered in one place (a log collector, `kubectl logs -l`) can be told apart.
///
/// Lines from one connection stay in order: each is appended before its response is sent, so before the
/// connection's next request is read.
public final class AccessLog: @unchecked Sendable {
    /// Whether request lines are written (events always are).
    public let enabled: Bool
    /// Most bytes waiting to be written; lines beyond it are dropped and counted.
    public let maxBufferedBytes: Int
    /// How long the writer lets lines gather after the first one of a batch arrives.
    public let batchInterval: Double
    /// A batch this large is written at once.
    public let batchBytes: Int
    /// The replica's name, written into every line.
    public let instance: String

    /// `","instance":"NAME` (JSON-escaped), written after the timestamp; the line's next key closes the string.
    private let instanceField: [UInt8]
    private let output: FileHandle
    private let condition = NSCondition()
    private var buffer: [UInt8] = []
    private var spare: [UInt8] = []
    private var writerIdle = false
    private var writerGathering = false
    private var flushRequested = false
    private var appendedBytes = 0
    private var writtenBytes = 0
    private var dropped = 0
    /// "YYYY-MM-DDTHH:MM:SS" of `timestampSecond`, reused for every line in that second.
    private var timestampSecond = Int.min
    private var timestampPrefix: [UInt8] = []

    public init(enabled: Bool, instance: String = ServiceConfiguration.defaultInstanceID(), output: FileHandle = .standardOutput,
                maxBufferedBytes: Int = 4 << 20, batchInterval: Double = 0.005, batchBytes: Int = 64 << 10) {
        self.enabled = enabled
        self.instance = instance
        var field = Array("\",\"instance\":\"".utf8)
        ByteText.appendJSONEscaped(instance, to: &field)
        self.instanceField = field
        self.output = output
        self.maxBufferedBytes = max(4096, maxBufferedBytes)
        self.batchInterval = batchInterval
        self.batchBytes = batchBytes
        buffer.reserveCapacity(min(self.maxBufferedBytes, batchBytes * 2))
        spare.reserveCapacity(min(self.maxBufferedBytes, batchBytes * 2))
        let t = Thread { [self] in self.drainForever() }
        t.name = "access-log"
        t.start()
    }

    /// Lines dropped so far because the sink could not keep up (or failed).
    public var droppedLines: Int {
        condition.lock(); defer { condition.unlock() }
        return dropped
    }

    // MARK: lines

    /// One request line: method, path, status, bytes (-1 for a streamed body), milliseconds, request id,
    /// and the trace id and span id of the request.
    public func request(method: String, path: String, status: Int, bytes: Int, microseconds: Int, requestID: String, trace: TraceContext) {
        guard enabled else { return }
        append { out in
            out.append(contentsOf: Self.levelInfoRequest)
            out.append(contentsOf: Self.keyMethod); ByteText.appendJSONEscaped(method, to: &out)
            out.append(contentsOf: Self.keyPath); ByteText.appendJSONEscaped(path, to: &out)
            out.append(contentsOf: Self.keyStatus); ByteText.appendDecimal(status, to: &out)
            out.append(contentsOf: Self.keyBytes); ByteText.appendDecimal(bytes, to: &out)
            out.append(contentsOf: Self.keyMs); Self.appendMilliseconds(microseconds, to: &out)
            out.append(contentsOf: Self.keyRequestID); ByteText.appendJSONEscaped(requestID, to: &out); out.append(0x22)
            Self.appendTrace(trace, to: &out)
            out.append(0x7D) // }
        }
    }

    /// An operational event with string fields; inside a request, job or session it carries that trace's
    /// `traceId` and `spanId`. Never pass secrets here.
    public func event(_ message: String, level: String = "info", _ fields: [(String, String)] = [], trace: TraceContext? = TraceContext.current) {
        append { out in
            out.append(contentsOf: Self.keyLevel); ByteText.appendJSONEscaped(level, to: &out)
            out.append(contentsOf: Self.keyMsg); ByteText.appendJSONEscaped(message, to: &out)
            out.append(0x22)
            for (key, value) in fields {
                out.append(contentsOf: [0x2C, 0x22]); ByteText.appendJSONEscaped(key, to: &out)
                out.append(contentsOf: [0x22, 0x3A, 0x22]); ByteText.appendJSONEscaped(value, to: &out)
                out.append(0x22)
            }
            if let trace { Self.appendTrace(trace, to: &out) }
            out.append(0x7D)
        }
    }

    private static let levelInfoRequest = Array("\",\"level\":\"info\",\"msg\":\"request\"".utf8)
    private static let keyLevel = Array("\",\"level\":\"".utf8)
    private static let keyMsg = Array("\",\"msg\":\"".utf8)
    private static let keyMethod = Array(",\"method\":\"".utf8)
    private static let keyPath = Array("\",\"path\":\"".utf8)
    private static let keyStatus = Array("\",\"status\":".utf8)
    private static let keyBytes = Array(",\"bytes\":".utf8)
    private static let keyMs = Array(",\"ms\":".utf8)
    private static let keyRequestID = Array(",\"requestId\":\"".utf8)
    private static let keyTraceID = Array(",\"traceId\":\"".utf8)
    private static let keySpanID = Array("\",\"spanId\":\"".utf8)
    private static let lineStart = Array("{\"ts\":\"".utf8)

    /// `,"traceId":"…","spanId":"…"`.
    private static func appendTrace(_ trace: TraceContext, to out: inout [UInt8]) {
        out.append(contentsOf: keyTraceID)
        trace.appendTraceID(to: &out)
        out.append(contentsOf: keySpanID)
        ByteText.appendHex(trace.spanID, to: &out)
        out.append(0x22)
    }

    /// Microseconds as milliseconds with three decimals: 1234 → `1.234`.
    private static func appendMilliseconds(_ micros: Int, to out: inout [UInt8]) {
        let us = max(0, micros)
        ByteText.appendDecimal(us / 1000, to: &out)
        out.append(0x2E)
        ByteText.appendPadded(us % 1000, width: 3, to: &out)
    }

    /// Formats one line (after the timestamp) straight into the shared buffer, or drops it when the buffer is full.
    /// The buffer is moved into a local for the formatting (one exclusivity check instead of one per append).
    private func append(_ body: (inout [UInt8]) -> Void) {
        let now = Date().timeIntervalSince1970
        let seconds = Int(now.rounded(.down))
        let millis = min(999, Int((now - Double(seconds)) * 1000))
        condition.lock()
        var out: [UInt8] = []
        swap(&out, &buffer)
        let start = out.count
        if start >= maxBufferedBytes {
            swap(&out, &buffer)
            dropped += 1
            condition.unlock()
            return
        }
        out.append(contentsOf: Self.lineStart)
        if seconds != timestampSecond { formatTimestampPrefix(seconds) }
        out.append(contentsOf: timestampPrefix)
        out.append(0x2E)
        ByteText.appendPadded(millis, width: 3, to: &out)
        out.append(0x5A) // Z
        out.append(contentsOf: instanceField)
        body(&out)
        out.append(0x0A)
        let end = out.count
        if end > maxBufferedBytes { out.removeSubrange(start...) }
        swap(&out, &buffer)
        if end > maxBufferedBytes {
            dropped += 1
        } else {
            appendedBytes += end - start
            if writerIdle || (writerGathering && end >= batchBytes) {
                writerIdle = false
                writerGathering = false
                condition.signal()
            }
        }
        condition.unlock()
    }

    private func formatTimestampPrefix(_ seconds: Int) {
        let c = CivilTime(epochSeconds: seconds)
        var p: [UInt8] = []
        p.reserveCapacity(19)
        ByteText.appendPadded(c.year, width: 4, to: &p); p.append(0x2D)
        ByteText.appendPadded(c.month, width: 2, to: &p); p.append(0x2D)
        ByteText.appendPadded(c.day, width: 2, to: &p); p.append(0x54)
        ByteText.appendPadded(c.hour, width: 2, to: &p); p.append(0x3A)
        ByteText.appendPadded(c.minute, width: 2, to: &p); p.append(0x3A)
        ByteText.appendPadded(c.second, width: 2, to: &p)
        timestampPrefix = p
        timestampSecond = seconds
    }

    // MARK: writing

    /// Waits until every line appended before the call has been handed to the sink, or `timeout` seconds
    /// (a sink that takes nothing must not keep the process from exiting). True when everything was written.
    @discardableResult
    public func flush(timeout: Double = 2) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        let target = appendedBytes
        while writtenBytes < target {
            flushRequested = true
            writerIdle = false
            condition.broadcast()
            if !condition.wait(until: deadline) { return writtenBytes >= target }
        }
        return true
    }

    private func drainForever() {
        var reportedDrops = 0
        while true {
            condition.lock()
            while buffer.isEmpty {
                writerIdle = true
                condition.wait()
            }
            writerIdle = false
            if !flushRequested && buffer.count < batchBytes {
                // Let a batch gather; a full batch or a flush cuts the wait short.
                writerGathering = true
                _ = condition.wait(until: Date().addingTimeInterval(batchInterval))
                writerGathering = false
            }
            swap(&buffer, &spare)
            let batchEnd = appendedBytes
            let dropsSoFar = dropped
            flushRequested = false
            condition.unlock()

            var lost = 0
            do { try output.write(contentsOf: spare) } catch {
                lost = spare.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            }
            spare.removeAll(keepingCapacity: true)

            condition.lock()
            dropped += lost
            writtenBytes = batchEnd
            condition.broadcast()
            condition.unlock()
            if lost == 0 && dropsSoFar > reportedDrops {
                event("log lines dropped: the output did not keep up", level: "warn",
                      [("dropped", String(dropsSoFar - reportedDrops)), ("droppedTotal", String(dropsSoFar))], trace: nil)
                reportedDrops = dropsSoFar
            }
        }
    }
}
