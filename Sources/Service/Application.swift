import Foundation
import HTTPServer
import HTTPTypes
import S2Geometry

/// The service: routes every request, turns errors into problem+json, stamps `X-Request-ID`,
/// writes the access log and the metrics. Domain routes are added by the `*Routes` files.
public final class Application: HTTPResponder, @unchecked Sendable {
    public let configuration: ServiceConfiguration
    public let log: AccessLog
    public let metrics: Metrics
    public let jobs: JobManager
    /// The shared database of a group of replicas; nil for a single instance with its data directory.
    public let database: Database?
    /// Cached decimal expansions (data directory or database).
    let expansions: ExpansionStore
    /// Places for large S2 coverings (`maxLargeCoverings`), shared by all requests of this instance.
    public let s2Admission: S2CoveringAdmission
    /// `Idempotency-Key` on the POSTs that create jobs and sessions.
    public let idempotency: IdempotentRequests
    private(set) var router = Router<Route>()
    private let serverLock = NSLock()
    private weak var server: HTTPServer?
    private var shuttingDown = false

    public init(configuration: ServiceConfiguration) throws {
        self.configuration = configuration
        self.log = AccessLog(enabled: configuration.accessLog, instance: configuration.instanceID, maxBufferedBytes: configuration.logBufferBytes)
        let metrics = Metrics()
        self.metrics = metrics
        unmatchedMetrics = metrics.route("unmatched")
        optionsMetrics = metrics.route("options")
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let dataURL = URL(fileURLWithPath: configuration.dataDirectory)
        let keys: IdempotencyStore
        if let url = configuration.databaseURL {
            let database = try Database(url: url, instanceID: configuration.instanceID,
                                        advertiseURL: configuration.advertiseURL ?? "http://127.0.0.1:\(configuration.server.port)",
                                        startTimeout: configuration.databaseTimeout,
                                        poolSize: max(4, min(16, configuration.server.workerThreads + configuration.maxConcurrentJobs)), log: log)
            self.database = database
            keys = PostgresIdempotencyStore(pool: database.pool, instanceID: configuration.instanceID)
            self.expansions = PostgresExpansionStore(pool: database.pool)
            self.jobs = JobManager(store: PostgresJobStore(pool: database.pool, instanceID: configuration.instanceID),
                                   maxConcurrent: configuration.maxConcurrentJobs, maxQueued: configuration.maxQueuedJobs, log: log,
                                   instanceID: configuration.instanceID, lease: configuration.jobLease)
            jobs.notifyOthers = { [weak database] payload in database?.notify(payload) }
            database.onNotification { [jobs] payload in jobs.handleNotification(payload) }
        } else {
            self.database = nil
            keys = LocalIdempotencyStore(directory: dataURL.appendingPathComponent("idempotency"))
            self.expansions = LocalExpansionStore(directory: dataURL.appendingPathComponent("primes/decimal"))
            self.jobs = JobManager(store: LocalJobStore(directory: dataURL.appendingPathComponent("jobs")),
                                   maxConcurrent: configuration.maxConcurrentJobs, maxQueued: configuration.maxQueuedJobs, log: log,
                                   instanceID: configuration.instanceID)
        }
        self.idempotency = IdempotentRequests(store: keys, log: log)
        metrics.gauge("incognita_jobs", help: "Jobs known to this instance, by state.") { [jobs] in
            jobs.countsByStatus().map { (labels: "state=\"\($0.key)\"", value: Double($0.value)) }
        }
        metrics.counter("incognita_log_lines_dropped_total",
                        help: "Log lines dropped because standard output did not keep up (the log never makes a request wait).") { [log] in
            Double(log.droppedLines)
        }
        if let database {
            metrics.gauge("incognita_database_reachable", help: "1 while the shared database answers this replica's heartbeat.") { [weak database] in
                [(labels: "", value: (database?.isReachable ?? false) ? 1 : 0)]
            }
        }
        let s2Admission = S2CoveringAdmission(maxLarge: configuration.maxLargeCoverings)
        self.s2Admission = s2Admission
        metrics.gauge("incognita_s2_large_coverings", help: "S2 coverings past 262,144 candidate cells running now (at most --max-large-coverings).") {
            [(labels: "", value: Double(s2Admission.inUse))]
        }
        checkDataDirectory()
        registerSystemRoutes()
        registerJobRoutes()
        registerDomainRoutes()
        // Resumable kinds are registered by now: pick up jobs a previous run left unfinished
        // (with a database: start claiming queued jobs).
        jobs.restore()
        idempotency.recover(jobs: jobs.snapshots())
        database?.start()
    }

    /// Warns at start when the data directory cannot be written: the service still runs, but jobs,
    /// caches and keys cannot persist, and the endpoints that need it answer with a clear error.
    private func checkDataDirectory() {
        let probe = URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent(".write-probe")
        do {
            try AtomicFile.write(Array("ok".utf8), to: probe)
            try? FileManager.default.removeItem(at: probe)
        } catch {
            log.event("data directory is not writable: jobs, caches and keys will not persist", level: "error",
                      [("dataDir", configuration.dataDirectory), ("error", "\(error)")])
        }
    }

