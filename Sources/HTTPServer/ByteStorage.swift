/// An immutable run of bytes in one allocation, for what the server keeps per request (the header fields as
/// received, the header lines an application stamps on its answer). A final class with its bytes allocated
/// behind it: unlike a new `[UInt8]`, whose allocation looks up its generic storage class in the runtime's
/// metadata cache every time, making one costs a `malloc`.
final class ByteStorage: ManagedBuffer<Int, UInt8> {
    /// Room for `count` bytes, written by `initialize`; the header says how many are in use (`count` unless the
    /// maker sets it lower before sharing the storage), and the bytes never change once shared.
    static func make(count: Int, _ initialize: (UnsafeMutablePointer<UInt8>) -> Void) -> ByteStorage {
        let storage = unsafeDowncast(create(minimumCapacity: count) { _ in count }, to: ByteStorage.self)
        storage.withUnsafeMutablePointerToElements { initialize($0) }
        return storage
    }

    /// Bytes in use. Read and written through a pointer: the inherited `header` property would be checked
    /// dynamically for exclusivity on every access.
    var count: Int {
        get { withUnsafeMutablePointerToHeader { $0.pointee } }
        set { withUnsafeMutablePointerToHeader { $0.pointee = newValue } }
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeMutablePointers { header, elements in
            try body(UnsafeRawBufferPointer(start: elements, count: header.pointee))
        }
    }
}
