/// Incremental decoder for `Transfer-Encoding: chunked` (RFC 9112 §7.1). Strict: hex sizes without
/// sign or overflow, CRLF after every chunk's data, bounded chunk extensions and trailers (which are
/// read and discarded, never merged into the header fields), and a running cap on the decoded size.
public struct ChunkedBodyDecoder: Sendable {
    public enum Step: Equatable, Sendable { case needMore, done, failure(HTTPParseError) }

    enum State: Sendable { case size, data(Int), dataEnd, trailer }

    private var state: State = .size
    private var trailerBytes = 0
    public private(set) var body: [UInt8] = []
    public let maxBodyBytes: Int
    public let maxLineBytes: Int

    public init(maxBodyBytes: Int, maxLineBytes: Int = 4096) {
        self.maxBodyBytes = maxBodyBytes
        self.maxLineBytes = maxLineBytes
    }

    /// Consumes as much of `bytes` as it can; `consumed` counts the bytes used.
    public mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, consumed: inout Int) -> Step {
        var i = 0
        defer { consumed = i }
        while true {
            switch state {
            case .size:
                guard let end = lineEnd(bytes, from: i) else {
                    if bytes.count - i > maxLineBytes { return .failure(HTTPParseError(.badRequest, "chunk size line too long")) }
                    return bytesAreClean(bytes, from: i) ? .needMore : .failure(HTTPParseError(.badRequest, "bare CR or LF in a chunk size line"))
                }
                if end < 0 { return .failure(HTTPParseError(.badRequest, "chunk size line must end with CRLF")) }
                var j = i
                var size = 0
                var digits = 0
                while j < end, let v = PercentDecoding.hexValue(bytes[j]) {
                    digits += 1
                    if digits > 15 { return .failure(HTTPParseError(.badRequest, "chunk size overflows")) }
                    size = size << 4 | Int(v)
                    j += 1
                }
                if digits == 0 { return .failure(HTTPParseError(.badRequest, "invalid chunk size")) }
                // Optional BWS then chunk extensions; anything else is an error.
                while j < end && (bytes[j] == 32 || bytes[j] == 9) { j += 1 }
                if j < end && bytes[j] != UInt8(ascii: ";") { return .failure(HTTPParseError(.badRequest, "invalid chunk size")) }
                for k in j..<end where (bytes[k] < 0x20 && bytes[k] != 9) || bytes[k] == 0x7F {
                    return .failure(HTTPParseError(.badRequest, "control character in a chunk extension"))
                }
                i = end + 2
                if size == 0 {
                    state = .trailer
                } else {
                    if body.count + size > maxBodyBytes {
                        return .failure(HTTPParseError(.contentTooLarge, "request body larger than \(maxBodyBytes) bytes"))
                    }
                    body.reserveCapacity(body.count + size)
                    state = .data(size)
                }
            case .data(let remaining):
                let n = min(remaining, bytes.count - i)
                if n == 0 { return .needMore }
                body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + n)]))
                i += n
                state = remaining - n == 0 ? .dataEnd : .data(remaining - n)
            case .dataEnd:
                if bytes.count - i < 2 { return .needMore }
                guard bytes[i] == 13 && bytes[i + 1] == 10 else { return .failure(HTTPParseError(.badRequest, "chunk data not followed by CRLF")) }
                i += 2
                state = .size
            case .trailer:
                guard let end = lineEnd(bytes, from: i) else {
                    if trailerBytes + bytes.count - i > maxLineBytes { return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "trailer section too large")) }
                    return bytesAreClean(bytes, from: i) ? .needMore : .failure(HTTPParseError(.badRequest, "bare CR or LF in the trailer section"))
                }
                if end < 0 { return .failure(HTTPParseError(.badRequest, "trailer line must end with CRLF")) }
                let length = end - i
                trailerBytes += length + 2
                if trailerBytes > maxLineBytes { return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "trailer section too large")) }
                for k in i..<end where (bytes[k] < 0x20 && bytes[k] != 9) || bytes[k] == 0x7F {
                    return .failure(HTTPParseError(.badRequest, "control character in a trailer field"))
                }
                i = end + 2
                if length == 0 { return .done }
            }
        }
    }

    /// Index of the CR of the next CRLF; -1 when a bare CR or LF comes first; nil when more input is needed.
    private func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var j = start
        while j < bytes.count {
            if bytes[j] == 10 { return -1 }
            if bytes[j] == 13 {
                guard j + 1 < bytes.count else { return nil }
                return bytes[j + 1] == 10 ? j : -1
            }
            j += 1
        }
        return nil
    }

    private func bytesAreClean(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        for j in start..<bytes.count where bytes[j] == 10 || bytes[j] == 0 { return false }
        return true
    }
}
