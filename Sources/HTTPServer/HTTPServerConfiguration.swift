/// Everything about the server that an operator may tune. All limits are enforced per connection or
/// per request; every one has a conservative default.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind: an IPv4 or IPv6 literal. `0.0.0.0` listens on every interface.
    public var host: String = "127.0.0.1"
    /// TCP port; 0 lets the kernel pick a free one (see `HTTPServer.port`).
    public var port: Int = 8080
    /// Event-loop (I/O) threads. Each owns an epoll instance and the connections it accepted.
    public var ioThreads: Int = 2
    /// While an I/O thread is busy (on the CPU more than 40 % of the time), after a pass over the connections that
    /// had work it offers its core once (`sched_yield`) and then takes whatever arrived meanwhile in one more pass,
    /// sleeping in epoll only when that finds nothing. When clients share the cores with the server and every
    /// connection is busy, this makes one pass per batch of requests instead of one wake-up per request, and a
    /// request no longer waits a whole scheduler tick behind a client's thread: p99 at saturation falls to a half
    /// or less. Below that load a loop wakes at once for each request, which gives the shorter tail there; on a
    /// core with nothing else to run the yield returns at once.
    public var yieldBetweenPasses: Bool = true
    /// Share of its time on the CPU past which an I/O thread counts as busy and yields between passes, and below
    /// which it stops again (the gap keeps a loop near one threshold from switching every 10 ms window). Measured
    /// on 2 cores with the client beside the server: a loop runs about 48 % of the time at saturation and 16–29 %
    /// at 45–75 % of the saturated request rate, where waking at once for each request gives the shorter tail.
    var crowdedBusy: (enter: Double, leave: Double) = (0.40, 0.33)
    /// Worker threads that run request handlers, so a long computation never stalls an I/O thread.
    public var workerThreads: Int = 8
    /// Longest request line (method, target, version) in bytes; longer gets 414.
    public var maxRequestLineBytes: Int = 8 * 1024
    /// Largest header section in bytes (request line excluded); larger gets 431.
    public var maxHeaderBytes: Int = 16 * 1024
    /// Most header fields in one request; more gets 431.
    public var maxHeaderCount: Int = 100
    /// Largest request body in bytes; larger gets 413, decided from Content-Length before reading.
    public var maxBodyBytes: Int = 32 * 1024 * 1024
    /// Most simultaneously open connections; excess connections get 503 and are closed at once.
    public var maxConnections: Int = 16_384
    /// Bytes of pipelined input buffered while a request is being answered; past it the server stops reading.
    public var maxPipelinedBytes: Int = 64 * 1024
    /// Total time allowed to receive a request head, from its first byte (slowloris defence).
    public var headTimeout: Double = 10
    /// Total time allowed to receive a request body.
    public var bodyTimeout: Double = 60
    /// Time an idle keep-alive connection is kept open.
    public var idleTimeout: Double = 15
    /// Time a response write may make no progress before the connection is dropped.
    public var writeTimeout: Double = 30
    /// On shutdown, time in-flight requests get to finish before connections are closed anyway.
    public var shutdownGracePeriod: Double = 10
    /// On shutdown, time an idle keep-alive connection is still kept open for a request its client may be
    /// sending that very moment (answered with `Connection: close`). A balancer that keeps connections to the
    /// server alive should close idle ones sooner than this (nginx: `keepalive_timeout` in the upstream block),
    /// so that it, never the server, closes an idle connection and no request meets a closing one.
    public var drainIdleTimeout: Double = 5
    /// Responses larger than this are gzip-compressed when the client accepts gzip.
    public var compressionThreshold: Int = 1024
    /// Listen backlog passed to `listen(2)`.
    public var listenBacklog: Int32 = 4096

    public init() {}
}
