import Foundation
import HTTPServer
import HTTPTypes
import SecureSimilarity
import StrictJSON

/// `Idempotency-Key` on the POSTs that create a job or a session: a retry with the same key and the
/// same request within 24 hours gets the first answer again (status, body, `Location`, and
/// `Idempotent-Replayed: true`) and starts nothing; the same key with a different request is 422.
///
/// ```swift
/// // A route opts in; Application.add wraps its handler in run(_:scope:_:).
/// add(.post, "/v1/primes/lucas-lehmer", idempotency: .instance) { ctx in try startTheJob(ctx) }
/// ```
/// - The same request: the same method and path, and a body that is the same JSON document up to
///   whitespace and the order of object members (`JSONCanonicalForm`; numbers compare as written).
/// - Only successful answers (2xx) bind a key; a request that failed (4xx, 5xx) created nothing and
///   releases it, so the caller may fix the request and send it again with the same key.
/// - Two requests with the same key at once: the second waits for the first (at most `wait` seconds,
///   then 409 with `Retry-After`) and answers what the first answered.
/// - Without the header nothing changes.
public final class IdempotentRequests: Sendable {
    public static let replayedField = HTTPField.Name("Idempotent-Replayed")!
    /// Keys of endpoints without a bearer token are shared by every caller of the instance (or of the
    /// replicas sharing its database): the organisation.
    public static let instanceScope = "instance"

    let store: IdempotencyStore
    let log: AccessLog
    /// How long a request waits for another one with the same key to finish.
    let wait: TimeInterval
    /// Larger answers are not kept (their key is released): no job or session answer comes near it.
    let maxStoredBytes: Int

    public init(store: IdempotencyStore, log: AccessLog, wait: TimeInterval = 10, maxStoredBytes: Int = 1 << 20) {
        self.store = store
        self.log = log
        self.wait = wait
        self.maxStoredBytes = maxStoredBytes
    }

    /// Runs `handler` once per key: replays the answer of an earlier request with the same key and request.
    public func run(_ ctx: RequestContext, scope: String, _ handler: () throws -> HTTPServerResponse) throws -> HTTPServerResponse {
        guard let key = try IdempotencyKey(ctx.request.headerFields, scope: scope) else { return try handler() }
        // A body that is not JSON is the handler's 400; it creates nothing, so the key plays no part.
        guard let fingerprint = Self.fingerprint(ctx.request) else { return try handler() }
        switch try store.claim(id: key.id, fingerprint: fingerprint, now: Date(), wait: wait) {
        case .replay(let record):
            return record.response()
        case .mismatch:
            throw APIError(status: .unprocessableContent, slug: "idempotency-key-reused",
                           detail: "\(IdempotencyKey.headerName): this key was used for a different request in the last 24 hours; send a new key with a new request",
                           errors: [FieldError(field: IdempotencyKey.headerName, message: "was used with a different request (body, method or path) in the last 24 hours")])
        case .inProgress:
            throw APIError(status: .conflict, slug: "idempotency-in-progress",
                           detail: "\(IdempotencyKey.headerName): a request with this key is still being processed; retry shortly",
                           errors: [FieldError(field: IdempotencyKey.headerName, message: "a request with this key is still being processed")],
                           headers: [("Retry-After", "1")])
        case .claimed:
            break
        }
        let response: HTTPServerResponse
        let thread = Thread.current.threadDictionary
        thread[Self.bindingSlot] = IdempotencyBinding(id: key.id, fingerprint: fingerprint)
        defer { thread.removeObject(forKey: Self.bindingSlot) }
        do { response = try handler() } catch {
            store.release(id: key.id)
            throw error
        }
        guard (200..<300).contains(response.status.code), case .bytes(let body) = response.body, body.count <= maxStoredBytes else {
            store.release(id: key.id)
            return response
        }
        let location = response.headerFields[.location]
        let record = IdempotencyRecord(id: key.id, fingerprint: fingerprint, status: response.status.code,
                                       contentType: response.headerFields[.contentType], location: location, body: Data(body),
                                       resource: location.flatMap { $0.split(separator: "/").last.map(String.init) }, createdAt: Date())
        do { try store.complete(record) } catch {
            log.event("idempotency key not saved", level: "error", [("path", ctx.request.path), ("requestId", ctx.requestID), ("error", "\(error)")])
        }
        return response
    }

    static let bindingSlot = "incognita.idempotency"

    /// The key of the request this thread is handling, for the job or session it creates to carry (handlers
    /// run synchronously on one worker thread, so the route's own code need not pass it along).
    public static var currentBinding: IdempotencyBinding? {
        Thread.current.threadDictionary[bindingSlot] as? IdempotencyBinding
    }

    /// After a restart: every job created under a key answers that key, also when the process died between
    /// writing the job and writing the key's own record. The answer is the job's `202` as it was sent.
    public func recover(jobs: [JobSnapshot]) {
        for job in jobs {
            guard let record = Self.acceptedRecord(of: job) else { continue }
            do { try store.adopt(record) } catch {
                log.event("idempotency key not recovered", level: "error", [("job", job.id), ("error", "\(error)")])
            }
        }
    }

    /// The answer a job created under a key was sent (its `202`, the job as accepted), rebuilt from the
    /// job alone; nil when no key created it.
    static func acceptedRecord(of job: JobSnapshot) -> IdempotencyRecord? {
        guard let binding = job.idempotency else { return nil }
        let accepted = Application.jobResponse(job.asAccepted, status: .accepted)
        guard case .bytes(let body) = accepted.body else { return nil }
        return IdempotencyRecord(id: binding.id, fingerprint: binding.fingerprint, status: 202, contentType: "application/json",
                                 location: "/v1/jobs/\(job.id)", body: Data(body), resource: job.id, createdAt: job.createdAt)
    }

    /// SHA-256 of method, path and the canonical JSON body; nil when the body is not JSON.
    static func fingerprint(_ request: HTTPServerRequest) -> String? {
        guard let canonical = try? JSONCanonicalForm.bytes(of: request.body) else { return nil }
        return SHA256.hex(Array(request.method.rawValue.utf8) + [0] + Array(request.path.utf8) + [0] + canonical)
    }
}
