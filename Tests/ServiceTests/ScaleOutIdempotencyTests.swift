import Foundation
import Testing
import TestSupport
import SecureSimilarity
@testable import Service

/// Idempotency keys shared through PostgreSQL: the same key sent to two replicas (at once, or one after
/// the other) creates one job and one session, a different request under it is refused on any replica,
/// and the keys outlive every replica.
@Suite struct ScaleOutIdempotencyTests {
    @Test func theSameKeyOnTwoReplicasCreatesOneJobAndOneSession() throws {
        let pg = try PostgresServer()
        let group = try ScaleOutGroup(postgres: pg, database: "idempotency", count: 2)
        let ports = group.replicas.map(\.port)
        let rawKey = UUID().uuidString
        let key = "Idempotency-Key: \(rawKey)"
        let body = #"{"exponent":50021}"#

        // Eight retries at once, alternating between the replicas.
        let answers = Locked<[(Int, String, String?)]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            guard let r = try? ScaleOutHTTP.call(ports[i % 2], "POST", "/v1/primes/lucas-lehmer", body: body, headers: [key]) else { return }
            answers.mutate { $0.append((r.status, r.text, r.header("Location"))) }
        }
        let all = answers.value
        #expect(all.count == 8)
        #expect(all.allSatisfy { $0.0 == 202 })
        #expect(Set(all.map(\.1)).count == 1, "every retry answers the same body")
        #expect(Set(all.map(\.2)).count == 1)
        #expect(try group.sql("SELECT count(*) FROM jobs") == "1")
        #expect(try group.sql("SELECT count(*) FROM idempotency_keys WHERE record IS NOT NULL") == "1")
        // Only a digest of the key is stored, nowhere the key itself.
        #expect(try group.sql("SELECT id FROM idempotency_keys") == digest(of: rawKey))
        #expect(try group.sql("SELECT count(*) FROM idempotency_keys WHERE concat_ws(',', id, fingerprint, claimed_by, record) LIKE '%\(rawKey)%'") == "0")
        #expect(!(try pg.dump("idempotency")).contains(rawKey))

        // Later, on the other replica: the same answer; another request under the key: 422 naming it.
        let later = try ScaleOutHTTP.call(ports[1], "POST", "/v1/primes/lucas-lehmer", body: #"{ "exponent" : 50021 }"#, headers: [key])
        #expect(later.status == 202 && later.text == all[0].1 && later.header("Idempotent-Replayed") == "true")
        let other = try ScaleOutHTTP.call(ports[0], "POST", "/v1/primes/lucas-lehmer", body: #"{"exponent":50023}"#, headers: [key])
        #expect(other.status == 422 && other.text.contains(#""field":"Idempotency-Key""#))
        #expect(try group.sql("SELECT count(*) FROM jobs") == "1")

        // A session: one row, whichever replica each retry reached.
        let sessionKey = "Idempotency-Key: \(UUID().uuidString)"
        let session = #"{"peer":"loopback","sentences":["one sentence"],"label":"idempotent"}"#
        let ids = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            guard let r = try? ScaleOutHTTP.call(ports[i % 2], "POST", "/v1/similarity/sessions", body: session, headers: [sessionKey]),
                  r.status == 201, let id = ScaleOutHTTP.json(r)["id"] as? String else { return }
            ids.mutate { $0.append(id) }
        }
        #expect(ids.value.count == 4 && Set(ids.value).count == 1)
        #expect(try group.sql("SELECT count(*) FROM similarity_sessions") == "1")

        // Every replica gone, a new one on the same database: the keys are still there.
        for r in group.replicas { r.stop() }
        let fresh = try ScaleOutGroup.replica(databaseURL: group.databaseURL, name: "idempotency-r9", port: try ServerProcess.freePort(), arguments: [])
        defer { fresh.stop() }
        let afterRestart = try ScaleOutHTTP.call(fresh.port, "POST", "/v1/primes/lucas-lehmer", body: body, headers: [key])
        #expect(afterRestart.status == 202 && afterRestart.text == all[0].1)
        #expect(try group.sql("SELECT count(*) FROM jobs") == "1")
    }

