import CLinux
import Glibc

/// The one place where the server calls the C library: sockets, epoll, eventfd, resource limits.
/// Everything above this file deals in Swift values and never touches `errno` or raw pointers to C structs.
/// The public part is the blocking client socket the Service's peer client uses (connect with a deadline,
/// send and receive timeouts, send, receive, close), so its socket calls live here too.
public enum Posix {
    public enum ReadResult { case bytes(Int), endOfFile, wouldBlock, failed(Int32) }
    public enum WriteResult { case wrote(Int), wouldBlock, failed(Int32) }
    enum AcceptResult { case accepted(Int32), wouldBlock, outOfDescriptors, failed(Int32) }

    struct SystemCallError: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        var description: String { "\(call) failed: \(String(cString: strerror(code))) (errno \(code))" }
    }

    /// The first IPv4 address of an interface that is up and not loopback (a pod's or container's own
    /// address), nil when there is none.
    public static func firstNonLoopbackIPv4() -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            let flags = Int32(entry.pointee.ifa_flags)
            guard let addr = entry.pointee.ifa_addr, addr.pointee.sa_family == sa_family_t(AF_INET),
                  flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0 else { continue }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            var sin = addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
            guard inet_ntop(AF_INET, &sin.sin_addr, &text, socklen_t(INET_ADDRSTRLEN)) != nil else { continue }
            return String(cString: text)
        }
        return nil
    }

    /// Ignoring SIGPIPE turns a write to a closed peer into EPIPE instead of killing the process.
    static func ignoreSIGPIPE() { signal(SIGPIPE, SIG_IGN) }

    /// Raises the soft open-file limit to the hard limit; returns the limit now in force.
    @discardableResult
    static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised) == 0 { return Int(clamping: raised.rlim_cur) }
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// Makes a listening socket drop new connection attempts (their SYN) while handshakes already under way
    /// still complete into its accept queue. The client's SYN goes unanswered and, once the socket is
    /// closed, its retransmission is refused: no client ever has a connection the server will not read.
    /// False when the kernel refused the filter.
    static func refuseNewConnections(_ fd: Int32) -> Bool { cl_refuse_new_connections(fd) == 0 }

    /// Opens a non-blocking listening socket. `port` 0 asks the kernel for a free port; the bound port is returned.
    static func listen(host: String, port: Int, backlog: Int32) throws -> (fd: Int32, port: Int) {
        let isV6 = host.contains(":")
        let fd = socket(isV6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemCallError(call: "socket", code: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var rc: Int32
        if isV6 {
            var addr = sockaddr_in6()
            addr.sin6_family = sa_family_t(AF_INET6)
            addr.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, host, &addr.sin6_addr) == 1 else { close(fd); throw SystemCallError(call: "inet_pton(\(host))", code: EINVAL) }
            rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        } else {
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else { close(fd); throw SystemCallError(call: "inet_pton(\(host))", code: EINVAL) }
            rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        guard rc == 0 else { let e = errno; close(fd); throw SystemCallError(call: "bind(\(host):\(port))", code: e) }
        guard Glibc.listen(fd, backlog) == 0 else { let e = errno; close(fd); throw SystemCallError(call: "listen", code: e) }
        var bound = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let boundPort: Int = withUnsafePointer(to: &bound) { ptr in
            if isV6 { return ptr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) } }
            return ptr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
        return (fd, boundPort)
    }

    /// Accepts one connection as a non-blocking, close-on-exec socket with TCP_NODELAY set.
    static func accept(_ listener: Int32) -> AcceptResult {
        while true {
            let fd = cl_accept(listener)
            if fd >= 0 {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return .accepted(fd)
            }
            let e = errno
            switch e {
            case EINTR, ECONNABORTED: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case EMFILE, ENFILE, ENOBUFS, ENOMEM: return .outOfDescriptors
            default: return .failed(e)
            }
        }
    }

    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        while true {
            let n = cl_recv(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .endOfFile }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock }
            return .failed(e)
        }
    }

    static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> WriteResult {
        while true {
            let n = cl_send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .wrote(n) }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock }
            return .failed(e)
        }
    }

    /// Bytes the kernel holds in `fd`'s send queue, not yet taken by the peer; -1 on failure.
    static func unsentBytes(_ fd: Int32) -> Int { Int(cl_unsent_bytes(fd)) }

    static func shutdownWrite(_ fd: Int32) { _ = shutdown(fd, Int32(SHUT_WR)) }
    public static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    // MARK: blocking client sockets

    /// Why a client connection could not be opened, in words.
    public struct ConnectError: Error, Sendable {
        public let message: String
    }

    /// The C library's text for an errno value.
    public static func describe(errno code: Int32) -> String { String(cString: strerror(code)) }

    /// Opens a blocking TCP client socket (close-on-exec, TCP_NODELAY) to `host:port`: tries each address the
    /// name resolves to in turn, each with a non-blocking connect polled until `timeout` seconds after the call.
    /// Name resolution itself is not bounded.
    public static func connect(host: String, port: Int, timeout: Double) throws(ConnectError) -> Int32 {
        let deadline = Double(monotonicNanos()) / 1e9 + timeout
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else { throw ConnectError(message: "cannot resolve \(host): \(String(cString: gai_strerror(rc)))") }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cursor {
            cursor = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), ai.pointee.ai_protocol)
            if fd < 0 { continue }
            let flags = fcntl(fd, F_GETFL, 0)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            var ok = Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0
            if !ok && errno == EINPROGRESS {
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let leftMs = (deadline - Double(monotonicNanos()) / 1e9) * 1000
                let ms = Int32(max(1, min(Double(Int32.max), leftMs)))
                if poll(&p, 1, ms) == 1 {
                    var err: Int32 = 0
                    var len = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
                    ok = err == 0
                    if !ok { lastError = describe(errno: err) }
                } else {
                    lastError = "connect timed out"
                }
            } else if !ok {
                lastError = describe(errno: errno)
            }
            if ok {
                _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return fd
            }
            _ = Glibc.close(fd)
        }
        throw ConnectError(message: "cannot connect to \(host):\(port): \(lastError)")
    }

    /// Bounds every later blocking send and receive on `fd` by `seconds` (SO_SNDTIMEO, SO_RCVTIMEO); a call
    /// that times out then reports `wouldBlock`.
    public static func setTimeouts(_ fd: Int32, seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends what it can of `bytes[offset...]` (no SIGPIPE; EINTR retried).
    public static func write(_ fd: Int32, _ bytes: [UInt8], from offset: Int) -> WriteResult {
        bytes.withUnsafeBytes { write(fd, UnsafeRawBufferPointer(rebasing: $0[offset...])) }
    }

    /// Receives into `buffer` from its start, at most `buffer.count` bytes (EINTR retried).
    public static func read(_ fd: Int32, into buffer: inout [UInt8]) -> ReadResult {
        buffer.withUnsafeMutableBytes { read(fd, into: $0) }
    }

    // MARK: epoll and eventfd

    static let readable = CL_EPOLLIN
    static let writable = CL_EPOLLOUT
    static let hangup = CL_EPOLLHUP | CL_EPOLLERR | CL_EPOLLRDHUP
    static let exclusive = CL_EPOLLEXCLUSIVE

    static func epollCreate() throws -> Int32 {
        let fd = cl_epoll_create()
        guard fd >= 0 else { throw SystemCallError(call: "epoll_create1", code: cl_errno()) }
        return fd
    }

    @discardableResult
    static func epollAdd(_ epfd: Int32, _ fd: Int32, events: UInt32) -> Bool { cl_epoll_ctl(epfd, 0, fd, events) == 0 }
    @discardableResult
    static func epollModify(_ epfd: Int32, _ fd: Int32, events: UInt32) -> Bool { cl_epoll_ctl(epfd, 1, fd, events) == 0 }
    static func epollRemove(_ epfd: Int32, _ fd: Int32) { _ = cl_epoll_ctl(epfd, 2, fd, 0) }

    /// Waits for events; fills `fds` and `events` and returns how many are ready (0 on timeout or EINTR).
    static func epollWait(_ epfd: Int32, fds: inout [Int32], events: inout [UInt32], timeoutMs: Int32) -> Int {
        let n = fds.withUnsafeMutableBufferPointer { f in
            events.withUnsafeMutableBufferPointer { e in
                cl_epoll_wait(epfd, f.baseAddress, e.baseAddress, Int32(f.count), timeoutMs)
            }
        }
        return n > 0 ? Int(n) : 0
    }

    /// CPU time this thread has used, in nanoseconds.
    static func threadCPUNanos() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
    }

    /// Lets another thread that is ready to run on this core go first; returns at once when there is none.
    static func yieldCore() { sched_yield() }

    static func eventCreate() throws -> Int32 {
        let fd = cl_eventfd()
        guard fd >= 0 else { throw SystemCallError(call: "eventfd", code: cl_errno()) }
        return fd
    }

    static func eventSignal(_ fd: Int32) {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { Glibc.write(fd, $0.baseAddress, 8) }
    }

    static func eventDrain(_ fd: Int32) {
        var value: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &value) { Glibc.read(fd, $0.baseAddress, 8) }
    }

    /// Monotonic clock in nanoseconds, for deadlines.
    public static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
