/// A request body that is not JSON at all (RFC 8259): what was expected and where, so that a caller
/// can find the mistake in a large body.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. "expected ',' or '}' after an object member".
    public let message: String
    /// Byte offset of the offending character from the start of the body (0-based).
    public let offset: Int
    /// 1-based line and column (in bytes) of that character.
    public let line: Int
    public let column: Int

    public var description: String { "line \(line), column \(column) (byte \(offset)): \(message)" }

    init(_ message: String, at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        self.message = message
        self.offset = offset
        var line = 1, lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        self.line = line
        self.column = offset - lineStart + 1
    }
}
