import Foundation
import HTTPServer

/// The service's whole configuration: the HTTP server's, plus what the application layer needs.
public struct ServiceConfiguration: Sendable {
    public var server = HTTPServerConfiguration()
    /// Where checkpoints, cached expansions, job records and identity keys live.
    public var dataDirectory: String = "./data"
    /// JSON access-log lines on standard output.
    public var accessLog: Bool = true
    /// Most bytes of log lines waiting for standard output; past it lines are dropped and counted.
    public var logBufferBytes: Int = 4 << 20
    /// Jobs that run at the same time; the rest wait in the queue.
    public var maxConcurrentJobs: Int = 2
    /// Jobs that may wait; past it a new job is refused with 503.
    public var maxQueuedJobs: Int = 64
    /// Longest computation one request may run inline before it is stopped with 503 (geodesic solves,
    /// exponential maps, small distance matrices); larger work belongs in a job.
    public var computeTimeout: Double = 30
    /// S2 coverings past 262,144 candidate cells (large ones, up to about 150 MB each) running at once;
    /// one more is refused with 503 and Retry-After, so concurrent requests cannot multiply memory.
    public var maxLargeCoverings: Int = 2
    /// Seconds between checkpoints of resumable jobs (Lucas–Lehmer); at most 30 by design.
    public var checkpointSeconds: Double = 20
    /// Similarity sessions: bearer token for this organisation's users (nil: no token required).
    public var apiToken: String?
    /// Similarity sessions: peers by name, each "URL,publicKey".
    public var peers: [String: String] = [:]
    /// This instance's public URL as its peers reach it (used in invitations).
    public var publicURL: String?
    /// Similarity session lifetime in seconds.
    public var sessionTTL: Double = 3600
    /// Similarity sessions: most vectors (or sentences) on one side of a session.
    public var similarityMaxVectors: Int = 256
    /// Similarity sessions: largest embedding dimension (at most 8192).
    public var similarityMaxDimension: Int = 8192
    /// Similarity sessions: most products p·q in one session (each output leaks a little of each input).
    public var similarityMaxProducts: Int = 4096
    /// Similarity sessions running at once on this instance; more wait for a free slot (503 on accept).
    public var similarityMaxRunning: Int = 4
    /// Similarity sessions per peer per rolling hour, both directions counted.
    public var similaritySessionsPerHour: Int = 60
    /// Seconds any call to a peer may take (connect, send, answer); a peer silent for twice this fails the session.
    public var similarityPeerTimeout: Double = 30
    /// Dimension of the built-in `hashing` encoder when a request does not name one.
    public var similarityHashingDimension: Int = 1024
    /// A GloVe / word2vec / fastText text file for the `word-vectors` encoder (nil: that encoder is unavailable).
    public var similarityWordVectors: String?
    /// The all-MiniLM-L6-v2 model folder for the `minilm` encoder (nil: that encoder is unavailable).
    public var similaritySentenceModel: String?

    /// PostgreSQL URL shared by the replicas of one organisation; nil: everything in `dataDirectory` and memory.
    public var databaseURL: String?
    /// Seconds to wait for the database at start before giving up.
    public var databaseTimeout: Double = 30
    /// This replica's name in logs and in `runningOn` (default: host name and process id).
    public var instanceID: String = ServiceConfiguration.defaultInstanceID()
    /// How the other replicas of this organisation reach this one directly (forwarded session requests).
    public var advertiseURL: String?
    /// Seconds a job claim lasts without a heartbeat before another replica may take the job over.
    public var jobLease: Double = 30
    /// A file holding the similarity identity key pair (e.g. a mounted Kubernetes Secret); overrides the stored one.
    public var identityKeyFile: String?

    public init() {}

    /// "<host name>-<pid>".
    public static func defaultInstanceID() -> String {
        "\(ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "incognita")-\(getpid())"
    }
}
