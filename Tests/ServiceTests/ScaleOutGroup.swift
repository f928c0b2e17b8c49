import Foundation
import Glibc
import TestSupport

/// One organisation in the scale-out tests: replicas of the real binary sharing one PostgreSQL
/// database, optionally behind nginx. Short leases and checkpoints keep the scenarios quick.
/// Everything is stopped by pid when the group goes away (also when a test fails).
final class ScaleOutGroup: @unchecked Sendable {
    let postgres: PostgresServer
    let database: String
    let databaseURL: String
    let arguments: [String]
    private(set) var replicas: [ServerProcess] = []
    private(set) var balancer: NginxBalancer?

    /// Starts `count` replicas at once (they race through the migrations) and, with `balanced`, nginx in front.
    init(postgres: PostgresServer, database: String, count: Int, balanced: Bool = false, balancerPort: Int? = nil, arguments: [String] = []) throws {
        self.postgres = postgres
        self.database = database
        databaseURL = try postgres.createDatabase(database)
        self.arguments = arguments
        let ports = try (0..<count).map { _ in try ServerProcess.freePort() }
        let started = Locked<[Int: ServerProcess]>([:])
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: count) { i in
            do {
                let r = try Self.replica(databaseURL: databaseURL, name: "\(database)-r\(i)", port: ports[i], arguments: arguments)
                started.mutate { $0[i] = r }
            } catch {
                failures.mutate { $0.append("\(error)") }
            }
        }
        guard failures.value.isEmpty else { throw RawHTTPClient.Failure(description: "replicas did not start: \(failures.value)") }
        replicas = (0..<count).map { started.value[$0]! }
        if balanced { balancer = try NginxBalancer(upstreams: ports, port: balancerPort) }
    }

    static func replica(databaseURL: String, name: String, port: Int, arguments: [String]) throws -> ServerProcess {
        try ServerProcess(arguments: ["--database-url", databaseURL, "--instance-id", name, "--advertise-url", "http://127.0.0.1:\(port)",
                                      "--job-lease", "2", "--checkpoint-seconds", "0.2", "--access-log", "false",
                                      "--shutdown-grace", "5", "--database-timeout", "10"] + arguments, port: port)
    }

    /// The instance id of replica `i`.
    func name(_ i: Int) -> String { "\(database)-r\(i)" }

    func index(named name: String) -> Int? { (0..<replicas.count).first { self.name($0) == name } }

    /// A SQL query's single text result, through psql.
    func sql(_ query: String) throws -> String {
        let (status, out) = try postgres.psql(["-t", "-A", "-c", query], database: database)
        guard status == 0 else { throw RawHTTPClient.Failure(description: "psql failed: \(out)") }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit {
        balancer?.stop()
        for r in replicas { r.stop() }
    }
}

/// A value shared between threads.
final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T { lock.lock(); defer { lock.unlock() }; return stored }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); f(&stored); lock.unlock() }
}

/// Small HTTP helpers over raw sockets (one connection per call, so nginx sees independent requests).
enum ScaleOutHTTP {
    static func call(_ port: Int, _ method: String, _ path: String, body: String? = nil, headers: [String] = [], timeout: Double = 15) throws -> RawResponse {
        let c = try RawHTTPClient(port: port, timeout: timeout)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
        for h in headers { head += h + "\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)" } else { head += "\r\n" }
        try c.send(head)
        return try c.readResponse()
    }

    static func json(_ r: RawResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]) ?? [:]
    }

    /// Submits a Lucas–Lehmer job; returns its id.
    static func submitLucasLehmer(_ port: Int, _ exponent: Int) throws -> String {
        let r = try call(port, "POST", "/v1/primes/lucas-lehmer", body: "{\"exponent\":\(exponent)}")
        guard r.status == 202, let id = json(r)["id"] as? String else {
            throw RawHTTPClient.Failure(description: "job not accepted: \(r.status) \(r.text)")
        }
        return id
    }

    static func job(_ port: Int, _ id: String) throws -> [String: Any] {
        json(try call(port, "GET", "/v1/jobs/\(id)"))
    }

    static func done(_ job: [String: Any]) -> Int { (job["progress"] as? [String: Any])?["done"] as? Int ?? 0 }

    /// Polls until the job ended; returns its document.
    static func waitForEnd(_ port: Int, _ id: String, timeout: Double = 120) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let doc = try? job(port, id), let s = doc["status"] as? String, ["succeeded", "failed", "cancelled"].contains(s) { return doc }
            usleep(100_000)
        }
        throw RawHTTPClient.Failure(description: "job \(id) did not end within \(timeout) s")
    }

    /// `incognita_jobs{state="running"}` of one replica.
    static func runningJobs(_ port: Int) -> Int? {
        guard let r = try? call(port, "GET", "/metrics", timeout: 5) else { return nil }
        for line in r.text.split(separator: "\n") where line.hasPrefix("incognita_jobs{state=\"running\"}") {
            return Int(Double(line.split(separator: " ").last ?? "") ?? -1)
        }
        return nil
    }
}
