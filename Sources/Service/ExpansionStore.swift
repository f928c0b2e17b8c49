import Foundation

/// Where computed decimal expansions of large Mersenne numbers are kept, so a second request is
/// served without computing again. One implementation per backend: `LocalExpansionStore` (one gzip
/// file per expansion in the data directory) and `PostgresExpansionStore` (rows of 1 MiB of digits
/// each, so ranges and streams never load a whole expansion).
///
/// ```swift
/// let w = try store.writer(exponent: p, digits: total)
/// try Mersenne.writeDecimalExpansion(exponent: p) { try w.append(Array($0)) }
/// let compressed = try w.finish()
/// if let cached = try store.open(exponent: p, digits: total) { try cached.writeDigits(0...9) { print($0) } }
/// ```
protocol ExpansionStore: Sendable {
    /// The stored expansion of 2^p − 1 (which has `digits` digits), nil when there is none.
    func open(exponent: UInt64, digits: Int) throws -> CachedExpansion?
    /// A writer for a new expansion; it becomes visible when `finish` returns.
    func writer(exponent: UInt64, digits: Int) throws -> ExpansionWriter
}

/// A stored expansion, read piece by piece.
protocol CachedExpansion: Sendable {
    var digits: Int { get }
    /// Size of the gzip document.
    var compressedBytes: Int { get }
    /// Checks what digit reads need (a damaged copy is removed and reported here, before any byte is sent).
    func prepareDigits() throws
    /// The gzip document (`Content-Encoding: gzip` body), in pieces.
    func writeGzip(_ sink: ([UInt8]) throws -> Void) throws
    /// The digits in `range`, in pieces.
    func writeDigits(_ range: ClosedRange<Int>, _ sink: ([UInt8]) throws -> Void) throws
}

/// Receives an expansion's digits in order.
protocol ExpansionWriter: AnyObject {
    func append(_ digits: [UInt8]) throws
    /// Makes the expansion visible; returns the size of its gzip document.
    func finish() throws -> Int
}
