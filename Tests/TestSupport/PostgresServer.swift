import Foundation
import Glibc

/// A throw-away PostgreSQL 15 cluster for tests: `initdb` in a temporary folder, the server on
/// 127.0.0.1 and a free port (its socket folder private too), stopped by its own process id — also
/// when a test fails (deinit). As root (CI) it runs as the `postgres` user, which the server demands.
///
/// ```swift
/// let pg = try PostgresServer()
/// let url = try pg.createDatabase("alice")     // postgres://postgres@127.0.0.1:PORT/alice
/// try pg.restart()                             // stop (fast) and start again on the same port
/// ```
public final class PostgresServer: @unchecked Sendable {
    public static let binaries = "/usr/lib/postgresql/15/bin"
    public let directory: URL
    public let port: Int
    private var process: Process?
    private var output = Pipe()

    public init() throws {
        guard FileManager.default.isExecutableFile(atPath: "\(Self.binaries)/postgres") else {
            throw RawHTTPClient.Failure(description: "PostgreSQL 15 is not installed (\(Self.binaries)); `make deps` installs it")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("run"), withIntermediateDirectories: true)
        port = try ServerProcess.freePort()
        // initdb runs once per test process; each cluster starts from a copy of that one.
        let template = try Self.template()
        let (copied, text) = try Self.run("/bin/cp", ["-a", template.path, directory.appendingPathComponent("data").path])
        guard copied == 0 else { throw RawHTTPClient.Failure(description: "copying the template cluster failed: \(text)") }
        if geteuid() == 0 { _ = try Self.run("/bin/chown", ["-R", "postgres:postgres", directory.path]) }
        try start()
    }

    private static let templateLock = NSLock()
    nonisolated(unsafe) private static var templateDirectory: URL?

    /// A freshly initialised data folder (made once; removed when the test process exits).
    private static func template() throws -> URL {
        templateLock.lock(); defer { templateLock.unlock() }
        if let t = templateDirectory { return t }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-pg-template-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        if geteuid() == 0 { _ = try run("/bin/chown", ["postgres:postgres", root.path]) }
        let data = root.appendingPathComponent("data")
        let (status, text) = try run("\(binaries)/initdb", ["-D", data.path, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync",
                                                             "--no-instructions"], asPostgres: true)
        guard status == 0 else { throw RawHTTPClient.Failure(description: "initdb failed: \(text)") }
        templateDirectory = data
        templateRoot = root.path
        atexit { if let r = PostgresServer.templateRoot { try? FileManager.default.removeItem(atPath: r) } }
        return data
    }

    nonisolated(unsafe) private static var templateRoot: String?

    /// The URL of the cluster's `postgres` database, or of `name`.
    public func url(_ name: String = "postgres") -> String { "postgres://postgres@127.0.0.1:\(port)/\(name)" }

    /// Creates a database and returns its URL.
    public func createDatabase(_ name: String) throws -> String {
        let (status, text) = try psql(["-c", "CREATE DATABASE \(name)"], database: "postgres")
        guard status == 0 else { throw RawHTTPClient.Failure(description: "CREATE DATABASE failed: \(text)") }
        return url(name)
    }

    /// Runs psql against `database`; returns its status and output.
    public func psql(_ arguments: [String], database: String) throws -> (Int32, String) {
        try Self.run("\(Self.binaries)/psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                                               "-d", database] + arguments)
    }

    /// Everything in `database` as SQL text (pg_dump), for tests that look for what must not be stored.
    public func dump(_ database: String) throws -> String {
        let (status, text) = try Self.run("\(Self.binaries)/pg_dump", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "--data-only", database])
        guard status == 0 else { throw RawHTTPClient.Failure(description: "pg_dump failed: \(text)") }
        return text
    }

    public var isRunning: Bool { process?.isRunning ?? false }

    /// Starts the server and waits until it accepts connections.
    public func start() throws {
        let p = Process()
        let args = ["-D", directory.appendingPathComponent("data").path, "-p", String(port), "-c", "listen_addresses=127.0.0.1",
                    "-c", "unix_socket_directories=\(directory.appendingPathComponent("run").path)", "-c", "fsync=off",
                    "-c", "full_page_writes=off", "-c", "synchronous_commit=off", "-c", "max_connections=200", "-c", "shared_buffers=32MB"]
        Self.configure(p, "\(Self.binaries)/postgres", args, asPostgres: true)
        output.fileHandleForReading.readabilityHandler = nil
        output = Pipe()
        p.standardOutput = output
        p.standardError = output
        output.fileHandleForReading.readabilityHandler = { h in _ = h.availableData }
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let (status, _) = try? Self.run("\(Self.binaries)/pg_isready", ["-h", "127.0.0.1", "-p", String(port), "-t", "1"]), status == 0 { return }
            guard p.isRunning else { break }
            usleep(50_000)
        }
        throw RawHTTPClient.Failure(description: "PostgreSQL did not start on port \(port)")
    }

    /// Fast shutdown (SIGINT) by pid, waiting for the process to end.
    public func stop() {
        guard let p = process, p.isRunning else { return }
        kill(p.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(15)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
    }

    public func restart() throws {
        stop()
        try start()
    }

    deinit {
        stop()
        output.fileHandleForReading.readabilityHandler = nil
        try? FileManager.default.removeItem(at: directory)
    }

    private static func configure(_ p: Process, _ executable: String, _ arguments: [String], asPostgres: Bool) {
        if asPostgres && geteuid() == 0 {
            // setpriv execs the program itself, so the process id is the server's own.
            p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            p.arguments = ["--reuid=postgres", "--regid=postgres", "--clear-groups", executable] + arguments
        } else {
            p.executableURL = URL(fileURLWithPath: executable)
            p.arguments = arguments
        }
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], asPostgres: Bool = false) throws -> (Int32, String) {
        let p = Process()
        configure(p, executable, arguments, asPostgres: asPostgres)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
