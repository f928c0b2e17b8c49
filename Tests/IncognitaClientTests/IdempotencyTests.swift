import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IncognitaClient
import OpenAPIRuntime
import Testing
import TestSupport

/// `Idempotency-Key` end to end against the real binary: replays, refusals, parallel retries, restarts.
@Suite struct IdempotencyTests {
    /// 36 pairs: a job, not an inline answer.
    static let distancesBody = #"{"density":{"kind":"samples","bandwidth":0.3,"points":[[0,1],[1,0],[0,-1],[-1,0],[0.7,0.7],[-0.7,0.7],[0.7,-0.7],[-0.7,-0.7]]},"metric":{"kind":"conformal","alpha":1},"points":[[0,1],[1,0],[0,-1],[-1,0],[0.7,0.7],[-0.7,0.7],[0.7,-0.7],[-0.7,-0.7],[0,0.5]]}"#
    /// The same document: other spacing, other member order.
    static let distancesBodyReordered = #"{ "points": [[0,1],[1,0],[0,-1],[-1,0],[0.7,0.7],[-0.7,0.7],[0.7,-0.7],[-0.7,-0.7],[0,0.5]], "metric": {"alpha": 1, "kind": "conformal"},"density":{"points":[[0,1],[1,0],[0,-1],[-1,0],[0.7,0.7],[-0.7,0.7],[0.7,-0.7],[-0.7,-0.7]], "bandwidth":0.3, "kind":"samples"} }"#

