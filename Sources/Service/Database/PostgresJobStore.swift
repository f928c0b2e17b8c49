import Foundation

/// Jobs in the shared database: table `jobs` (the `JobSnapshot` as JSON in `record`, plus the
/// columns replicas coordinate on) and `job_checkpoints` (opaque bytes). Claims use
/// `FOR UPDATE SKIP LOCKED`, leases the database's clock; every write by the running replica is
/// fenced by `running_on = <this instance> AND status = 'running'`.
struct PostgresJobStore: SharedJobStore {
    let pool: PostgresPool
    let instanceID: String

    private static func encode(_ s: JobSnapshot) throws -> String {
        String(decoding: try LocalJobStore.encoder.encode(s), as: UTF8.self)
    }

    private static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    private static func decode(_ text: String?) -> JobSnapshot? {
        guard let text else { return nil }
        return try? decoder.decode(JobSnapshot.self, from: Data(text.utf8))
    }

    /// The job created under the idempotency key `id` (its digest), read on `c` (inside the caller's transaction).
    static func job(idempotencyID id: String, on c: PostgresConnection) throws -> JobSnapshot? {
        let rows = try c.execute("SELECT record::text FROM jobs WHERE record->'idempotency'->>'id' = $1 ORDER BY created_at LIMIT 1", [.text(id)])
        return rows.count == 1 ? decode(rows.string(0, 0)) : nil
    }

    // MARK: SharedJobStore

    func insert(_ snapshot: JobSnapshot, joinKey: String?, maxQueued: Int) throws -> (snapshot: JobSnapshot, inserted: Bool) {
        let record = try Self.encode(snapshot)
        return try pool.run { c in
            let rows = try c.execute("""
                INSERT INTO jobs (id, kind, status, record, join_key)
                SELECT $1, $2, 'queued', $3::jsonb, $4
                WHERE (SELECT count(*) FROM jobs WHERE status = 'queued') < $5
                ON CONFLICT (join_key) WHERE join_key IS NOT NULL AND status IN ('queued', 'running') DO NOTHING
                RETURNING id
                """, [.text(snapshot.id), .text(snapshot.kind), .text(record), .optional(joinKey), .int(maxQueued)])
            if rows.count == 1 { return (snapshot, true) }
            if let joinKey {
                let existing = try c.execute("SELECT record::text FROM jobs WHERE join_key = $1 AND status IN ('queued', 'running')", [.text(joinKey)])
                if existing.count == 1, let s = Self.decode(existing.string(0, 0)) { return (s, false) }
            }
            throw JobManager.QueueFull()
        }
    }

    func load(id: String) throws -> JobSnapshot? {
        try pool.run { c in Self.decode(try c.execute("SELECT record::text FROM jobs WHERE id = $1", [.text(id)]).values.first.flatMap { $0[0] }.map { String(decoding: $0, as: UTF8.self) }) }
    }

    func claim(kinds: [String], lease: Double) throws -> JobSnapshot? {
        let kindList = "{" + kinds.map { "\"\($0)\"" }.joined(separator: ",") + "}"
        let rows = try pool.run { c in
            try c.execute("""
                UPDATE jobs SET status = 'running', running_on = $1, lease_expires_at = now() + make_interval(secs => $2),
                       runs = runs + 1,
                       record = record || jsonb_build_object('status', 'running', 'runningOn', $1::text)
                WHERE id = (SELECT id FROM jobs
                            WHERE (status = 'queued' OR (status = 'running' AND lease_expires_at < now())) AND kind = ANY($3::text[])
                            ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING record::text
                """, [.text(instanceID), .double(lease), .text(kindList)])
        }
        return rows.count == 1 ? Self.decode(rows.string(0, 0)) : nil
    }

    func renew(_ snapshot: JobSnapshot, lease: Double) throws -> Bool {
        let record = try Self.encode(snapshot)
        return try pool.run(wait: 2) { c in
            try c.execute("""
                UPDATE jobs SET record = $2::jsonb, lease_expires_at = now() + make_interval(secs => $3)
                WHERE id = $1 AND running_on = $4 AND status = 'running' RETURNING id
                """, [.text(snapshot.id), .text(record), .double(lease), .text(instanceID)]).count == 1
        }
    }

