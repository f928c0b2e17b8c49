import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc
import SecureSimilarity
import TestSupport

/// A JSON client for one instance on 127.0.0.1 (URLSession), with an optional bearer token.
struct SimilarityClient: Sendable {
    let port: Int
    var token: String?

    struct Reply: Sendable {
        var status: Int
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            guard let o = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw RawHTTPClient.Failure(description: "not a JSON object: \(text)")
            }
            return o
        }
        func problemFields() -> [String] {
            ((try? json())?["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
        }
    }

    func request(_ method: String, _ path: String, body: Data? = nil, contentType: String = "application/json",
                 headers: [String: String] = [:]) throws -> Reply {
        var req = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 30)
        req.httpMethod = method
        req.httpBody = body
        if body != nil { req.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let token { req.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: req) { data, response, error in
            if let http = response as? HTTPURLResponse {
                box.set(.success(Reply(status: http.statusCode, body: data ?? Data())))
            } else {
                box.set(.failure(error ?? RawHTTPClient.Failure(description: "no response")))
            }
            done.signal()
        }.resume()
        done.wait()
        return try box.get()
    }

    func get(_ path: String) throws -> Reply { try request("GET", path) }
    func delete(_ path: String) throws -> Reply { try request("DELETE", path) }
    func post(_ path: String, json: Any) throws -> Reply { try request("POST", path, body: try JSONSerialization.data(withJSONObject: json)) }

    /// Polls a session until its state is one of `states`.
    func waitForSession(_ id: String, states: Set<String> = ["succeeded", "failed", "declined", "expired", "cancelled"], timeout: Double = 30) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        var last: [String: Any] = [:]
        while Date() < deadline {
            last = try get("/v1/similarity/sessions/\(id)").json()
            if let s = last["state"] as? String, states.contains(s) { return last }
            usleep(30_000)
        }
        throw RawHTTPClient.Failure(description: "session \(id) did not reach \(states) in \(timeout) s: \(last)")
    }

    private final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<Reply, Error>?
        func set(_ r: Result<Reply, Error>) { lock.lock(); result = r; lock.unlock() }
        func get() throws -> Reply { lock.lock(); defer { lock.unlock() }; return try result!.get() }
    }
}

/// A TCP proxy on 127.0.0.1 that forwards to `targetPort` and records every byte in both
/// directions. `holdAfter(requests:)` stops forwarding client data once that many peer
/// requests ("POST /v1/peer/") have passed, until `release()`: a peer that has gone quiet.
final class RecordingProxy: @unchecked Sendable {
    let port: Int
    private var target = 0
    /// Where connections go (settable once the target has started).
    var targetPort: Int {
        get { lock.lock(); defer { lock.unlock() }; return target }
        set { lock.lock(); target = newValue; lock.unlock() }
    }
    private let listener: Int32
    private let lock = NSLock()
    private var captured: [UInt8] = []
    private var requests = 0
    private var holdLimit = Int.max
    private var closed = false

    init(targetPort: Int = 0) throws {
        target = targetPort
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0, listen(listener, 64) == 0 else { throw RawHTTPClient.Failure(description: "proxy cannot listen") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit { close() }

    /// Wakes the accept loop, which closes the listener itself: closing it here could close a descriptor number
    /// another thread has been given meanwhile, while the loop still accepts on it.
    func close() {
        lock.lock(); defer { lock.unlock() }
        if !closed { closed = true; shutdown(listener, Int32(SHUT_RDWR)) }
    }

    var bytes: [UInt8] { lock.lock(); defer { lock.unlock() }; return captured }
    var requestCount: Int { lock.lock(); defer { lock.unlock() }; return requests }
    func holdAfter(requests n: Int) { lock.lock(); holdLimit = n; lock.unlock() }
    func release() { lock.lock(); holdLimit = Int.max; lock.unlock() }

    private func acceptLoop() {
        defer { lock.lock(); closed = true; Glibc.close(listener); lock.unlock() }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { if errno == EINTR { continue }; return }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(targetPort).bigEndian)
            inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
            let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            if rc != 0 { Glibc.close(upstream); Glibc.close(client); continue }
            let both = ClosedByLastPump(client, upstream)
            Thread.detachNewThread { [self] in pump(from: client, to: upstream, countRequests: true); both.pumpEnded() }
            Thread.detachNewThread { [self] in pump(from: upstream, to: client, countRequests: false); both.pumpEnded() }
        }
    }

