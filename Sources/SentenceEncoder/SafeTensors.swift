import Foundation

/// A `.safetensors` file read in place: 8 bytes little-endian header length N, N bytes of JSON mapping each
/// tensor name to `{dtype, shape, data_offsets: [begin, end]}` (offsets relative to the end of the header),
/// then the raw little-endian tensor data. The file is memory-mapped; tensors are views into the mapping.
struct SafeTensors: @unchecked Sendable {
    // @unchecked: the views point into a read-only mapping that `file` keeps alive.
    struct Entry: Sendable {
        let dtype: String
        let shape: [Int]
        /// Absolute byte range in the file.
        let range: Range<Int>
    }

    /// Largest header accepted (the JSON): real files have a few kilobytes.
    static let maxHeaderBytes = 1 << 24

    let file: MappedFile
    let entries: [String: Entry]
    /// Absolute offset of the first data byte.
    let dataStart: Int

    init(path: String, maxBytes: Int) throws(SentenceModelError) {
        let file = try MappedFile(path: path, maxBytes: maxBytes)
        let b = file.bytes
        guard b.count >= 8 else { throw .format(path: path, message: "shorter than the 8-byte header length") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(b[i]) << (8 * UInt64(i)) }
        guard n >= 2, n <= UInt64(Self.maxHeaderBytes), Int(n) <= b.count - 8 else {
            throw .format(path: path, message: "header length \(n) does not fit the file (\(b.count) bytes)")
        }
        let headerEnd = 8 + Int(n)
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(b[8..<headerEnd]))
        } catch {
            throw .format(path: path, message: "the header is not JSON")
        }
        guard let object = json as? [String: Any] else { throw .format(path: path, message: "the header is not a JSON object") }
        var entries: [String: Entry] = [:]
        for (name, value) in object where name != "__metadata__" {
            guard let t = value as? [String: Any], let dtype = t["dtype"] as? String,
                  let shape = (t["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  let offsets = (t["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offsets.count == 2, shape.count == (t["shape"] as? [Any])?.count else {
                throw .format(path: path, message: "tensor \(name.prefix(80)): header entry without dtype, shape or data_offsets")
            }
            let begin = offsets[0], end = offsets[1]
            guard begin >= 0, end >= begin, end <= b.count - headerEnd, shape.allSatisfy({ $0 >= 0 && $0 <= 1 << 31 }) else {
                throw .format(path: path, message: "tensor \(name.prefix(80)): data offsets outside the file")
            }
            entries[name] = Entry(dtype: dtype, shape: shape, range: (headerEnd + begin)..<(headerEnd + end))
        }
        self.file = file
        self.entries = entries
        self.dataStart = headerEnd
    }

    /// The float32 tensor `name`, checked against `shape`.
    func floats(_ name: String, shape: [Int]) throws(SentenceModelError) -> UnsafeBufferPointer<Float> {
        guard let e = entries[name] else { throw .format(path: file.path, message: "tensor \(name) is missing") }
        guard e.dtype == "F32" else { throw .format(path: file.path, message: "tensor \(name) is \(e.dtype), expected F32") }
        guard e.shape == shape else {
            throw .format(path: file.path, message: "tensor \(name) has shape \(e.shape), expected \(shape)")
        }
        let count = shape.reduce(1, *)
        guard e.range.count == count * MemoryLayout<Float>.size else {
            throw .format(path: file.path, message: "tensor \(name): \(e.range.count) bytes for \(count) floats")
        }
        let start = file.bytes.baseAddress! + e.range.lowerBound
        guard Int(bitPattern: start) % MemoryLayout<Float>.alignment == 0 else {
            throw .format(path: file.path, message: "tensor \(name) is not 4-byte aligned in the file")
        }
        return UnsafeBufferPointer(start: start.assumingMemoryBound(to: Float.self), count: count)
    }

    /// The raw bytes of tensor `name`.
    func bytes(_ name: String) -> UnsafeRawBufferPointer? {
        guard let e = entries[name] else { return nil }
        return UnsafeRawBufferPointer(rebasing: file.bytes[e.range])
    }
}
