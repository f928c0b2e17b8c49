import Foundation

/// The IMF-fixdate of the `Date` response header (RFC 9110 §5.6.7), formatted once a second and read by every
/// response without a lock (`SecondText`).
enum HTTPDate {
    private static let text = SecondText(count: 29) { format($0) }

    /// Writes `Date: <IMF-fixdate>\r\n` (37 bytes).
    static func writeHeader(into w: inout ByteWriter) {
        w.write("Date: ")
        text.write(second: currentSecond(), into: &w)
        w.write(13, 10)
    }

    /// The current date as text (tests and diagnostics).
    static func now() -> String {
        var out: [UInt8] = []
        ByteWriter.append(to: &out, atMost: 29) { text.write(second: currentSecond(), into: &$0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The current second of the Unix epoch, from the coarse real-time clock (no system call; it lags the precise
    /// clock by at most a scheduler tick, which a date with one-second resolution does not show).
    static func currentSecond() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &ts)
        return ts.tv_sec
    }

    /// The 29 bytes of the IMF-fixdate of second `epochSeconds`.
    static func format(_ epochSeconds: Int) -> [UInt8] {
        let days: [StaticString] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months: [StaticString] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let c = CivilTime(epochSeconds: epochSeconds)
        return ByteWriter.array(atMost: 32) { w in
            w.write(days[c.weekday]); w.write(44, 32)
            w.writePadded(c.day, width: 2); w.write(32)
            w.write(months[c.month - 1]); w.write(32)
            w.writePadded(c.year, width: 4); w.write(32)
            w.writePadded(c.hour, width: 2); w.write(58)
            w.writePadded(c.minute, width: 2); w.write(58)
            w.writePadded(c.second, width: 2)
            w.write(" GMT")
        } ?? []
    }
}
