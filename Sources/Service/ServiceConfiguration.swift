import Foundation
import HTTPServer

/// The service's whole configuration: the HTTP server's, plus what the application layer needs.
public struct ServiceConfiguration: Sendable {
    public var server = HTTPServerConfiguration()
    /// Where checkpoints, cached expansions, job records and identity keys live.
    public var dataDirectory: String = "./data"
    /// JSON access-log lines on standard output.
    public var accessLog: Bool = true
    /// Jobs that run at the same time; the rest wait in the queue.
    public var maxConcurrentJobs: Int = 2
    /// Jobs that may wait; past it a new job is refused with 503.
    public var maxQueuedJobs: Int = 64
    /// Similarity sessions: bearer token for this organisation's users (nil: no token required).
    public var apiToken: String?
    /// Similarity sessions: peers by name, each "URL,publicKey".
    public var peers: [String: String] = [:]
    /// This instance's public URL as its peers reach it (used in invitations).
    public var publicURL: String?
    /// Similarity session lifetime in seconds.
    public var sessionTTL: Double = 3600

    public init() {}
}