    static func jobRecords(_ server: ServerProcess) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: server.dataDirectory.appendingPathComponent("jobs").path)) ?? [])
            .filter { $0.hasSuffix(".json") }.count
    }

    /// A raw POST (the typed client always writes the same bytes; this one can vary them).
    static func post(_ server: ServerProcess, _ path: String, key: String?, body: String) async throws -> (status: Int, headers: [String: String], body: String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)\(path)")!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let key { request.setValue(key, forHTTPHeaderField: "Idempotency-Key") }
        let (data, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers["\(k)".lowercased()] = "\(v)" }
        return (http.statusCode, headers, String(decoding: data, as: UTF8.self))
    }

    @Test func sameKeySameDocumentReplaysAndStartsNothing() async throws {
        let server = try ServerProcess(arguments: ["--access-log", "false"])
        defer { server.stop() }
        let key = UUID().uuidString
        let first = try await Self.post(server, "/v1/geodesics/distances", key: key, body: Self.distancesBody)
        #expect(first.status == 202)
        #expect(first.headers["idempotent-replayed"] == nil)
        let again = try await Self.post(server, "/v1/geodesics/distances", key: key, body: Self.distancesBodyReordered)
        #expect(again.status == 202)
        #expect(again.body == first.body)
        #expect(again.headers["location"] == first.headers["location"])
        #expect(again.headers["idempotent-replayed"] == "true")
        #expect(Self.jobRecords(server) == 1)
        // A different document under the same key: 422 naming the header; on another path too.
        let other = try await Self.post(server, "/v1/geodesics/distances", key: key, body: Self.distancesBody.replacingOccurrences(of: "[0,0.5]", with: "[0,0.6]"))
        #expect(other.status == 422)
        #expect(other.body.contains(#""field":"Idempotency-Key""#))
        let otherPath = try await Self.post(server, "/v1/primes/lucas-lehmer", key: key, body: Self.distancesBody)
        #expect(otherPath.status == 422 && otherPath.body.contains(#""field":"Idempotency-Key""#))
        // Without a key nothing is deduplicated.
        _ = try await Self.post(server, "/v1/geodesics/distances", key: nil, body: Self.distancesBody)
        #expect(Self.jobRecords(server) == 2)
    }

    @Test func keysAreCheckedAndFailedRequestsBindNothing() async throws {
        let server = try ServerProcess(arguments: ["--access-log", "false"])
        defer { server.stop() }
        let client = ClientTestSupport.client(server)
        for bad in ["has space", "a;b", "key,other", String(repeating: "k", count: 256), "\"unterminated"] {
            let problem = try await client.primesLucasLehmer(headers: .init(idempotencyKey: bad), body: .json(.init(exponent: 4423))).badRequest
            #expect(try problem.body.applicationProblemJson.errors?.map(\.field) == ["Idempotency-Key"], "key \(bad)")
        }
        // The quoted (structured-field) form is the same key as the bare one.
        let bare = try await client.primesLucasLehmer(headers: .init(idempotencyKey: "key-1"), body: .json(.init(exponent: 4423))).ok
        let quoted = try await client.primesLucasLehmer(headers: .init(idempotencyKey: "\"key-1\""), body: .json(.init(exponent: 4423))).ok
        #expect(bare.headers.idempotentReplayed == nil && quoted.headers.idempotentReplayed == ._true)
        // Inline answers bind their key too.
        let reused = try await client.primesLucasLehmer(headers: .init(idempotencyKey: "key-1"), body: .json(.init(exponent: 4253))).unprocessableContent
        #expect(try reused.body.applicationProblemJson.errors?.map(\.field) == ["Idempotency-Key"])
        // A request that failed created nothing: its key may be sent again with a corrected body.
        let invalid = try await client.primesLucasLehmer(headers: .init(idempotencyKey: "key-2"), body: .json(.init(exponent: 1_000_000_000))).unprocessableContent
        #expect(try invalid.body.applicationProblemJson.errors?.map(\.field) == ["exponent"])
        let corrected = try await client.primesLucasLehmer(headers: .init(idempotencyKey: "key-2"), body: .json(.init(exponent: 86269))).accepted
        #expect(corrected.headers.idempotentReplayed == nil)
        #expect(Self.jobRecords(server) == 1)
    }

    @Test func parallelRetriesCreateOneJobAndOneSession() async throws {
        let server = try ServerProcess(arguments: ["--access-log", "false", "--api-token", "parallel-token"])
        defer { server.stop() }
        let client = ClientTestSupport.client(server, token: "parallel-token")
        let jobKey = UUID().uuidString
        let jobs = try await withThrowingTaskGroup(of: (String, String?).self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let accepted = try await client.primesLucasLehmer(headers: .init(idempotencyKey: jobKey), body: .json(.init(exponent: 86269))).accepted
                    return (try accepted.body.json.id, accepted.headers.location)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(jobs.count == 8)
        #expect(Set(jobs.map(\.0)).count == 1)
        #expect(Set(jobs.map(\.1)).count == 1)
        #expect(Self.jobRecords(server) == 1)
        _ = try await client.cancelJob(path: .init(id: jobs[0].0))

        let sessionKey = UUID().uuidString
        let body = Operations.SimilarityCreateSession.Input.Body.json(.init(peer: "loopback", sentences: ["one sentence"], label: "parallel"))
        let sessions = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask { try await client.similarityCreateSession(headers: .init(idempotencyKey: sessionKey), body: body).created.body.json.id }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(sessions.count == 8 && Set(sessions).count == 1)
        #expect(try await client.similarityListSessions().ok.body.json.sessions.count == 1)
        // Keys are per bearer token: without the token the key is never looked at (401 first).
        let anonymous = ClientTestSupport.client(server)
        #expect(try await anonymous.similarityCreateSession(headers: .init(idempotencyKey: sessionKey), body: body).unauthorized.body.applicationProblemJson.status == 401)
    }

    @Test func keysSurviveARestart() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-idempotency-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let jobKey = UUID().uuidString, sessionKey = UUID().uuidString
        let sessionBody = Operations.SimilarityCreateSession.Input.Body.json(.init(peer: "loopback", sentences: ["before the restart"]))
        let job: Components.Schemas.Job
        let session: Components.Schemas.SimilaritySession
        do {
            let server = try ServerProcess(arguments: ["--access-log", "false"], dataDirectory: data)
            let client = ClientTestSupport.client(server)
            job = try await client.primesLucasLehmer(headers: .init(idempotencyKey: jobKey), body: .json(.init(exponent: 22013))).accepted.body.json
            session = try await client.similarityCreateSession(headers: .init(idempotencyKey: sessionKey), body: sessionBody).created.body.json
            server.signal(SIGKILL)
            _ = server.waitForExit()
        }
        let server = try ServerProcess(arguments: ["--access-log", "false"], dataDirectory: data)
        defer { server.stop() }
        let client = ClientTestSupport.client(server)
        let replayed = try await client.primesLucasLehmer(headers: .init(idempotencyKey: jobKey), body: .json(.init(exponent: 22013))).accepted
        #expect(replayed.headers.idempotentReplayed == ._true)
        #expect(try replayed.body.json == job)
        #expect(try await client.getJob(path: .init(id: job.id)).ok.body.json.id == job.id)
        #expect(Self.jobRecords(server) == 1)
        let reused = try await client.primesLucasLehmer(headers: .init(idempotencyKey: jobKey), body: .json(.init(exponent: 22031))).unprocessableContent
        #expect(try reused.body.applicationProblemJson.errors?.map(\.field) == ["Idempotency-Key"])
        // The session's answer is replayed (sessions themselves live in memory and ended with the process).
        let again = try await client.similarityCreateSession(headers: .init(idempotencyKey: sessionKey), body: sessionBody).created
        #expect(try again.body.json == session)
        #expect(again.headers.idempotentReplayed == ._true)
    }

    /// The process died after writing the job but before writing its key's record: the job carries the key,
    /// so the retry after the restart still gets the same answer and starts nothing.
    @Test func aKeyLostInACrashIsRecoveredFromItsJob() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-idempotency-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let key = UUID().uuidString
        let first: String
        do {
            let server = try ServerProcess(arguments: ["--access-log", "false"], dataDirectory: data)
            first = try await Self.post(server, "/v1/primes/lucas-lehmer", key: key, body: #"{"exponent":22013}"#).body
            server.signal(SIGKILL)
            _ = server.waitForExit()
        }
        let keys = data.appendingPathComponent("idempotency")
        for name in try FileManager.default.contentsOfDirectory(atPath: keys.path) {
            try FileManager.default.removeItem(at: keys.appendingPathComponent(name))
        }
        let server = try ServerProcess(arguments: ["--access-log", "false"], dataDirectory: data)
        defer { server.stop() }
        let again = try await Self.post(server, "/v1/primes/lucas-lehmer", key: key, body: #"{ "exponent": 22013 }"#)
        #expect(again.status == 202)
        #expect(again.body == first)
        #expect(again.headers["idempotent-replayed"] == "true")
        #expect(Self.jobRecords(server) == 1)
    }
}
