import CLibPQ
import Foundation
import Glibc

/// One blocking connection to PostgreSQL through libpq — the only file that calls libpq.
///
/// Every call blocks the calling thread (a worker, job or heartbeat thread; never an I/O loop) and is
/// bounded: `connect_timeout` for dialling, TCP keepalives and `tcp_user_timeout` for a peer that
/// vanished, `statement_timeout` for a statement. Parameters travel separately from the SQL text
/// (`PQexecParams`), text or binary (`bytea`), so nothing is ever spliced into a statement.
///
/// ```swift
/// let c = try PostgresConnection(url: "postgres://app@db:5432/incognita", connectTimeout: 5)
/// let rows = try c.execute("SELECT status FROM jobs WHERE id = $1", [.text(id)])
/// print(rows.string(0, 0) ?? "none")
/// ```
final class PostgresConnection: @unchecked Sendable {
    /// A statement parameter.
    enum Value: Sendable {
        case text(String)
        case bytes([UInt8])
        case null

        static func int(_ v: Int) -> Value { .text(String(v)) }
        static func double(_ v: Double) -> Value { .text(String(v)) }
        static func bool(_ v: Bool) -> Value { .text(v ? "true" : "false") }
        static func optional(_ v: String?) -> Value { v.map { .text($0) } ?? .null }
    }

    /// What went wrong: the server's message and SQLSTATE, and whether the connection is gone.
    struct Failure: Error, CustomStringConvertible {
        let message: String
        let sqlState: String?
        let connectionLost: Bool
        var description: String { sqlState.map { "\(message) (SQLSTATE \($0))" } ?? message }
        /// 23505: a unique constraint refused the row.
        var isUniqueViolation: Bool { sqlState == "23505" }
        /// Worth trying again later: the link was lost or could not be made (class 08), the server is starting,
        /// stopping or out of connections (57P01–57P03, 53300), or the statement lost a serialization race, a
        /// deadlock or a lock or statement timeout (40001, 40P01, 55P03, 57014); also no free pool connection.
        var isTransient: Bool {
            if connectionLost || message == PostgresPool.busy.message { return true }
            guard let state = sqlState else { return false }
            return state.hasPrefix("08") || ["40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03", "53300"].contains(state)
        }
    }

    /// A result: every value as bytes (text-format results are UTF-8 text), nil for SQL NULL.
    struct Rows: Sendable {
        let columns: [String]
        let values: [[[UInt8]?]]
        var count: Int { values.count }

        func bytes(_ row: Int, _ column: Int) -> [UInt8]? { values[row][column] }
        func string(_ row: Int, _ column: Int) -> String? { values[row][column].map { String(decoding: $0, as: UTF8.self) } }
        func int(_ row: Int, _ column: Int) -> Int? { string(row, column).flatMap { Int($0) } }
        func double(_ row: Int, _ column: Int) -> Double? { string(row, column).flatMap { Double($0) } }
        /// Text-format booleans are "t" / "f".
        func bool(_ row: Int, _ column: Int) -> Bool? { string(row, column).map { $0 == "t" } }
    }

    private let conn: OpaquePointer

