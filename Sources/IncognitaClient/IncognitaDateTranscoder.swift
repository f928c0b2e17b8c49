import Foundation
import OpenAPIRuntime

/// Reads RFC 3339 date-times with or without fractional seconds and writes them without.
///
/// The service writes job times as `2026-11-29T09:41:30Z` and similarity-session times as
/// `2026-11-29T09:41:30.123Z`; both are valid `format: date-time`, but the runtime's default
/// transcoder reads only the first form and its fractional one only the second.
public struct IncognitaDateTranscoder: DateTranscoder {
    public init() {}

    public func encode(_ date: Date) throws -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    public func decode(_ text: String) throws -> Date {
        let f = ISO8601DateFormatter()
        f.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        guard let date = f.date(from: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not an RFC 3339 date-time: \(text.prefix(64))"))
        }
        return date
    }
}
