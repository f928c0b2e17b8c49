#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory mapping of a whole file: the one wrapper around `open`, `fstat`, `mmap`, `madvise`
/// and `munmap` of this target. The model's weights are read in place from the mapping (the kernel pages
/// them in on first touch and may drop them again under memory pressure), never copied.
final class MappedFile: @unchecked Sendable {
    // @unchecked: the mapping is read-only for its whole life and unmapped only in deinit.
    let path: String
    /// The mapped bytes; valid while this object lives.
    let bytes: UnsafeRawBufferPointer

    /// Maps `path`; files larger than `maxBytes` or empty are refused.
    init(path: String, maxBytes: Int) throws(SentenceModelError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .file(path: path, message: "cannot open: \(Self.errorText())") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .file(path: path, message: "cannot stat: \(Self.errorText())") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .file(path: path, message: "not a regular file") }
        let size = Int(info.st_size)
        guard size > 0 else { throw .file(path: path, message: "empty file") }
        guard size <= maxBytes else { throw .file(path: path, message: "\(size) bytes, more than the limit \(maxBytes)") }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw .file(path: path, message: "cannot map: \(Self.errorText())")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }

    /// Tells the kernel that `range` is not needed soon (its clean pages may be dropped from this process's
    /// resident set; they are read back from the file if touched again).
    func release(_ range: Range<Int>) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound / page * page
        guard end > start, let base = bytes.baseAddress else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