    /// Dials `url` (a `postgres://` URI or a libpq keyword string) with the time limits above.
    /// `applicationName` shows in `pg_stat_activity`.
    init(url: String, connectTimeout: Int = 5, statementTimeoutMilliseconds: Int = 15_000, applicationName: String = "incognita") throws {
        let keys = ["dbname", "connect_timeout", "application_name", "keepalives", "keepalives_idle", "keepalives_interval",
                    "keepalives_count", "tcp_user_timeout", "options"]
        let values = [url, String(max(2, connectTimeout)), applicationName, "1", "5", "2", "3", "10000",
                      "-c statement_timeout=\(statementTimeoutMilliseconds) -c lock_timeout=\(statementTimeoutMilliseconds)"]
        let keyPointers = keys.map { strdup($0) } + [nil]
        let valuePointers = values.map { strdup($0) } + [nil]
        defer {
            keyPointers.forEach { free($0) }
            valuePointers.forEach { free($0) }
        }
        let c: OpaquePointer? = keyPointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { k in
            valuePointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in
                PQconnectdbParams(k.baseAddress, v.baseAddress, 1)
            }
        }
        guard let c else { throw Failure(message: "libpq could not allocate a connection", sqlState: nil, connectionLost: true) }
        guard PQstatus(c) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(c))
            PQfinish(c)
            throw Failure(message: message.isEmpty ? "the connection failed" : message, sqlState: nil, connectionLost: true)
        }
        conn = c
    }

    deinit { PQfinish(conn) }

    /// False once the server or the network dropped the connection: the pool then dials a new one.
    var isHealthy: Bool { PQstatus(conn) == CONNECTION_OK }

    private static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "" }
        return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs one statement. `binaryResult` asks for binary values (use it for `bytea` columns only).
    @discardableResult
    func execute(_ sql: String, _ parameters: [Value] = [], binaryResult: Bool = false) throws -> Rows {
        var storage: [[UInt8]] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        var isNull: [Bool] = []
        for p in parameters {
            switch p {
            case .text(let s): storage.append(Array(s.utf8) + [0]); lengths.append(0); formats.append(0); isNull.append(false)
            case .bytes(let b): storage.append(b); lengths.append(Int32(b.count)); formats.append(1); isNull.append(false)
            case .null: storage.append([]); lengths.append(0); formats.append(0); isNull.append(true)
            }
        }
        let result: OpaquePointer? = Self.withPointers(storage, isNull) { pointers in
            PQexecParams(conn, sql, Int32(parameters.count), nil, pointers, lengths, formats, binaryResult ? 1 : 0)
        }
        guard let result else { throw failure(nil) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return Rows(columns: [], values: [])
        case PGRES_TUPLES_OK:
            let n = Int(PQntuples(result)), m = Int(PQnfields(result))
            var columns: [String] = []
            for j in 0..<m { columns.append(String(cString: PQfname(result, Int32(j)))) }
            var values: [[[UInt8]?]] = []
            values.reserveCapacity(n)
            for i in 0..<n {
                var row: [[UInt8]?] = []
                row.reserveCapacity(m)
                for j in 0..<m {
                    if PQgetisnull(result, Int32(i), Int32(j)) == 1 { row.append(nil); continue }
                    let length = Int(PQgetlength(result, Int32(i), Int32(j)))
                    let base = PQgetvalue(result, Int32(i), Int32(j))
                    row.append(base.map { UnsafeRawBufferPointer(start: $0, count: length).map { $0 } } ?? [])
                }
                values.append(row)
            }
            return Rows(columns: columns, values: values)
        default:
            throw failure(result)
        }
    }

    /// Runs several statements given as one text (no parameters): migrations.
    func executeScript(_ sql: String) throws {
        guard let result = PQexec(conn, sql) else { throw failure(nil) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else { throw failure(result) }
    }

    private func failure(_ result: OpaquePointer?) -> Failure {
        var message = Self.trimmed(result.flatMap { PQresultErrorMessage($0) })
        if message.isEmpty { message = Self.trimmed(PQerrorMessage(conn)) }
        let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        return Failure(message: message.isEmpty ? "the statement failed" : message, sqlState: state, connectionLost: !isHealthy)
    }

    /// Copies each parameter into memory of its own for the duration of the call.
    private static func withPointers<R>(_ storage: [[UInt8]], _ isNull: [Bool], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        var copies: [UnsafeMutablePointer<CChar>?] = []
        copies.reserveCapacity(storage.count)
        for (i, bytes) in storage.enumerated() {
            if isNull[i] { copies.append(nil); continue }
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, bytes.count))
            bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress { UnsafeMutableRawPointer(p).copyMemory(from: base, byteCount: bytes.count) }
            }
            copies.append(p)
        }
        defer { copies.forEach { $0?.deallocate() } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }

    // MARK: - notifications (LISTEN / NOTIFY)

    /// The socket to wait on for notifications.
    var socket: Int32 { PQsocket(conn) }

    /// Reads what arrived on the socket and returns the notifications received: (channel, payload).
    func notifications() throws -> [(channel: String, payload: String)] {
        guard PQconsumeInput(conn) == 1 else { throw failure(nil) }
        var out: [(String, String)] = []
        while let n = PQnotifies(conn) {
            out.append((String(cString: n.pointee.relname), String(cString: n.pointee.extra)))
            PQfreemem(n)
        }
        return out
    }

    /// Waits up to `timeout` seconds for the socket to become readable; true when it did.
    func waitReadable(timeout: Double) -> Bool {
        var pfd = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let rc = poll(&pfd, 1, Int32(max(0, timeout * 1000)))
        return rc > 0
    }
}
