import Foundation
import HTTPServer
import HTTPTypes

/// `GET /v1/jobs/{id}`, `GET /v1/jobs/{id}/events` (server-sent events), `DELETE /v1/jobs/{id}`.
extension Application {
    func registerJobRoutes() {
        add(.get, "/v1/jobs/{id}") { [jobs] ctx in
            guard let snapshot = try jobs.snapshot(id: ctx.parameter("id")) else { throw APIError.notFound("no job \(ctx.parameter("id"))") }
            return Self.jobResponse(snapshot, status: .ok)
        }
        add(.delete, "/v1/jobs/{id}") { [jobs] ctx in
            let id = ctx.parameter("id")
            guard let (snapshot, cancelled) = try jobs.cancel(id: id) else { throw APIError.notFound("no job \(id)") }
            guard cancelled else { throw APIError.conflict("job \(id) has already finished (\(snapshot.status.rawValue))") }
            return Self.jobResponse(snapshot, status: .ok)
        }
        add(.get, "/v1/jobs/{id}/events") { [jobs] ctx in
            let id = ctx.parameter("id")
            guard try jobs.snapshot(id: id) != nil else { throw APIError.notFound("no job \(id)") }
            var fields = HTTPFields()
            fields[.contentType] = "text/event-stream"
            fields[.cacheControl] = "no-store"
            var response = HTTPServerResponse(status: .ok, headerFields: fields, body: .stream(length: nil) { writer in
                var version = -1
                var noticesSent = 0
                // A progress event at least once a second, each notice once, then one final result or error event.
                while !writer.isClosed {
                    guard let (snapshot, seen) = jobs.waitForChange(id: id, after: version, timeout: 1) else { return }
                    version = seen
                    let events = snapshot.events ?? []
                    if noticesSent > events.count { noticesSent = 0 }
                    for event in events.dropFirst(noticesSent) {
                        try writer.write(Array("event: notice\ndata: \(Self.eventJSON(event))\n\n".utf8))
                    }
                    noticesSent = events.count
                    let json = Self.jobJSON(snapshot)
                    switch snapshot.status {
                    case .succeeded:
                        try writer.write(Array("event: result\ndata: \(json)\n\n".utf8)); return
                    case .failed, .cancelled:
                        try writer.write(Array("event: error\ndata: \(json)\n\n".utf8)); return
                    case .queued, .running:
                        try writer.write(Array("event: progress\ndata: \(json)\n\n".utf8))
                    }
                }
            })
            response.compressible = false
            return response
        }
    }

    /// The job document: the snapshot with its result spliced in as raw JSON; the spec stays private.
    static func jobJSON(_ snapshot: JobSnapshot) -> String {
        struct View: Encodable {
            var id: String
            var kind: String
            var status: JobStatus
            var progress: JobProgress
            var createdAt: String
            var startedAt: String?
            var finishedAt: String?
            var error: JobError?
            var traceId: String?
            var runningOn: String?
            var events: [EventView]?
        }
        let f = ISO8601DateFormatter()
        let view = View(id: snapshot.id, kind: snapshot.kind, status: snapshot.status, progress: snapshot.progress,
                        createdAt: f.string(from: snapshot.createdAt), startedAt: snapshot.startedAt.map(f.string(from:)),
                        finishedAt: snapshot.finishedAt.map(f.string(from:)), error: snapshot.error, traceId: snapshot.traceId,
                        runningOn: snapshot.status == .running ? snapshot.runningOn : nil,
                        events: snapshot.events.map { $0.map { EventView(at: f.string(from: $0.at), message: $0.message) } })
        var text = (try? JSON.encoder.encode(view)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        if let result = snapshot.resultJSON, snapshot.status == .succeeded, !result.isEmpty {
            text.removeLast()
            text += ",\"result\":\(result)}"
        }
        return text
    }

    /// A notice as JSON: `{"at": "…", "message": "…"}`.
    static func eventJSON(_ event: JobEvent) -> String {
        let view = EventView(at: ISO8601DateFormatter().string(from: event.at), message: event.message)
        return (try? JSON.encoder.encode(view)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    struct EventView: Encodable {
        var at: String
        var message: String
    }

    static func jobResponse(_ snapshot: JobSnapshot, status: HTTPResponse.Status) -> HTTPServerResponse {
        var response = HTTPServerResponse(status: status, contentType: "application/json", bytes: Array(jobJSON(snapshot).utf8))
        if status == .accepted { response.headerFields[.location] = "/v1/jobs/\(snapshot.id)" }
        return response
    }

    /// Starts a job and answers `202 Accepted` with `Location: /v1/jobs/{id}`. The work returns its result as JSON text.
    public func startJob(kind: String, spec: String? = nil, joinKey: String? = nil, _ work: @escaping @Sendable (JobContext) throws -> String) throws -> HTTPServerResponse {
        do {
            let binding = IdempotentRequests.currentBinding
            let snapshot = try jobs.submit(kind: kind, spec: spec, joinKey: joinKey, idempotency: binding, work: work)
            // Under an Idempotency-Key the answer is the job as accepted, which a restart can rebuild from the job.
            return Self.jobResponse(binding == nil ? snapshot : snapshot.asAccepted, status: .accepted)
        } catch is JobManager.QueueFull {
            throw APIError.unavailable("too many jobs are waiting; try again later", retryAfter: 5)
        }
    }
}
