import CZlib

/// The one wrapper around zlib: gzip-framed deflate, all at once or as a stream.
public final class GzipStream {
    private var stream = z_stream()
    private var finished = false

    /// `level` 1 is several times faster than 6 for a few percent more bytes; the default suits JSON.
    public init(level: Int32 = 6) {
        let rc = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(rc == Z_OK, "deflateInit2 failed: \(rc)")
    }

    deinit { deflateEnd(&stream) }

    /// Compresses `input`; with `flush` the output so far is complete enough for the client to decode
    /// (Z_SYNC_FLUSH), which streamed responses and server-sent events need.
    public func compress(_ input: [UInt8], flush: Bool = true) -> [UInt8] {
        run(input, mode: flush ? Z_SYNC_FLUSH : Z_NO_FLUSH)
    }

    /// Compresses `input` and ends with a full flush (Z_FULL_FLUSH): the output so far ends on a byte
    /// boundary and the compression history is reset, so what follows can be inflated on its own with
    /// `inflateRaw` (how stored expansions allow reading any piece without the ones before it).
    public func compressFullFlush(_ input: [UInt8]) -> [UInt8] {
        run(input, mode: Z_FULL_FLUSH)
    }

    /// Length of the gzip header this stream writes (no name, no extra field).
    public static let headerBytes = 10

    /// Ends the stream: the remaining output and the gzip trailer.
    public func finish() -> [UInt8] {
        guard !finished else { return [] }
        finished = true
        return run([], mode: Z_FINISH)
    }

    private func run(_ input: [UInt8], mode: Int32) -> [UInt8] {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(1024, Int(deflateBound(&stream, uLong(input.count))) + 64))
        var mutableInput = input
        mutableInput.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = uInt(inBuf.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    _ = deflate(&stream, mode)
                    return outBuf.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk[0..<produced])
            } while stream.avail_out == 0 || (mode == Z_FINISH && stream.avail_in > 0)
            stream.next_in = nil
        }
        return output
    }

    /// One-shot gzip of a whole body.
    public static func gzip(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        let s = GzipStream(level: level)
        return s.run(input, mode: Z_FINISH)
    }

    /// Inflates raw deflate data that starts at a full-flush point (see `compressFullFlush`), up to
    /// the end of the input or of the deflate stream; nil when it is corrupt or exceeds `maxOutput`.
    public static func inflateRaw(_ input: [UInt8], maxOutput: Int) -> [UInt8]? {
        inflateAll(input, windowBits: -15, maxOutput: maxOutput, endOfInputIsEnd: true)
    }

    /// Decompresses a gzip document (used by tests and by clients of the peer protocol).
    public static func gunzip(_ input: [UInt8], maxOutput: Int = 1 << 30) -> [UInt8]? {
        inflateAll(input, windowBits: 15 + 16, maxOutput: maxOutput, endOfInputIsEnd: false)
    }

    /// zlib's inflate over all of `input`. Without `endOfInputIsEnd` only a complete stream succeeds.
    private static func inflateAll(_ input: [UInt8], windowBits: Int32, maxOutput: Int, endOfInputIsEnd: Bool) -> [UInt8]? {
        var s = z_stream()
        guard inflateInit2_(&s, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&s) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        var mutableInput = input
        var ok = false
        mutableInput.withUnsafeMutableBufferPointer { inBuf in
            s.next_in = inBuf.baseAddress
            s.avail_in = uInt(inBuf.count)
            while true {
                var rc: Int32 = 0
                let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuf in
                    s.next_out = outBuf.baseAddress
                    s.avail_out = uInt(outBuf.count)
                    rc = inflate(&s, Z_SYNC_FLUSH)
                    return outBuf.count - Int(s.avail_out)
                }
                output.append(contentsOf: chunk[0..<produced])
                if output.count > maxOutput { return }
                if rc == Z_STREAM_END { ok = true; return }
                if rc != Z_OK && rc != Z_BUF_ERROR { return }
                if endOfInputIsEnd && s.avail_in == 0 && produced < chunk.count { ok = true; return }
                if rc == Z_BUF_ERROR && produced == 0 { return }
            }
        }
        return ok ? output : nil
    }
}