    /// Connects the application to its server (for readiness and connection gauges).
    public func attach(_ server: HTTPServer) {
        serverLock.lock()
        self.server = server
        serverLock.unlock()
        metrics.gauge("incognita_open_connections", help: "Open client connections.") { [weak server] in
            [(labels: "", value: Double(server?.openConnections ?? 0))]
        }
        metrics.gauge("incognita_queued_requests", help: "Requests waiting for a worker thread.") { [weak server] in
            [(labels: "", value: Double(server?.queuedRequests ?? 0))]
        }
    }

    /// Readiness turns false as soon as shutdown begins, and while the database is unreachable.
    public var isReady: Bool { readiness == nil }

    /// Why the instance is not ready, nil when it is.
    public var readiness: String? {
        serverLock.lock()
        let draining = shuttingDown || (server?.isDraining ?? false)
        serverLock.unlock()
        if draining { return "shutting down" }
        if let database, !database.isReachable { return "the database is unreachable" }
        return nil
    }

    /// Marks the service as draining (readiness 503) and stops jobs at their next checkpoint.
    public func beginShutdown() {
        serverLock.lock()
        shuttingDown = true
        serverLock.unlock()
        jobs.shutdown()
    }

    /// After the server stopped: waits (at most `timeout` seconds) for running jobs to reach a
    /// checkpoint and be handed back, then leaves the group of replicas.
    public func finishShutdown(timeout: Double) {
        jobs.awaitIdle(timeout: timeout)
        database?.stop()
    }

    /// Registers a route. `inline` handlers run on the I/O thread: only for trivial, constant-time work.
    /// Routes that create a job or a session take `idempotency`: their `Idempotency-Key` is honoured
    /// (`IdempotentRequests`), with keys scoped as it says.
    public func add(_ method: HTTPRequest.Method, _ pattern: String, idempotency scope: IdempotencyScope? = nil, inline: Bool = false,
                    _ handler: @escaping RouteHandler) {
        precondition(!inline || (!pattern.contains("{") && method == .get), "inline routes are GET on a literal path")
        var handler = handler
        if let scope {
            let idempotency = self.idempotency, original = handler
            handler = { ctx in
                try scope.authorize?(ctx)
                return try idempotency.run(ctx, scope: scope.name) { try original(ctx) }
            }
        }
        let route = Route(handler: handler, pattern: pattern, metricsID: metrics.route(pattern), inline: inline)
        router.add(method, pattern, route)
        if inline { inlineRoutes.append((pattern, route)) }
    }

    /// The inline (GET) routes and their paths: a few string comparisons decide the thread, without a second routing.
    /// Unchecked for exclusivity (checked, every request paid for it twice): it is only appended to by `add` and
    /// read element by element, so no access to it can be in progress during another.
    @exclusivity(unchecked) private var inlineRoutes: [(path: String, route: Route)] = []
    private let unmatchedMetrics: Metrics.RouteID
    private let optionsMetrics: Metrics.RouteID

    /// Every registered route, for documentation tests.
    public var routePatterns: [(method: HTTPRequest.Method, pattern: String)] { router.patterns }

    // MARK: HTTPResponder

    public func respondsInline(to request: HTTPServerRequest) -> Bool {
        inlineRoute(request) != nil
    }

    /// The inline route of a GET or HEAD request: a few string comparisons.
    @inline(__always)
    private func inlineRoute(_ request: HTTPServerRequest) -> Route? {
        guard request.method == .get || request.method == .head else { return nil }
        let path = request.path
        for i in 0..<inlineRoutes.count where inlineRoutes[i].path == path { return inlineRoutes[i].route }
        return nil
    }

    public func didRefuse(_ error: HTTPParseError) {
        metrics.recordRefused(status: error.status.code)
        log.event("refused", level: "warn", [("status", String(error.status.code)), ("detail", error.detail)])
    }

    public func respond(to request: HTTPServerRequest) -> HTTPServerResponse {
        let exchange = Exchange(request)
        if let route = inlineRoute(request) { return finish(exchange, invoke(route, exchange, parameters: [:]), metricsID: route.metricsID) }
        let requestID = exchange.requestID.description
        switch router.match(request.method, request.path) {
        case .matched(let route, let parameters, _):
            return finish(exchange, invoke(route, exchange, parameters: parameters), metricsID: route.metricsID)
        case .methodNotAllowed(let allowed):
            let allow = (allowed + [.options]).map(\.rawValue).joined(separator: ", ")
            if request.method == .options {
                var response = HTTPServerResponse(status: .noContent)
                response.headerFields[.allow] = allow
                return finish(exchange, response, metricsID: optionsMetrics)
            }
            return finish(exchange, ProblemDocument.response(APIError(status: .methodNotAllowed, slug: "method-not-allowed",
                detail: "\(request.method.rawValue) is not allowed on \(request.path); allowed: \(allow)", headers: [("Allow", allow)]),
                instance: request.path, requestID: requestID), metricsID: unmatchedMetrics)
        case .notFound:
            if request.method == .options && request.target == "*" {
                var response = HTTPServerResponse(status: .noContent)
                response.headerFields[.allow] = "GET, HEAD, POST, DELETE, OPTIONS"
                return finish(exchange, response, metricsID: optionsMetrics)
            }
            return finish(exchange, ProblemDocument.response(.notFound("no resource at \(request.path)"), instance: request.path, requestID: requestID),
                          metricsID: unmatchedMetrics)
        }
    }