    /// The two descriptors of one proxied connection, closed once both directions have ended (each pump only
    /// shuts them down, so neither can close a descriptor the other is still using).
    private final class ClosedByLastPump: @unchecked Sendable {
        let a: Int32, b: Int32
        private let lock = NSLock()
        private var running = 2
        init(_ a: Int32, _ b: Int32) { self.a = a; self.b = b }
        func pumpEnded() {
            lock.lock(); running -= 1; let last = running == 0; lock.unlock()
            if last { Glibc.close(a); Glibc.close(b) }
        }
    }

    private func pump(from: Int32, to: Int32, countRequests: Bool) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        defer { shutdown(to, Int32(SHUT_RDWR)); shutdown(from, Int32(SHUT_RDWR)) }
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(from, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            let chunk = Array(buffer[0..<n])
            if countRequests {
                let text = String(decoding: chunk, as: UTF8.self)
                let starts = text.components(separatedBy: "POST /v1/peer/").count - 1
                while true {
                    lock.lock()
                    let held = starts > 0 && requests >= holdLimit && !closed
                    if !held { requests += starts }
                    lock.unlock()
                    if !held { break }
                    usleep(10_000)
                }
            }
            lock.lock(); captured.append(contentsOf: chunk); lock.unlock()
            var offset = 0
            while offset < n {
                let m = chunk.withUnsafeBytes { send(to, $0.baseAddress! + offset, n - offset, Int32(MSG_NOSIGNAL)) }
                if m <= 0 { return }
                offset += m
            }
        }
    }
}

/// Two real `incognita` processes, "alice" and "bob", on 127.0.0.1 with their own ports, data
/// directories and identity keys (written before start), each reaching the other through a
/// recording proxy.
final class SimilarityPair: @unchecked Sendable {
    let alice: ServerProcess
    let bob: ServerProcess
    let aliceIdentity: IdentityKeyPair
    let bobIdentity: IdentityKeyPair
    /// What bob sends to alice (protocol messages) and alice's replies.
    let toAlice: RecordingProxy
    /// What alice sends to bob (invitations, events) and bob's replies.
    let toBob: RecordingProxy

    init(arguments: [String] = [], bobArguments: [String] = []) throws {
        aliceIdentity = IdentityKeyPair.generate()
        bobIdentity = IdentityKeyPair.generate()
        toAlice = try RecordingProxy()
        toBob = try RecordingProxy()
        let aliceDir = try Self.dataDirectory(with: aliceIdentity), bobDir = try Self.dataDirectory(with: bobIdentity)
        alice = try ServerProcess(arguments: ["--peer", "bob=http://127.0.0.1:\(toBob.port),\(bobIdentity.publicKeyHex)"] + arguments,
                                  dataDirectory: aliceDir)
        bob = try ServerProcess(arguments: ["--peer", "alice=http://127.0.0.1:\(toAlice.port),\(aliceIdentity.publicKeyHex)"] + arguments + bobArguments,
                                dataDirectory: bobDir)
        toAlice.targetPort = alice.port
        toBob.targetPort = bob.port
    }

    /// The data directory with the identity already in place (so each side can pin the other's key at start).
    static func dataDirectory(with identity: IdentityKeyPair) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("similarity"), withIntermediateDirectories: true)
        try Data(identity.serialized()).write(to: dir.appendingPathComponent("similarity/identity.key"))
        return dir
    }

    var aliceClient: SimilarityClient { SimilarityClient(port: alice.port) }
    var bobClient: SimilarityClient { SimilarityClient(port: bob.port) }

    deinit {
        toAlice.release(); toBob.release()
        toAlice.close(); toBob.close()
    }
}

/// Plaintext cosine of two unit vectors.
func similarityDot(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
}
