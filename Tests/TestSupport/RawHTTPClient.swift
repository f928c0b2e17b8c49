import Foundation
import Glibc

/// A deliberately dumb HTTP client on a raw socket, for sending exactly the bytes a test wants
/// (malformed requests included) and reading exactly what comes back.
public final class RawHTTPClient {
    public let fd: Int32

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// The socket is kept in a local until it is connected: once `self.fd` is set, a throwing init runs `deinit`,
    /// which would close the descriptor a second time — by then possibly another thread's new socket.
    public init(port: Int, host: String = "127.0.0.1", timeout: Double = 5) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed: errno \(errno)") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &addr.sin_addr)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { let e = errno; Glibc.close(fd); throw Failure(description: "connect to \(port) failed: errno \(e)") }
        self.fd = fd
    }

    deinit { Glibc.close(fd) }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 { if errno == EINTR { continue }; throw Failure(description: "send failed: errno \(errno)") }
            offset += n
        }
    }

    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads until the server closes the connection or the timeout passes.
    /// Returns the bytes and whether the connection was closed by the server.
    public func readAll() -> (bytes: [UInt8], closed: Bool) {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { out.append(contentsOf: buf[0..<n]); continue }
            if n == 0 { return (out, true) }
            if errno == EINTR { continue }
            return (out, errno == ECONNRESET)
        }
    }

    /// Reads one complete response (Content-Length or chunked framing) without waiting for close.
    public func readResponse() throws -> RawResponse {
        // What the last read took in past its response is the start of the next one.
        var data = pending
        pending = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            if let response = RawResponse.parse(data) {
                pending = Array(data[response.length...])
                return response
            }
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { data.append(contentsOf: buf[0..<n]) } else if n == 0 {
                throw Failure(description: "connection closed after \(data.count) bytes: \(String(decoding: data, as: UTF8.self))")
            } else if errno == ECONNRESET {
                throw Failure(description: "connection reset after \(data.count) bytes: \(String(decoding: data, as: UTF8.self))")
            } else if errno != EINTR {
                throw Failure(description: "timed out after \(data.count) bytes: \(String(decoding: data, as: UTF8.self))")
            }
        }
    }

    private var pending: [UInt8] = []
}

/// A parsed raw response.
public struct RawResponse {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Bytes of the whole message on the wire.
    public var length: Int

    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Parses the first complete response in `data`, or nil when incomplete.
    public static func parse(_ data: [UInt8], headOnly: Bool = false) -> RawResponse? {
        guard let end = find(data, [13, 10, 13, 10]) else { return nil }
        let head = String(decoding: data[0..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let c = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<c]), line[line.index(after: c)...].trimmingCharacters(in: .whitespaces))
        }
        var response = RawResponse(status: status, headers: headers, body: [], length: end + 4)
        if headOnly || status == 204 || status == 304 || status < 200 { return response }
        if let te = response.header("Transfer-Encoding"), te.lowercased().contains("chunked") {
            var i = end + 4
            var body: [UInt8] = []
            while true {
                guard let lineEnd = find(Array(data[i...]), [13, 10]) else { return nil }
                let sizeText = String(decoding: data[i..<(i + lineEnd)], as: UTF8.self).split(separator: ";")[0]
                guard let size = Int(sizeText, radix: 16) else { return nil }
                i += lineEnd + 2
                if size == 0 {
                    guard data.count >= i + 2 else { return nil }
                    i += 2
                    break
                }
                guard data.count >= i + size + 2 else { return nil }
                body.append(contentsOf: data[i..<(i + size)])
                i += size + 2
            }
            response.body = body
            response.length = i
            return response
        }
        let length = Int(response.header("Content-Length") ?? "0") ?? 0
        guard data.count >= end + 4 + length else { return nil }
        response.body = Array(data[(end + 4)..<(end + 4 + length)])
        response.length = end + 4 + length
        return response
    }

    /// Every complete response in `data`, in order.
    public static func parseAll(_ data: [UInt8], headOnly: Bool = false) -> [RawResponse] {
        var out: [RawResponse] = []
        var rest = data
        while let r = parse(rest, headOnly: headOnly) {
            out.append(r)
            if r.status == 100 { rest = Array(rest[r.length...]); continue }
            rest = Array(rest[r.length...])
        }
        return out
    }

    static func find(_ data: [UInt8], _ needle: [UInt8]) -> Int? {
        guard data.count >= needle.count else { return nil }
        for i in 0...(data.count - needle.count) where data[i] == needle[0] {
            if Array(data[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}