    func handBack(_ snapshot: JobSnapshot) throws {
        var s = snapshot
        s.status = .queued
        s.runningOn = nil
        let record = try Self.encode(s)
        try pool.run(wait: 2) { c in
            try c.execute("""
                UPDATE jobs SET status = 'queued', running_on = NULL, lease_expires_at = NULL, record = $2::jsonb
                WHERE id = $1 AND running_on = $3 AND status = 'running'
                """, [.text(s.id), .text(record), .text(instanceID)])
        }
    }

    func finish(_ snapshot: JobSnapshot) throws -> Bool {
        let record = try Self.encode(snapshot)
        return try pool.run { c in
            let updated = try c.execute("""
                UPDATE jobs SET status = $2, record = $3::jsonb, running_on = NULL, lease_expires_at = NULL, finished_at = now()
                WHERE id = $1 AND running_on = $4 AND status = 'running' RETURNING id
                """, [.text(snapshot.id), .text(snapshot.status.rawValue), .text(record), .text(instanceID)]).count == 1
            if updated { try c.execute("DELETE FROM job_checkpoints WHERE job_id = $1", [.text(snapshot.id)]) }
            return updated
        }
    }

    func cancel(id: String) throws -> (snapshot: JobSnapshot, cancelled: Bool)? {
        let now = ISO8601DateFormatter().string(from: Date())
        return try pool.run { c in
            let rows = try c.execute("""
                UPDATE jobs SET status = 'cancelled', cancel_requested = true, running_on = NULL, lease_expires_at = NULL,
                       finished_at = now(),
                       record = (record || jsonb_build_object('status', 'cancelled', 'finishedAt', $2::text)) - 'runningOn'
                WHERE id = $1 AND status IN ('queued', 'running') RETURNING record::text
                """, [.text(id), .text(now)])
            if rows.count == 1, let s = Self.decode(rows.string(0, 0)) {
                try c.execute("DELETE FROM job_checkpoints WHERE job_id = $1", [.text(id)])
                return (s, true)
            }
            let existing = try c.execute("SELECT record::text FROM jobs WHERE id = $1", [.text(id)])
            guard existing.count == 1, let s = Self.decode(existing.string(0, 0)) else { return nil }
            return (s, false)
        }
    }

    func prune(finishedBefore seconds: Double) throws {
        try pool.run { c in
            try c.execute("DELETE FROM jobs WHERE finished_at < now() - make_interval(secs => $1)", [.double(seconds)])
        }
    }

    // MARK: JobStore

    func save(_ snapshot: JobSnapshot) throws {
        let record = try Self.encode(snapshot)
        try pool.run { c in
            try c.execute("""
                INSERT INTO jobs (id, kind, status, record) VALUES ($1, $2, $3, $4::jsonb)
                ON CONFLICT (id) DO UPDATE SET status = $3, record = $4::jsonb
                """, [.text(snapshot.id), .text(snapshot.kind), .text(snapshot.status.rawValue), .text(record)])
        }
    }

    /// Replicas do not restore jobs at start: the table is the queue.
    func loadAll() -> [JobSnapshot] { [] }

    func remove(id: String) {
        _ = try? pool.run { try $0.execute("DELETE FROM jobs WHERE id = $1", [.text(id)]) }
    }

    /// Fenced: only the replica running the job writes its checkpoint.
    func saveCheckpoint(id: String, _ bytes: [UInt8]) throws {
        let written = try pool.run { c in
            try c.execute("""
                INSERT INTO job_checkpoints (job_id, bytes)
                SELECT $1, $2::bytea WHERE EXISTS (SELECT 1 FROM jobs WHERE id = $1 AND running_on = $3 AND status = 'running')
                ON CONFLICT (job_id) DO UPDATE SET bytes = excluded.bytes, saved_at = now()
                RETURNING job_id
                """, [.text(id), .bytes(bytes), .text(instanceID)]).count
        }
        if written == 0 { throw JobLeaseLost() }
    }

    func loadCheckpoint(id: String) -> [UInt8]? {
        (try? pool.run { c in try c.execute("SELECT bytes FROM job_checkpoints WHERE job_id = $1", [.text(id)], binaryResult: true) })
            .flatMap { $0.count == 1 ? $0.bytes(0, 0) : nil }
    }

    func removeCheckpoint(id: String) {
        _ = try? pool.run { try $0.execute("DELETE FROM job_checkpoints WHERE job_id = $1", [.text(id)]) }
    }
}
