import Foundation

/// Idempotency keys of one instance: completed records as `<id>.json` in a directory of the data
/// directory (written atomically, loaded at start, so they survive a restart), claims in memory (a
/// request in flight does not outlive the process). Records older than the retention are forgotten.
public final class LocalIdempotencyStore: IdempotencyStore, @unchecked Sendable {
    public let directory: URL
    public let retention: TimeInterval
    /// Most keys held at once (completed and in flight); beyond it a new key is refused with 503.
    public let capacity: Int
    private let condition = NSCondition()
    private var records: [String: IdempotencyRecord] = [:]
    private var claims: [String: String] = [:]

    public init(directory: URL, retention: TimeInterval = 24 * 3600, capacity: Int = 100_000) {
        self.directory = directory
        self.retention = retention
        self.capacity = capacity
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let now = Date()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] where name.hasSuffix(".json") {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path),
                  let record = try? decoder.decode(IdempotencyRecord.self, from: data), "\(record.id).json" == name else { continue }
            if now.timeIntervalSince(record.createdAt) >= retention {
                try? FileManager.default.removeItem(at: url)
            } else {
                records[record.id] = record
            }
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    public func claim(id: String, fingerprint: String, now: Date, wait: TimeInterval) throws -> IdempotencyClaim {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(wait)
        while true {
            if let record = records[id] {
                if now.timeIntervalSince(record.createdAt) < retention {
                    return record.fingerprint == fingerprint ? .replay(record) : .mismatch
                }
                forget(id)
            }
            guard let holder = claims[id] else { break }
            if holder != fingerprint { return .mismatch }
            if Date() >= deadline { return .inProgress }
            _ = condition.wait(until: deadline)
        }
        if records.count + claims.count >= capacity { pruneExpired(now: now) }
        guard records.count + claims.count < capacity else {
            throw APIError.unavailable("this instance holds \(capacity) idempotency keys; try again later or without a key", retryAfter: 60)
        }
        claims[id] = fingerprint
        return .claimed
    }

    public func complete(_ record: IdempotencyRecord) throws {
        condition.lock()
        records[record.id] = record
        claims[record.id] = nil
        condition.broadcast()
        condition.unlock()
        // Kept in memory even when the write fails, so retries to this process still find it.
        try AtomicFile.write(Array(try Self.encoder.encode(record)), to: directory.appendingPathComponent("\(record.id).json"))
    }

    public func adopt(_ record: IdempotencyRecord) throws {
        condition.lock()
        let known = records[record.id] != nil || Date().timeIntervalSince(record.createdAt) >= retention
        condition.unlock()
        if !known { try complete(record) }
    }

    public func release(id: String) {
        condition.lock()
        claims[id] = nil
        condition.broadcast()
        condition.unlock()
    }

    /// Caller holds the lock.
    private func forget(_ id: String) {
        records[id] = nil
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("\(id).json"))
    }

    /// Caller holds the lock.
    private func pruneExpired(now: Date) {
        for (id, record) in records where now.timeIntervalSince(record.createdAt) >= retention { forget(id) }
    }
}
