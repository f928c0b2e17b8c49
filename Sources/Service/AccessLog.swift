import Foundation
import HTTPServer

/// JSON lines on standard output: one per request (the access log, when enabled) and one per operational
/// event. Logging never makes a request wait:
///
/// - Lines are formatted by hand (no JSON encoder, no date formatter) on the caller's stack, then copied into
///   a shared byte buffer under a lock held for that copy alone.
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

    public init(enabled: Bool, instance: String = ServiceConfiguration.defaultInstanceID(), output: FileHandle = .standardOutput,
                maxBufferedBytes: Int = 4 << 20, batchInterval: Double = 0.005, batchBytes: Int = 64 << 10) {
        self.enabled = enabled
        self.instance = instance
        self.instanceField = ByteWriter.array(atMost: 16 + 6 * instance.utf8.count) { w in
            w.write("\",\"instance\":\"")
            w.writeJSONEscaped(instance)
        } ?? []
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
    public func request(method: String, path: String, status: Int, bytes: Int, microseconds: Int, requestID: RequestID, trace: TraceContext) {
        guard enabled else { return }
        var method = method, path = path
        method.withUTF8 { method in
            path.withUTF8 { path in
                append(bound: 176 + 6 * (method.count + path.count + requestID.byteCount)) { w in
                    w.write(Self.levelInfoRequest)
                    w.write(Self.keyMethod); w.writeJSONEscaped(method)
                    w.write(Self.keyPath); w.writeJSONEscaped(path)
                    w.write(Self.keyStatus); w.writeDecimal(status)
                    w.write(Self.keyBytes); w.writeDecimal(bytes)
                    w.write(Self.keyMs); Self.writeMilliseconds(microseconds, into: &w)
                    w.write(Self.keyRequestID)
                    if let given = requestID.given { w.writeJSONEscaped(given) } else { w.writeHex(requestID.word) }
                    w.write(0x22)
                    Self.writeTrace(trace, into: &w)
                    w.write(0x7D) // }
                }
            }
        }
    }

    /// A request line with the request id as text.
    public func request(method: String, path: String, status: Int, bytes: Int, microseconds: Int, requestID: String, trace: TraceContext) {
        request(method: method, path: path, status: status, bytes: bytes, microseconds: microseconds,
                requestID: RequestID(text: requestID), trace: trace)
    }

    /// An operational event with string fields; inside a request, job or session it carries that trace's
    /// `traceId` and `spanId`. Never pass secrets here.
    public func event(_ message: String, level: String = "info", _ fields: [(String, String)] = [], trace: TraceContext? = TraceContext.current) {
        var bound = 160 + 6 * (message.utf8.count + level.utf8.count)
        for (key, value) in fields { bound += 8 + 6 * (key.utf8.count + value.utf8.count) }
        append(bound: bound) { w in
            w.write(Self.keyLevel); w.writeJSONEscaped(level)
            w.write(Self.keyMsg); w.writeJSONEscaped(message)
            w.write(0x22)
            for (key, value) in fields {
                w.write(",\""); w.writeJSONEscaped(key)
                w.write("\":\""); w.writeJSONEscaped(value)
                w.write(0x22)
            }
            if let trace { Self.writeTrace(trace, into: &w) }
            w.write(0x7D)
        }
    }

    private static let levelInfoRequest: StaticString = "\",\"level\":\"info\",\"msg\":\"request\""
    private static let keyLevel: StaticString = "\",\"level\":\""
    private static let keyMsg: StaticString = "\",\"msg\":\""
    private static let keyMethod: StaticString = ",\"method\":\""
    private static let keyPath: StaticString = "\",\"path\":\""
    private static let keyStatus: StaticString = "\",\"status\":"
    private static let keyBytes: StaticString = ",\"bytes\":"
    private static let keyMs: StaticString = ",\"ms\":"
    private static let keyRequestID: StaticString = ",\"requestId\":\""
    private static let keyTraceID: StaticString = ",\"traceId\":\""
    private static let keySpanID: StaticString = "\",\"spanId\":\""

    /// `,"traceId":"…","spanId":"…"`.
    private static func writeTrace(_ trace: TraceContext, into w: inout ByteWriter) {
        w.write(keyTraceID)
        trace.writeTraceID(into: &w)
        w.write(keySpanID)
        w.writeHex(trace.spanID)
        w.write(0x22)
    }

    /// Microseconds as milliseconds with three decimals: 1234 → `1.234`.
    private static func writeMilliseconds(_ micros: Int, into w: inout ByteWriter) {
        let us = max(0, micros)
        w.writeDecimal(us / 1000)
        w.write(0x2E)
        w.writePadded(us % 1000, width: 3)
    }

    /// Formats one line (timestamp first) on the caller's stack, then copies it into the shared buffer under the
    /// lock, or drops and counts it when the buffer is full. `bound` is at least what `body` writes.
    private func append(bound: Int, _ body: (inout ByteWriter) -> Void) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        withUnsafeTemporaryAllocation(byteCount: bound + 40 + instanceField.count, alignment: 8) { raw in
            var w = ByteWriter(raw)
            w.write("{\"ts\":\"")
            Self.writeTimestamp(seconds: now.tv_sec, millis: min(999, now.tv_nsec / 1_000_000), into: &w)
            w.write(instanceField)
            body(&w)
            w.write(0x0A)
            commit(w.overflowed ? nil : w.written)
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`: the date and time of day are formatted once a second.
    private static func writeTimestamp(seconds: Int, millis: Int, into w: inout ByteWriter) {
        dateAndTime.write(second: seconds, into: &w)
        w.write(0x2E)
        w.writePadded(millis, width: 3)
        w.write(0x5A)
    }

    /// `YYYY-MM-DDTHH:MM:SS` of a second.
    private static let dateAndTime = SecondText(count: 19) { seconds in
        let c = CivilTime(epochSeconds: seconds)
        return ByteWriter.array(atMost: 19) { w in
            w.writePadded(c.year, width: 4); w.write(0x2D)
            w.writePadded(c.month, width: 2); w.write(0x2D)
            w.writePadded(c.day, width: 2); w.write(0x54)
            w.writePadded(c.hour, width: 2); w.write(0x3A)
            w.writePadded(c.minute, width: 2); w.write(0x3A)
            w.writePadded(c.second, width: 2)
        } ?? []
    }

    /// Adds a formatted line to the buffer (nil: a line that did not fit its bound, counted as dropped).
    private func commit(_ line: UnsafeRawBufferPointer?) {
        condition.lock()
        guard let line, buffer.count + line.count <= maxBufferedBytes else {
            dropped += 1
            condition.unlock()
            return
        }
        buffer.append(contentsOf: line)
        appendedBytes += line.count
        if writerIdle || (writerGathering && buffer.count >= batchBytes) {
            writerIdle = false
            writerGathering = false
            condition.signal()
        }
        condition.unlock()
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