    /// What a crash, the clock and an upgrade leave behind: a claim whose replica died after creating its
    /// job answers with that job; one that died before creating anything is taken over; a key older than
    /// 24 hours is forgotten (and swept); replicas starting at once on a database of the previous schema
    /// version migrate it once.
    @Test func crashedClaimsExpiredKeysAndConcurrentMigrations() throws {
        let pg = try PostgresServer()
        var group: ScaleOutGroup? = try ScaleOutGroup(postgres: pg, database: "idemcrash", count: 2)
        let ports = group!.replicas.map(\.port)
        let sql = { (q: String) throws -> String in try group!.sql(q) }

        // A claim another replica holds and is still working on (its lease runs): a retry waits for it,
        // 10 s at most, then answers 409 with Retry-After and starts nothing. Runs beside the steps below.
        let k0 = "busy-\(UUID().uuidString)"
        _ = try sql("""
            INSERT INTO idempotency_keys (id, fingerprint, claimed_by, claim_expires_at)
            VALUES ('\(digest(of: k0))', '\(fingerprint(#"{"exponent":50069}"#))', 'busy-replica', now() + interval '1 minute')
            """)
        let busy = Locked<RawResponse?>(nil)
        let busyDone = DispatchGroup()
        let busyStart = Date()
        DispatchQueue.global().async(group: busyDone) {
            let r = try? ScaleOutHTTP.call(ports[0], "POST", "/v1/primes/lucas-lehmer", body: #"{"exponent":50069}"#,
                                           headers: ["Idempotency-Key: \(k0)"], timeout: 30)
            busy.mutate { $0 = r }
        }

        // A replica died between creating the job and recording the answer: its claim expired, and the
        // job, which carries its key, answers the retry on the other replica. Nothing starts twice.
        let rawK1 = "crash-\(UUID().uuidString)"
        let k1 = "Idempotency-Key: \(rawK1)"
        let first = try ScaleOutHTTP.call(ports[0], "POST", "/v1/primes/lucas-lehmer", body: #"{"exponent":50033}"#, headers: [k1])
        #expect(first.status == 202)
        let firstID = ScaleOutHTTP.json(first)["id"] as? String
        _ = try sql("UPDATE idempotency_keys SET record = NULL, claimed_by = 'dead-replica', claim_expires_at = now() - interval '1 second' WHERE id = '\(digest(of: rawK1))'")
        let recovered = try ScaleOutHTTP.call(ports[1], "POST", "/v1/primes/lucas-lehmer", body: #"{"exponent":50033}"#, headers: [k1])
        #expect(recovered.status == 202 && recovered.header("Idempotent-Replayed") == "true")
        #expect(ScaleOutHTTP.json(recovered)["id"] as? String == firstID && firstID != nil)
        #expect(recovered.header("Location") == "/v1/jobs/\(firstID ?? "")")
        #expect(try sql("SELECT count(*) FROM jobs") == "1")
        #expect(try sql("SELECT count(*) FROM idempotency_keys WHERE record IS NOT NULL AND claimed_by IS NULL AND id = '\(digest(of: rawK1))'") == "1")
        // A different request under that key is still refused.
        let changed = try ScaleOutHTTP.call(ports[0], "POST", "/v1/primes/lucas-lehmer", body: #"{"exponent":50047}"#, headers: [k1])
        #expect(changed.status == 422 && changed.text.contains(#""field":"Idempotency-Key""#))

        // A replica died before creating anything: once its claim expired, the retry runs the request.
        let k2 = "crash-\(UUID().uuidString)"
        let id2 = digest(of: k2)
        _ = try sql("""
            INSERT INTO idempotency_keys (id, fingerprint, claimed_by, claim_expires_at)
            VALUES ('\(id2)', '\(fingerprint(#"{"exponent":50033}"#))', 'dead-replica', now() - interval '1 second')
            """)
        let takenOver = try ScaleOutHTTP.call(ports[1], "POST", "/v1/primes/lucas-lehmer", body: #"{"exponent":50033}"#, headers: ["Idempotency-Key: \(k2)"])
        #expect(takenOver.status == 202 && takenOver.header("Idempotent-Replayed") == nil)
        #expect(ScaleOutHTTP.json(takenOver)["id"] as? String != firstID)
        #expect(try sql("SELECT count(*) FROM jobs") == "2")

        // 24 hours later the key is forgotten: the same request under it starts a new job.
        _ = try sql("UPDATE idempotency_keys SET created_at = now() - interval '24 hours 1 minute' WHERE id = '\(id2)'")
        let afterADay = try ScaleOutHTTP.call(ports[0], "POST", "/v1/primes/lucas-lehmer", body: #"{"exponent":50033}"#, headers: ["Idempotency-Key: \(k2)"])
        #expect(afterADay.status == 202 && afterADay.header("Idempotent-Replayed") == nil)
        #expect(try sql("SELECT count(*) FROM jobs") == "3")
        #expect(try sql("SELECT count(*) FROM idempotency_keys WHERE id = '\(id2)' AND created_at > now() - interval '1 hour'") == "1")

        // Keys past the retention are swept by the next claim of a replica that has not swept for a minute
        // (a new one), also when nobody sends them again; younger ones stay.
        _ = try sql("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE id NOT IN ('\(id2)', '\(digest(of: k0))')")
        #expect(try sql("SELECT count(*) FROM idempotency_keys") == "3")
        let sweeper = try ScaleOutGroup.replica(databaseURL: group!.databaseURL, name: "idemcrash-sweeper", port: try ServerProcess.freePort(), arguments: [])
        let swept = try ScaleOutHTTP.call(sweeper.port, "POST", "/v1/primes/lucas-lehmer", body: #"{"exponent":50033}"#,
                                          headers: ["Idempotency-Key: sweep-\(UUID().uuidString)"])
        #expect(swept.status == 202)
        sweeper.stop()
        #expect(try sql("SELECT count(*) FROM idempotency_keys WHERE id = '\(id2)'") == "1")
        #expect(try sql("SELECT count(*) FROM idempotency_keys WHERE created_at < now() - interval '24 hours'") == "0")

        busyDone.wait()
        let waited = Date().timeIntervalSince(busyStart)
        #expect(busy.value?.status == 409 && busy.value?.header("Retry-After") == "1")
        #expect(busy.value?.text.contains(#""field":"Idempotency-Key""#) == true)
        #expect(waited >= 9.5, "it waited for the other replica's claim (\(waited) s)")
        #expect(try sql("SELECT count(*) FROM jobs WHERE record::text LIKE '%50069%'") == "0")
        #expect(try sql("SELECT count(*) FROM jobs WHERE record::text LIKE '%50033%'") != "0", "the query above can see a job's exponent")

        // An upgrade: the database as the previous version left it (no idempotency schema), two replicas
        // of this version starting at once. One applies migration 2, the other waits for it; both serve keys.
        let databaseURL = group!.databaseURL
        group = nil
        _ = try pg.psql(["-c", "DROP TABLE idempotency_keys; DROP INDEX jobs_idempotency; DELETE FROM schema_migrations WHERE version = 2"], database: "idemcrash")
        let upgradePorts = [try ServerProcess.freePort(), try ServerProcess.freePort()]
        let upgraded = Locked<[ServerProcess]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if let r = try? ScaleOutGroup.replica(databaseURL: databaseURL, name: "idemcrash-u\(i)", port: upgradePorts[i], arguments: []) {
                upgraded.mutate { $0.append(r) }
            }
        }
        defer { for r in upgraded.value { r.stop() } }
        #expect(upgraded.value.count == 2, "both replicas start")
        let (_, versions) = try pg.psql(["-t", "-A", "-c", "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations"], database: "idemcrash")
        #expect(versions.trimmingCharacters(in: .whitespacesAndNewlines) == "1,2")
        let k3 = "Idempotency-Key: upgrade-\(UUID().uuidString)"
        let u0 = try ScaleOutHTTP.call(upgradePorts[0], "POST", "/v1/primes/lucas-lehmer", body: #"{"exponent":50033}"#, headers: [k3])
        let u1 = try ScaleOutHTTP.call(upgradePorts[1], "POST", "/v1/primes/lucas-lehmer", body: #"{"exponent":50033}"#, headers: [k3])
        #expect(u0.status == 202 && u1.status == 202 && u0.text == u1.text && u1.header("Idempotent-Replayed") == "true")
    }

    /// The digest the service stores for `key` of an endpoint without a token: SHA-256 of the scope, a
    /// zero byte and the key (never the key itself).
    private func digest(of key: String) -> String {
        SHA256.hex(Array(IdempotentRequests.instanceScope.utf8) + [0] + Array(key.utf8))
    }

    /// The fingerprint of a POST to /v1/primes/lucas-lehmer with `body` (already in canonical form).
    private func fingerprint(_ body: String) -> String {
        SHA256.hex(Array("POST".utf8) + [0] + Array("/v1/primes/lucas-lehmer".utf8) + [0] + Array(body.utf8))
    }
}
