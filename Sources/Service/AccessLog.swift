import Foundation
import HTTPServer

/// JSON lines on standard output, one per request (and for operational events), written by a
/// background thread so that logging never waits on the terminal or a pipe.
public final class AccessLog: @unchecked Sendable {
    private let condition = NSCondition()
    private var buffer: [UInt8] = []
    public let enabled: Bool
    private let output: FileHandle

    public init(enabled: Bool, output: FileHandle = .standardOutput) {
        self.enabled = enabled
        self.output = output
        let t = Thread { [self] in self.drainForever() }
        t.name = "access-log"
        t.start()
    }

    /// One request line: method, path, status, bytes, ms, request id.
    public func request(method: String, path: String, status: Int, bytes: Int, milliseconds: Double, requestID: String) {
        guard enabled else { return }
        let ms = (milliseconds * 1000).rounded() / 1000
        line("{\"ts\":\"\(Self.timestamp())\",\"level\":\"info\",\"msg\":\"request\",\"method\":\"\(esc(method))\",\"path\":\"\(esc(path))\",\"status\":\(status),\"bytes\":\(bytes),\"ms\":\(ms),\"requestId\":\"\(esc(requestID))\"}")
    }

    /// An operational event with string fields. Never pass secrets here.
    public func event(_ message: String, level: String = "info", _ fields: [(String, String)] = []) {
        var s = "{\"ts\":\"\(Self.timestamp())\",\"level\":\"\(esc(level))\",\"msg\":\"\(esc(message))\""
        for (k, v) in fields { s += ",\"\(esc(k))\":\"\(esc(v))\"" }
        line(s + "}")
    }

    private func line(_ text: String) {
        condition.lock()
        buffer.append(contentsOf: text.utf8)
        buffer.append(10)
        condition.signal()
        condition.unlock()
    }

    /// Writes out what is buffered (used before exit).
    public func flush() {
        condition.lock()
        let pending = buffer
        buffer.removeAll(keepingCapacity: true)
        condition.unlock()
        if !pending.isEmpty { try? output.write(contentsOf: pending) }
    }

    private func drainForever() {
        while true {
            condition.lock()
            while buffer.isEmpty { condition.wait() }
            let pending = buffer
            buffer.removeAll(keepingCapacity: true)
            condition.unlock()
            try? output.write(contentsOf: pending)
        }
    }

    private func esc(_ s: String) -> String { JSONText.escape(s) }

    static func timestamp() -> String {
        let now = Date()
        return now.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted))
    }
}