    /// Runs a handler (bound to the request's trace, so the events it logs carry it) and turns its errors into problems.
    private func invoke(_ route: Route, _ exchange: Exchange, parameters: [String: String]) -> HTTPServerResponse {
        let request = exchange.request
        let context = RequestContext(request: request, parameters: parameters, id: exchange.requestID, trace: exchange.trace)
        do {
            // Inline handlers log nothing: they skip the binding, which costs an allocation.
            return route.inline ? try route.handler(context) : try TraceContext.$current.withValue(exchange.trace) { try route.handler(context) }
        } catch let error as APIError {
            return ProblemDocument.response(error, instance: request.path, requestID: exchange.requestID.description)
        } catch let error as APIErrorConvertible {
            return ProblemDocument.response(error.apiError, instance: request.path, requestID: exchange.requestID.description)
        } catch {
            log.event("handler failed", level: "error", [("path", request.path), ("requestId", exchange.requestID.description),
                                                         ("error", String(describing: type(of: error)))], trace: exchange.trace)
            return ProblemDocument.response(.internalError("the request could not be completed"), instance: request.path,
                                            requestID: exchange.requestID.description)
        }
    }

    /// What every request gets before its handler runs: its start time, request id and trace.
    private struct Exchange {
        let request: HTTPServerRequest
        let start: UInt64
        let requestID: RequestID
        let trace: TraceContext

        init(_ request: HTTPServerRequest) {
            self.request = request
            start = Posix.monotonicNanos()
            // One pass over the fields finds the three this layer reads on every request (most requests have none).
            var given: [String] = [], parents: [String] = [], states: [String] = []
            request.headerFields.forEach { name, value in
                switch name.count {
                case 12 where Self.named(name, "x-request-id"): given.append(String(decoding: value, as: UTF8.self))
                case 11 where Self.named(name, "traceparent"): parents.append(String(decoding: value, as: UTF8.self))
                case 10 where Self.named(name, "tracestate"): states.append(String(decoding: value, as: UTF8.self))
                default: break
                }
            }
            let ids = RequestIDs.draw()
            requestID = RequestID(given: given, word: ids.requestWord)
            // One traceparent only: repeated, the header is ambiguous and ignored.
            trace = parents.isEmpty && states.isEmpty ? TraceContext(ids: ids)
                : TraceContext(traceparent: parents.count == 1 ? parents[0] : nil, tracestate: states, ids: ids)
        }

        @inline(__always)
        static func named(_ name: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
            RequestFields.equalsLowercase(name, UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount))
        }
    }

    /// Stamps `X-Request-ID` and `traceparent`, records the metrics and writes the access-log line.
    private func finish(_ exchange: borrowing Exchange, _ response: consuming HTTPServerResponse, metricsID: Metrics.RouteID) -> HTTPServerResponse {
        let id = exchange.requestID
        response.preformattedFields.append(atMost: 86 + id.byteCount) { w in
            w.write("X-Request-ID: ")
            id.write(into: &w) // a checked token or our own hex: no CR, LF or NUL
            w.write("\r\ntraceparent: ")
            exchange.trace.writeTraceparent(into: &w)
            w.write(13, 10)
        }
        let nanos = Posix.monotonicNanos() &- exchange.start
        let method = exchange.request.method.rawValue
        metrics.record(route: metricsID, method: method, status: response.status.code, seconds: Double(nanos) / 1e9)
        if log.enabled {
            let bytes = response.stream == nil ? response.bytes.count : -1
            log.request(method: method, path: exchange.request.path, status: response.status.code, bytes: bytes,
                        microseconds: Int(nanos / 1000), requestID: id, trace: exchange.trace)
        }
        return response
    }
}

/// Random identifiers in lowercase hex.
public enum RandomID {
    public static func make(bytes: Int) -> String {
        var g = SystemRandomNumberGenerator()
        var out = ""
        out.reserveCapacity(bytes * 2)
        let hex = Array("0123456789abcdef".utf8)
        var chars: [UInt8] = []
        chars.reserveCapacity(bytes * 2)
        // One 64-bit draw (one getrandom call) per 8 bytes; UInt8.random(in:using:) spent a whole draw per byte.
        var word: UInt64 = 0
        for i in 0..<bytes {
            if i % 8 == 0 { word = g.next() }
            let b = UInt8(truncatingIfNeeded: word)
            word >>= 8
            chars.append(hex[Int(b >> 4)]); chars.append(hex[Int(b & 15)])
        }
        out = String(decoding: chars, as: UTF8.self)
        return out
    }
}
