import Foundation

/// A few blocking PostgreSQL connections shared by the worker and job threads. A connection that
/// failed with a lost link is dropped and dialled again on next use, so the pool heals by itself
/// when the database comes back after a restart.
///
/// ```swift
/// let status = try pool.run { try $0.execute("SELECT status FROM jobs WHERE id = $1", [.text(id)]).string(0, 0) }
/// try pool.transaction { c in try c.execute("…"); try c.execute("…") }
/// ```
final class PostgresPool: @unchecked Sendable {
    let url: String
    let size: Int
    let connectTimeout: Int
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0

    init(url: String, size: Int, connectTimeout: Int = 5) {
        self.url = url
        self.size = max(1, size)
        self.connectTimeout = connectTimeout
    }

    /// Thrown when no connection became free within the wait.
    static let busy = PostgresConnection.Failure(message: "no database connection became free in time", sqlState: nil, connectionLost: false)

    /// Runs `body` on a connection of the pool (waiting up to `wait` seconds for one). When a connection
    /// kept from before turns out to be dead (the database restarted), `body` runs once more on a new one.
    func run<T>(wait: Double = 10, _ body: (PostgresConnection) throws -> T) throws -> T {
        var (connection, reused) = try acquire(wait: wait)
        while true {
            do {
                let value = try body(connection)
                release(connection)
                return value
            } catch let failure as PostgresConnection.Failure where failure.connectionLost && reused {
                release(connection)
                (connection, reused) = try acquire(wait: wait)
                reused = false
            } catch {
                release(connection)
                throw error
            }
        }
    }

    /// Runs `body` inside BEGIN … COMMIT (ROLLBACK when it throws).
    func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try run { c in
            try c.execute("BEGIN")
            do {
                let value = try body(c)
                try c.execute("COMMIT")
                return value
            } catch {
                if c.isHealthy { _ = try? c.execute("ROLLBACK") }
                throw error
            }
        }
    }

    /// A connection, and whether it was kept from an earlier use. While dialling has just failed
    /// (within the last second) it fails at once instead of making every caller wait for a timeout.
    private func acquire(wait: Double) throws -> (PostgresConnection, Bool) {
        let deadline = Date().addingTimeInterval(wait)
        condition.lock()
        while true {
            if let c = idle.popLast() {
                condition.unlock()
                if c.isHealthy { return (c, true) }
                // Dropped while idle: dial a new one in its place.
                return (try dial(), false)
            }
            if open < size {
                if let failed = lastDialFailure, Date().timeIntervalSince(failed.at) < 1 {
                    condition.unlock()
                    throw failed.error
                }
                open += 1
                condition.unlock()
                return (try dial(), false)
            }
            if !condition.wait(until: deadline) {
                condition.unlock()
                throw Self.busy
            }
        }
    }

    private var lastDialFailure: (at: Date, error: Error)?

    /// Dials a connection for a slot already counted in `open`; the slot is given back when it fails.
    private func dial() throws -> PostgresConnection {
        do {
            let c = try PostgresConnection(url: url, connectTimeout: connectTimeout)
            condition.lock(); lastDialFailure = nil; condition.unlock()
            return c
        } catch {
            condition.lock(); open -= 1; lastDialFailure = (Date(), error); condition.signal(); condition.unlock()
            throw error
        }
    }

    private func release(_ c: PostgresConnection) {
        condition.lock()
        if c.isHealthy { idle.append(c) } else { open -= 1 }
        condition.signal()
        condition.unlock()
    }
}
