import Foundation

/// Similarity session metadata in `similarity_sessions`, admissions in `similarity_admissions`.
/// The hourly per-peer limit and the running-sessions limit are counted under transaction-level
/// advisory locks, so they hold across replicas.
struct PostgresSimilaritySessionStore: SimilaritySessionStore {
    let pool: PostgresPool
    /// Advisory lock key of the running-sessions count ("simrun").
    static let runningLockKey: Int64 = 0x73_696D_7275_6E

    private static func timestamp(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }

    func insert(_ row: SimilaritySessionRow) throws -> Bool {
        try pool.run { c in
            try c.execute("""
                INSERT INTO similarity_sessions (id, state, owner, owner_url, document, expires_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6::timestamptz)
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, [.text(row.id), .text(row.state), .text(row.owner), .text(row.ownerURL), .text(row.document),
                      .text(Self.timestamp(row.expiresAt))]).count == 1
        }
    }

    func update(_ row: SimilaritySessionRow) throws {
        try pool.run(wait: 5) { c in
            try c.execute("""
                UPDATE similarity_sessions SET state = $2, document = $3::jsonb, updated_at = now()
                WHERE id = $1 AND owner = $4 AND NOT erased
                """, [.text(row.id), .text(row.state), .text(row.document), .text(row.owner)])
        }
    }

    private static func rows(_ r: PostgresConnection.Rows) -> [SimilaritySessionRow] {
        (0..<r.count).map { i in
            SimilaritySessionRow(id: r.string(i, 0) ?? "", state: r.string(i, 1) ?? "", owner: r.string(i, 2) ?? "", ownerURL: r.string(i, 3) ?? "",
                                 document: r.string(i, 4) ?? "{}", expiresAt: Date(timeIntervalSince1970: r.double(i, 5) ?? 0))
        }
    }

    private static let columns = "id, state, owner, coalesce(owner_url, ''), document::text, extract(epoch FROM expires_at)"

    func load(id: String) throws -> SimilaritySessionRow? {
        try pool.run { c in
            Self.rows(try c.execute("SELECT \(Self.columns) FROM similarity_sessions WHERE id = $1 AND NOT erased", [.text(id)])).first
        }
    }

    func list() throws -> [SimilaritySessionRow] {
        try pool.run { c in
            Self.rows(try c.execute("""
                SELECT \(Self.columns) FROM similarity_sessions WHERE NOT erased
                ORDER BY document->>'createdAt' DESC, id LIMIT 10000
                """))
        }
    }

    func erase(id: String) throws {
        try pool.run { c in
            try c.execute("UPDATE similarity_sessions SET erased = true, document = '{}'::jsonb, updated_at = now() WHERE id = $1", [.text(id)])
        }
    }

    func admit(peer: String, limit: Int) throws -> Bool {
        try pool.transaction { c in
            try c.execute("SELECT pg_advisory_xact_lock(hashtext($1))", [.text("similarity-peer:" + peer)])
            try c.execute("DELETE FROM similarity_admissions WHERE peer = $1 AND admitted_at < now() - interval '1 hour'", [.text(peer)])
            let count = try c.execute("SELECT count(*) FROM similarity_admissions WHERE peer = $1", [.text(peer)]).int(0, 0) ?? 0
            guard count < limit else { return false }
            try c.execute("INSERT INTO similarity_admissions (peer) VALUES ($1)", [.text(peer)])
            return true
        }
    }

    func tryStart(id: String, limit: Int) throws -> Bool {
        try pool.transaction { c in
            try c.execute("SELECT pg_advisory_xact_lock($1)", [.text(String(Self.runningLockKey))])
            let running = try c.execute("SELECT count(*) FROM similarity_sessions WHERE state = 'running' AND NOT erased AND id <> $1",
                                        [.text(id)]).int(0, 0) ?? 0
            guard running < limit else { return false }
            try c.execute("UPDATE similarity_sessions SET state = 'running', updated_at = now() WHERE id = $1", [.text(id)])
            return true
        }
    }

    func sweep(staleSeconds: Double, keepSeconds: Double) throws -> [SimilaritySessionLoss] {
        try pool.run { c in
            let failed = try c.execute("""
                WITH lost AS (
                    SELECT id, state FROM similarity_sessions
                    WHERE state IN ('invited', 'incoming', 'running') AND NOT erased
                      AND owner NOT IN (SELECT id FROM instances WHERE heartbeat_at > now() - make_interval(secs => $1))
                    FOR UPDATE SKIP LOCKED)
                UPDATE similarity_sessions s SET state = 'failed', updated_at = now(),
                       document = s.document || jsonb_build_object('state', 'failed',
                           'error', jsonb_build_object('field', 'session', 'message', 'the replica running this session stopped'))
                FROM lost WHERE s.id = lost.id
                RETURNING s.id, lost.state, s.document->>'peer'
                """, [.double(staleSeconds)])
            try c.execute("DELETE FROM similarity_sessions WHERE expires_at < now() - make_interval(secs => $1)", [.double(keepSeconds)])
            return (0..<failed.count).map { SimilaritySessionLoss(id: failed.string($0, 0) ?? "", previousState: failed.string($0, 1) ?? "",
                                                                  peer: failed.string($0, 2) ?? "") }
        }
    }
}
