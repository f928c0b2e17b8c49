import Foundation

/// The shared PostgreSQL database of a group of replicas (`--database-url`): the connection pool,
/// the schema, this replica's row in `instances` (heartbeat every second, which also decides
/// readiness), and notifications between replicas (`LISTEN incognita`).
///
/// ```swift
/// let db = try Database(url: url, instanceID: "web-1", advertiseURL: "http://10.0.0.5:8080", startTimeout: 30, log: log)
/// db.onNotification { payload in … }      // "job", "cancel:<id>"
/// db.start()
/// ```
public final class Database: @unchecked Sendable {
    /// The one channel replicas notify each other on.
    static let channel = "incognita"

    let pool: PostgresPool
    public let instanceID: String
    public let advertiseURL: String
    private let log: AccessLog
    private let lock = NSLock()
    private var reachable = true
    private var stopped = false
    private var handlers: [@Sendable (String) -> Void] = []

    /// Dials the database until it answers or `startTimeout` seconds pass, then applies the migrations.
    /// Throws a message naming the host and libpq's reason when it cannot.
    public init(url: String, instanceID: String, advertiseURL: String, startTimeout: Double, poolSize: Int, log: AccessLog) throws {
        self.pool = PostgresPool(url: url, size: poolSize, connectTimeout: Int(min(10, max(2, startTimeout)).rounded(.up)))
        self.instanceID = instanceID
        self.advertiseURL = advertiseURL
        self.log = log
        let deadline = Date().addingTimeInterval(startTimeout)
        var lastError = ""
        while true {
            do {
                let (from, to) = try DatabaseMigrations.apply(pool)
                log.event("database ready", [("database", Self.redacted(url)), ("schemaVersion", String(to)),
                                             ("migrated", from == to ? "no" : "from \(from)")])
                break
            } catch {
                lastError = "\(error)"
                if Date() >= deadline {
                    throw Unreachable(description: "the database \(Self.redacted(url)) could not be reached within \(Int(startTimeout)) s: \(lastError)")
                }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        try pool.run { c in
            try c.execute("""
                INSERT INTO instances (id, advertise_url) VALUES ($1, $2)
                ON CONFLICT (id) DO UPDATE SET advertise_url = $2, started_at = now(), heartbeat_at = now()
                """, [.text(instanceID), .text(advertiseURL)])
        }
    }

    public struct Unreachable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The URL without its password, for logs and messages.
    public static func redacted(_ url: String) -> String {
        guard var c = URLComponents(string: url) else { return "(unparsable URL)" }
        if c.password != nil { c.password = "***" }
        return c.string ?? "(unparsable URL)"
    }

    /// Whether the last heartbeat reached the database (readiness).
    public var isReachable: Bool { lock.lock(); defer { lock.unlock() }; return reachable && !stopped }

    /// Registers a handler for notification payloads (called on the listener thread).
    func onNotification(_ handler: @escaping @Sendable (String) -> Void) {
        lock.lock(); handlers.append(handler); lock.unlock()
    }

    /// Starts the heartbeat and listener threads.
    func start() {
        let heartbeat = Thread { [self] in heartbeatLoop() }
        heartbeat.name = "db-heartbeat"
        heartbeat.start()
        let listener = Thread { [self] in listenLoop() }
        listener.name = "db-listen"
        listener.start()
    }

    /// Leaves the group: the row in `instances` is removed so nobody forwards to this replica.
    func stop() {
        lock.lock(); stopped = true; lock.unlock()
        _ = try? pool.run(wait: 2) { try $0.execute("DELETE FROM instances WHERE id = $1", [.text(instanceID)]) }
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    /// Best-effort `NOTIFY incognita, payload`: a missed notification only delays others until their next tick.
    func notify(_ payload: String) {
        _ = try? pool.run(wait: 2) { try $0.execute("SELECT pg_notify($1, $2)", [.text(Self.channel), .text(payload)]) }
    }

    /// Advertise URLs of the replicas that heartbeated within `freshSeconds`, by instance id.
    func liveInstances(freshSeconds: Double) throws -> [String: String] {
        let rows = try pool.run { c in
            try c.execute("SELECT id, coalesce(advertise_url, '') FROM instances WHERE heartbeat_at > now() - make_interval(secs => $1)",
                          [.double(freshSeconds)])
        }
        var out: [String: String] = [:]
        for i in 0..<rows.count { out[rows.string(i, 0) ?? ""] = rows.string(i, 1) ?? "" }
        return out
    }

    private func setReachable(_ value: Bool, _ error: String = "") {
        lock.lock()
        let changed = reachable != value
        reachable = value
        lock.unlock()
        guard changed else { return }
        if value {
            log.event("database reachable again")
        } else {
            log.event("database unreachable", level: "error", [("error", error)])
        }
    }

    private func heartbeatLoop() {
        while !isStopped {
            do {
                try pool.run(wait: 2) { c in
                    try c.execute("""
                        INSERT INTO instances (id, advertise_url) VALUES ($1, $2)
                        ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), advertise_url = $2
                        """, [.text(instanceID), .text(advertiseURL)])
                }
                setReachable(true)
            } catch {
                setReachable(false, "\(error)")
            }
            Thread.sleep(forTimeInterval: 1)
        }
    }

    private func listenLoop() {
        var connection: PostgresConnection?
        while !isStopped {
            do {
                if connection == nil || !(connection?.isHealthy ?? false) {
                    let c = try PostgresConnection(url: pool.url, connectTimeout: pool.connectTimeout, statementTimeoutMilliseconds: 0)
                    try c.execute("LISTEN \(Self.channel)")
                    connection = c
                    // Something may have been missed while not listening: let every handler look again.
                    dispatch("tick")
                }
                guard let c = connection else { continue }
                if c.waitReadable(timeout: 0.5) {
                    for n in try c.notifications() where n.channel == Self.channel { dispatch(n.payload) }
                }
            } catch {
                connection = nil
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
    }

    private func dispatch(_ payload: String) {
        lock.lock(); let hs = handlers; lock.unlock()
        for h in hs { h(payload) }
    }
}

/// A database failure seen by a request: 503, the caller may retry.
extension PostgresConnection.Failure: APIErrorConvertible {
    var apiError: APIError { .unavailable("the database is unreachable; try again shortly", retryAfter: 2) }
}
