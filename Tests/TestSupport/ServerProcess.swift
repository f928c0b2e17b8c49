import Foundation
import Glibc

/// Starts the real `incognita` executable on 127.0.0.1 with a free port and a temporary data
/// directory, waits until it answers, and stops it by its own process id.
public final class ServerProcess: @unchecked Sendable {
    public let process = Process()
    public let port: Int
    public let dataDirectory: URL
    /// A directory the caller passed in is the caller's to remove.
    private let ownsDataDirectory: Bool
    public let output = Pipe()
    private var collected = Data()
    private let lock = NSLock()

    public static var executable: URL { builtProduct("incognita") }

    /// An executable product of this package, from the build folder the tests run from.
    public static func builtProduct(_ name: String) -> URL {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle.appendingPathComponent(name), bundle.deletingLastPathComponent().appendingPathComponent(name),
                          URL(fileURLWithPath: ".build/release/\(name)"), URL(fileURLWithPath: ".build/debug/\(name)")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    /// Runs an executable product of this package to completion: its exit status and standard output.
    public static func runProduct(_ name: String, arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = builtProduct(name)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Starts the server; `port` nil picks a free one (pass one when the arguments must name it).
    public init(arguments: [String] = [], environment: [String: String] = [:], dataDirectory: URL? = nil, port: Int? = nil) throws {
        self.port = try port ?? ServerProcess.freePort()
        self.dataDirectory = dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("incognita-test-\(UUID().uuidString)")
        ownsDataDirectory = dataDirectory == nil
        process.executableURL = ServerProcess.executable
        process.arguments = ["--host", "127.0.0.1", "--port", String(self.port), "--data-dir", self.dataDirectory.path] + arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        env["INCOGNITA_OPENAPI"] = env["INCOGNITA_OPENAPI"] ?? FileManager.default.currentDirectoryPath + "/openapi.yaml"
        process.environment = env
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            guard let self else { return }
            self.lock.lock(); self.collected.append(d); self.lock.unlock()
        }
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let c = try? RawHTTPClient(port: self.port, timeout: 1) {
                try? c.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                if (try? c.readResponse())?.status == 200 { return }
            }
            if !process.isRunning { break }
            usleep(50_000)
        }
        throw RawHTTPClient.Failure(description: "server did not start: \(log)")
    }

    /// What the server printed so far.
    public var log: String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: collected, as: UTF8.self)
    }

    /// Waits until what the server printed contains `text` (its log is written in batches by a thread of its own,
    /// so a line lands a few milliseconds after the event); false on timeout.
    public func waitForLog(containing text: String, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if log.contains(text) { return true }
            usleep(20_000)
        }
        return log.contains(text)
    }

    public func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits for exit and returns the status (nil on timeout).
    public func waitForExit(timeout: Double = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    public func stop() {
        if process.isRunning {
            signal(SIGTERM)
            if waitForExit(timeout: 15) == nil { signal(SIGKILL); _ = waitForExit(timeout: 5) }
        }
    }

    deinit {
        stop()
        output.fileHandleForReading.readabilityHandler = nil
        if ownsDataDirectory { try? FileManager.default.removeItem(at: dataDirectory) }
    }

    /// A port that was free a moment ago (bind to 0, read it, close).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
