import Foundation

/// Idempotency keys shared by every replica, in `idempotency_keys` (one row a key: the digest of scope
/// and key, the request's fingerprint, the claim, and once completed the answer as JSON).
///
/// The primary key makes the claim atomic across replicas: `INSERT … ON CONFLICT DO NOTHING` succeeds
/// for exactly one request; the others find the row and replay it, refuse a different fingerprint, or
/// poll while it is claimed. A claim lives `claimLease` seconds: when the replica holding it dies before
/// completing or releasing it, another replica takes the key over after that. Rows older than the
/// retention are deleted (on a claim of the same key, and by a sweep at most once a minute).
///
/// A replica that dies between creating a job and recording the answer leaves a claim without one; the
/// job carries its key, so whoever finds the claim expired answers with that job instead of starting another.
final class PostgresIdempotencyStore: IdempotencyStore, @unchecked Sendable {
    let pool: PostgresPool
    let instanceID: String
    let retention: TimeInterval
    let claimLease: TimeInterval
    private let lock = NSLock()
    private var lastSweep = Date.distantPast

    init(pool: PostgresPool, instanceID: String, retention: TimeInterval = 24 * 3600, claimLease: TimeInterval = 60) {
        self.pool = pool
        self.instanceID = instanceID
        self.retention = retention
        self.claimLease = claimLease
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    /// One step of a claim: nil while another request holds the key.
    private func attempt(id: String, fingerprint: String) throws -> IdempotencyClaim? {
        try pool.transaction { c in
            try c.execute("DELETE FROM idempotency_keys WHERE id = $1 AND created_at < now() - make_interval(secs => $2)",
                          [.text(id), .double(retention)])
            let inserted = try c.execute("""
                INSERT INTO idempotency_keys (id, fingerprint, claimed_by, claim_expires_at)
                VALUES ($1, $2, $3, now() + make_interval(secs => $4))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, [.text(id), .text(fingerprint), .text(instanceID), .double(claimLease)]).count == 1
            if inserted { return .claimed }
            let rows = try c.execute("""
                SELECT fingerprint, record, coalesce(claim_expires_at < now(), false) FROM idempotency_keys WHERE id = $1 FOR UPDATE
                """, [.text(id)])
            guard rows.count == 1 else { return nil }     // released meanwhile: try again
            guard rows.string(0, 0) == fingerprint else { return .mismatch }
            if let text = rows.string(0, 1) {
                return .replay(try Self.decoder.decode(IdempotencyRecord.self, from: Data(text.utf8)))
            }
            guard rows.bool(0, 2) == true else { return nil }
            // The replica that claimed it stopped answering for it. If it got as far as creating the job,
            // the job (which carries its key) holds the answer; else this request takes the key over.
            if let job = try PostgresJobStore.job(idempotencyID: id, on: c), let record = IdempotentRequests.acceptedRecord(of: job),
               Date().timeIntervalSince(record.createdAt) < retention {
                guard record.fingerprint == fingerprint else { return .mismatch }
                try c.execute("UPDATE idempotency_keys SET record = $2, claimed_by = NULL, claim_expires_at = NULL WHERE id = $1",
                              [.text(id), .text(String(decoding: try Self.encoder.encode(record), as: UTF8.self))])
                return .replay(record)
            }
            try c.execute("UPDATE idempotency_keys SET claimed_by = $2, claim_expires_at = now() + make_interval(secs => $3) WHERE id = $1",
                          [.text(id), .text(instanceID), .double(claimLease)])
            return .claimed
        }
    }

    func claim(id: String, fingerprint: String, now: Date, wait: TimeInterval) throws -> IdempotencyClaim {
        sweepIfDue()
        let deadline = Date().addingTimeInterval(wait)
        while true {
            if let claim = try attempt(id: id, fingerprint: fingerprint) { return claim }
            if Date() >= deadline { return .inProgress }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    func complete(_ record: IdempotencyRecord) throws {
        let json = String(decoding: try Self.encoder.encode(record), as: UTF8.self)
        try pool.run { c in
            try c.execute("""
                INSERT INTO idempotency_keys (id, fingerprint, record) VALUES ($1, $2, $3)
                ON CONFLICT (id) DO UPDATE SET fingerprint = $2, record = $3, claimed_by = NULL, claim_expires_at = NULL
                """, [.text(record.id), .text(record.fingerprint), .text(json)])
        }
    }

    func release(id: String) {
        _ = try? pool.run { c in
            try c.execute("DELETE FROM idempotency_keys WHERE id = $1 AND record IS NULL AND claimed_by = $2", [.text(id), .text(instanceID)])
        }
    }

    func adopt(_ record: IdempotencyRecord) throws {
        guard Date().timeIntervalSince(record.createdAt) < retention else { return }
        let json = String(decoding: try Self.encoder.encode(record), as: UTF8.self)
        try pool.run { c in
            try c.execute("""
                INSERT INTO idempotency_keys (id, fingerprint, record, created_at) VALUES ($1, $2, $3, $4::timestamptz)
                ON CONFLICT (id) DO UPDATE SET record = $3, claimed_by = NULL, claim_expires_at = NULL
                WHERE idempotency_keys.record IS NULL AND idempotency_keys.fingerprint = $2
                """, [.text(record.id), .text(record.fingerprint), .text(json), .text(ISO8601DateFormatter().string(from: record.createdAt))])
        }
    }

    /// Deletes keys past the retention, at most once a minute per replica.
    private func sweepIfDue() {
        lock.lock()
        let due = Date().timeIntervalSince(lastSweep) >= 60
        if due { lastSweep = Date() }
        lock.unlock()
        guard due else { return }
        _ = try? pool.run { c in
            try c.execute("DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1)", [.double(retention)])
        }
    }
}
