/// A UTC calendar date and time of day from seconds since the Unix epoch, without Foundation's calendars or
/// formatters: the HTTP `Date` header and the access log's timestamps are built from it on every request.
///
/// ```swift
/// let t = CivilTime(epochSeconds: 784111777)   // 1994-11-06 08:49:37, a Sunday
/// ```
public struct CivilTime: Sendable, Equatable {
    public var year: Int
    /// 1–12.
    public var month: Int
    /// 1–31.
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// 0 = Sunday … 6 = Saturday.
    public var weekday: Int

    public init(epochSeconds: Int) {
        let dayCount = epochSeconds >= 0 ? epochSeconds / 86400 : (epochSeconds - 86399) / 86400
        let secs = epochSeconds - dayCount * 86400
        // Civil-from-days (Howard Hinnant's algorithm): March-based years make leap days the last day of a year.
        let z = dayCount + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        hour = secs / 3600
        minute = secs / 60 % 60
        second = secs % 60
        weekday = ((dayCount % 7) + 11) % 7 // 1970-01-01 was a Thursday (4)
    }
}
