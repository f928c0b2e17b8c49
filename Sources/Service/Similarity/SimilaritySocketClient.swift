import Foundation
import HTTPServer

/// A minimal blocking HTTP/1.1 client on POSIX sockets for the peer calls over plain `http://`
/// (one connection per request, `Connection: close`), because URLSession on Linux moves large
/// request bodies slowly (hundreds of milliseconds per megabyte). Every step — name lookup aside —
/// is bounded by one deadline: non-blocking connect polled until it, then socket send/receive
/// timeouts set to what is left. `https://` peers go through URLSession. The socket calls themselves
/// are `Posix`'s, the one wrapper of the C library's sockets.
enum SimilaritySocketClient {
    struct Failure: Error {
        let message: String
    }

    struct Response {
        var status: Int
        var body: [UInt8]
        /// The response's header fields (lower-case names).
        var headers: [(String, String)] = []
    }

    /// POSTs `body` to `url` (http only) with extra `headers` (names and values free of CR and LF) and returns
    /// the status and body.
    static func post(_ url: URL, body: [UInt8], contentType: String, headers: [(String, String)] = [], timeout: Double,
                     maxReplyBytes: Int) throws(Failure) -> Response {
        try request("POST", url, headers: [("Content-Type", contentType), ("Accept", contentType)] + headers, body: body,
                    timeout: timeout, maxReplyBytes: maxReplyBytes)
    }

    /// Sends one request (http only) with the given header fields (those with CR or LF are left out) and
    /// returns the status, fields and body.
    static func request(_ method: String, _ url: URL, headers: [(String, String)], body: [UInt8], timeout: Double,
                        maxReplyBytes: Int) throws(Failure) -> Response {
        guard let host = url.host else { throw Failure(message: "the peer URL has no host") }
        let port = url.port ?? 80
        let deadline = Date().addingTimeInterval(timeout)
        let fd: Int32
        do {
            fd = try Posix.connect(host: host, port: port, timeout: deadline.timeIntervalSinceNow)
        } catch {
            throw Failure(message: error.message)
        }
        defer { Posix.close(fd) }
        var path = url.path.isEmpty ? "/" : url.path
        if let q = url.query { path += "?" + q }
        let hostHeader = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\n"
        for (name, value) in headers where !(name + value).contains(where: { $0 == "\r" || $0 == "\n" }) { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        try send(fd, Array(head.utf8), deadline: deadline)
        try send(fd, body, deadline: deadline)
        return try readResponse(fd, deadline: deadline, maxBytes: maxReplyBytes)
    }

    private static func remaining(_ deadline: Date) throws(Failure) -> Double {
        let left = deadline.timeIntervalSinceNow
        guard left > 0 else { throw Failure(message: "no answer within the peer timeout") }
        return left
    }

    private static func send(_ fd: Int32, _ bytes: [UInt8], deadline: Date) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            Posix.setTimeouts(fd, seconds: try remaining(deadline))
            switch Posix.write(fd, bytes, from: offset) {
            case .wrote(let n): offset += n
            case .wouldBlock: continue
            case .failed(let code): throw Failure(message: "sending to the peer failed: \(Posix.describe(errno: code))")
            }
        }
    }

    private static func readResponse(_ fd: Int32, deadline: Date, maxBytes: Int) throws(Failure) -> Response {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var headEnd: Int?
        var status = 0
        var contentLength: Int?
        var chunked = false
        var fields: [(String, String)] = []
        func fill() throws(Failure) -> Bool {
            Posix.setTimeouts(fd, seconds: try remaining(deadline))
            switch Posix.read(fd, into: &buffer) {
            case .bytes(let n):
                data.append(contentsOf: buffer[0..<n])
                guard data.count <= maxBytes + 65536 else { throw Failure(message: "the peer's reply exceeds \(maxBytes) bytes") }
                return true
            case .endOfFile: return false
            case .wouldBlock: throw Failure(message: "no answer within the peer timeout")
            case .failed(let code): throw Failure(message: "reading from the peer failed: \(Posix.describe(errno: code))")
            }
        }
        while headEnd == nil {
            guard try fill() else { throw Failure(message: "the peer closed the connection without an answer") }
            if let r = find([13, 10, 13, 10], in: data) {
                headEnd = r + 4
                let head = String(decoding: data[0..<r], as: UTF8.self)
                let lines = head.components(separatedBy: "\r\n")
                let parts = lines[0].split(separator: " ")
                guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]) else {
                    throw Failure(message: "the peer did not answer in HTTP/1.1")
                }
                status = code
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                    let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    fields.append((name, value))
                    if name == "content-length" { contentLength = Int(value) }
                    if name == "transfer-encoding" && value.lowercased().contains("chunked") { chunked = true }
                }
                if status == 100 {   // interim response: drop it and read the real head
                    data.removeFirst(r + 4)
                    headEnd = nil
                    contentLength = nil
                    chunked = false
                    fields = []
                }
            }
        }
        let start = headEnd!
        if let length = contentLength {
            guard length <= maxBytes else { throw Failure(message: "the peer's reply of \(length) bytes exceeds \(maxBytes)") }
            while data.count - start < length {
                guard try fill() else { throw Failure(message: "the peer closed the connection mid-answer") }
            }
            return Response(status: status, body: Array(data[start..<(start + length)]), headers: fields)
        }
        if chunked {
            var body: [UInt8] = []
            var cursor = start
            while true {
                var lineEnd = find([13, 10], in: data, from: cursor)
                while lineEnd == nil {
                    guard try fill() else { throw Failure(message: "the peer closed the connection mid-answer") }
                    lineEnd = find([13, 10], in: data, from: cursor)
                }
                let sizeText = String(decoding: data[cursor..<lineEnd!], as: UTF8.self).split(separator: ";")[0]
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                    throw Failure(message: "the peer sent a malformed chunked answer")
                }
                cursor = lineEnd! + 2
                if size == 0 { return Response(status: status, body: body, headers: fields) }
                guard body.count + size <= maxBytes else { throw Failure(message: "the peer's reply exceeds \(maxBytes) bytes") }
                while data.count < cursor + size + 2 {
                    guard try fill() else { throw Failure(message: "the peer closed the connection mid-answer") }
                }
                body += data[cursor..<(cursor + size)]
                cursor += size + 2
            }
        }
        while try fill() {}
        return Response(status: status, body: Array(data[start...]), headers: fields)
    }

    private static func find(_ needle: [UInt8], in data: [UInt8], from: Int = 0) -> Int? {
        guard data.count >= needle.count, from <= data.count - needle.count else { return nil }
        var i = from
        while i <= data.count - needle.count {
            if data[i] == needle[0] && Array(data[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}
