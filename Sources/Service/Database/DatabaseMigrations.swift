import Foundation

/// The versioned schema. Every replica applies what is missing at start, inside one transaction
/// that holds a transaction-level advisory lock, so replicas starting together apply each
/// migration exactly once. Migrations are additive only (new tables, nullable columns, indexes):
/// old and new binaries run side by side during a rolling update.
///
/// To change the schema, append a migration with the next version; never edit a released one.
enum DatabaseMigrations {
    struct Migration {
        let version: Int
        let name: String
        let sql: String
    }

    /// `pg_advisory_xact_lock` key of the migration step ("incognit" as 8 ASCII bytes).
    static let lockKey: Int64 = 0x696E_636F_676E_6974

    static let all: [Migration] = [
        Migration(version: 1, name: "jobs, expansions, identity, similarity sessions, instances", sql: """
            CREATE TABLE instances (
                id text PRIMARY KEY,
                advertise_url text,
                started_at timestamptz NOT NULL DEFAULT now(),
                heartbeat_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE jobs (
                id text PRIMARY KEY,
                kind text NOT NULL,
                status text NOT NULL,
                record jsonb NOT NULL,
                running_on text,
                lease_expires_at timestamptz,
                cancel_requested boolean NOT NULL DEFAULT false,
                join_key text,
                runs integer NOT NULL DEFAULT 0,
                created_at timestamptz NOT NULL DEFAULT now(),
                finished_at timestamptz
            );
            CREATE INDEX jobs_claimable ON jobs (created_at) WHERE status IN ('queued', 'running');
            CREATE UNIQUE INDEX jobs_join_key ON jobs (join_key) WHERE join_key IS NOT NULL AND status IN ('queued', 'running');
            CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
            CREATE TABLE job_checkpoints (
                job_id text PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
                bytes bytea NOT NULL,
                saved_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE expansions (
                exponent bigint PRIMARY KEY,
                digits bigint NOT NULL,
                chunk_digits integer NOT NULL,
                chunks integer NOT NULL,
                compressed_bytes bigint NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE expansion_chunks (
                exponent bigint NOT NULL,
                seq integer NOT NULL,
                data bytea NOT NULL,
                PRIMARY KEY (exponent, seq)
            );
            CREATE TABLE identity_key (
                id integer PRIMARY KEY CHECK (id = 1),
                key_pair bytea NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE similarity_sessions (
                id text PRIMARY KEY,
                state text NOT NULL,
                owner text NOT NULL,
                owner_url text,
                document jsonb NOT NULL,
                expires_at timestamptz NOT NULL,
                erased boolean NOT NULL DEFAULT false,
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX similarity_sessions_active ON similarity_sessions (owner) WHERE state IN ('invited', 'incoming', 'running');
            CREATE TABLE similarity_admissions (
                peer text NOT NULL,
                admitted_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX similarity_admissions_peer ON similarity_admissions (peer, admitted_at);
            """),
        Migration(version: 2, name: "idempotency keys", sql: """
            CREATE TABLE idempotency_keys (
                id text PRIMARY KEY,
                fingerprint text NOT NULL,
                claimed_by text,
                claim_expires_at timestamptz,
                record text,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
            CREATE INDEX jobs_idempotency ON jobs ((record->'idempotency'->>'id')) WHERE record ? 'idempotency';
            """),
    ]

    /// Applies every migration newer than the database's version; returns (before, after).
    @discardableResult
    static func apply(_ pool: PostgresPool) throws -> (from: Int, to: Int) {
        try pool.transaction { c in
            try c.execute("SELECT pg_advisory_xact_lock($1)", [.text(String(lockKey))])
            try c.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let current = try c.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").int(0, 0) ?? 0
            for m in all where m.version > current {
                try c.executeScript(m.sql)
                try c.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [.int(m.version), .text(m.name)])
            }
            return (current, max(current, all.last?.version ?? 0))
        }
    }
}
