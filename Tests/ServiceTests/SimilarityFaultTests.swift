import Foundation
import Glibc
import SecureSimilarity
import Service
import Testing
import TestSupport

/// A peer that misbehaves: this test plays "alice" (its own key, sealed invitation) and answers
/// the protocol messages of the instance under test with garbage, silence, or "unknown session".
@Suite struct SimilarityFaultTests {
    enum Mode: Sendable { case garbage, silent, unknownSession, closeImmediately }

    /// A one-purpose HTTP peer on 127.0.0.1: reads each request, then misbehaves as told.
    final class MisbehavingPeer: @unchecked Sendable {
        let port: Int
        let listener: Int32
        let mode: Mode

        init(mode: Mode) throws {
            self.mode = mode
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
            _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            listen(fd, 16)
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
            listener = fd
            port = Int(UInt16(bigEndian: addr.sin_port))
            Thread.detachNewThread { [self] in serve() }
        }

        deinit { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }

        private func serve() {
            while true {
                let c = accept(listener, nil, nil)
                if c < 0 { return }
                Thread.detachNewThread { [mode] in
                    defer { close(c) }
                    var got: [UInt8] = []
                    var buffer = [UInt8](repeating: 0, count: 65536)
                    // Read the head and the announced body.
                    while true {
                        let n = buffer.withUnsafeMutableBytes { recv(c, $0.baseAddress, $0.count, 0) }
                        if n <= 0 { return }
                        got += buffer[0..<n]
                        let text = String(decoding: got, as: UTF8.self)
                        if let r = text.range(of: "\r\n\r\n") {
                            let head = text[..<r.lowerBound].lowercased()
                            let length = head.components(separatedBy: "\r\n").first { $0.hasPrefix("content-length:") }
                                .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
                            if got.count >= text.utf8.distance(from: text.startIndex, to: r.upperBound) + length { break }
                        }
                    }
                    var reply: [UInt8]
                    switch mode {
                    case .garbage:
                        let body = (0..<300).map { _ in UInt8.random(in: 0...255) }
                        reply = Array("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
                    case .unknownSession:
                        let body = Array(#"{"status":404,"detail":"no similarity session"}"#.utf8)
                        reply = Array("HTTP/1.1 404 Not Found\r\nContent-Type: application/problem+json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
                    case .silent:
                        sleep(20)
                        return
                    case .closeImmediately:
                        return
                    }
                    _ = reply.withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
            }
        }
    }

    /// The instance under test (bob) with a misbehaving "alice"; returns the incoming session id.
    static func incomingSession(_ mode: Mode) throws -> (ServiceHarness, MisbehavingPeer, String) {
        let alice = IdentityKeyPair.generate()
        let peer = try MisbehavingPeer(mode: mode)
        let bobIdentity = IdentityKeyPair.generate()
        let dir = try SimilarityPair.dataDirectory(with: bobIdentity)
        let h = try ServiceHarness(configure: {
            $0.dataDirectory = dir.path
            $0.peers = ["alice": "http://127.0.0.1:\(peer.port),\(alice.publicKeyHex)"]
            $0.similarityPeerTimeout = 1
        })
        // A genuine sealed invitation from alice's key.
        let sid = SessionID.random()
        var channel = try SealedChannel(identity: alice, peerPublicKey: bobIdentity.publicKey, sessionID: sid.derived("control"))
        let now = Date().timeIntervalSince1970
        let invitation = #"{"version":1,"id":"\#(sid.hex)","encoder":{"name":"vectors","dimension":2,"fingerprint":"direct"},"fractionBits":16,"vectors":1,"createdAt":\#(now),"expiresAt":\#(now + 600)}"#
        let r = try h.request("POST", "/v1/peer/sessions", body: Data(channel.seal(Array(invitation.utf8))), headers: ["Content-Type": "application/octet-stream"])
        #expect(r.status == 201)
        _ = try channel.open(Array(r.body))
        #expect(try h.get("/v1/similarity/sessions/\(sid.hex)").json()["state"] as? String == "incoming")
        return (h, peer, sid.hex)
    }

    @Test(arguments: [Mode.garbage, .silent, .unknownSession, .closeImmediately])
    func misbehavingPeerFailsTheSessionClearly(_ mode: Mode) throws {
        let (h, peer, id) = try Self.incomingSession(mode)
        let started = Date()
        #expect(try h.post("/v1/similarity/sessions/\(id)/accept", json: ["vectors": [[0.6, 0.8]]]).status == 202)
        let doc = try SimilarityRoutesTests.wait(h, id)
        #expect(doc["state"] as? String == "failed")
        let error = try #require(doc["error"] as? [String: Any])
        let message = error["message"] as? String ?? ""
        #expect(!message.isEmpty)
        switch mode {
        case .garbage: #expect(error["field"] as? String == "sealed.magic" || (error["field"] as? String ?? "").hasPrefix("sealed"))
        case .silent: #expect(message.contains("timeout") || message.contains("no answer"))
        case .unknownSession: #expect(message.contains("does not know this session"))
        case .closeImmediately: #expect(error["field"] as? String == "peer")
        }
        #expect(Date().timeIntervalSince(started) < 10, "nothing hangs")
        _ = peer
    }

    @Test func garbageAtThePeerEndpointsIsRefusedWithoutHarm() throws {
        let (h, _, id) = try Self.incomingSession(.garbage)
        for body in [[UInt8](), Array("ISC".utf8), (0..<200).map { _ in UInt8.random(in: 0...255) }] {
            let r1 = try h.request("POST", "/v1/peer/sessions", body: Data(body), headers: ["Content-Type": "application/octet-stream"])
            #expect(r1.status == 401)
            let r2 = try h.request("POST", "/v1/peer/sessions/\(id)/messages", body: Data(body), headers: ["Content-Type": "application/octet-stream"])
            #expect(r2.status == 401)
        }
        // The session is untouched by unauthenticated bytes.
        #expect(try h.get("/v1/similarity/sessions/\(id)").json()["state"] as? String == "incoming")
    }
}
