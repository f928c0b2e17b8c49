import Foundation
import Testing
@testable import HTTPServer

/// The calendar arithmetic behind the Date header and the access log's timestamps, against Foundation's
/// Gregorian calendar, and the lock-free Date cache under concurrent readers.
@Suite struct HTTPDateTests {
    @Test func civilTimeMatchesFoundationsCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var rng = SystemRandomNumberGenerator()
        // Day boundaries, leap days, century years, both sides of the epoch, then random instants from 1600 to 2370
        // (Foundation's Gregorian calendar turns Julian before October 1582; ours, like HTTP dates, is proleptic).
        var instants = [0, -1, 86399, 86400, 951_782_400, 951_868_800, 4_107_542_400, -2_208_988_800, 1_709_164_800, 253_402_300_799]
        instants += (0..<5000).map { _ in Int.random(in: -11_676_096_000...12_600_000_000, using: &rng) }
        for t in instants {
            let c = CivilTime(epochSeconds: t)
            let f = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: Date(timeIntervalSince1970: Double(t)))
            #expect([c.year, c.month, c.day, c.hour, c.minute, c.second, c.weekday + 1] == [f.year, f.month, f.day, f.hour, f.minute, f.second, f.weekday], "\(t)")
        }
    }

    @Test func dateHeaderIsCurrentFromEveryThread() async {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        #expect(String(decoding: HTTPDate.format(784111777), as: UTF8.self) == "Sun, 06 Nov 1994 08:49:37 GMT")
        let texts = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 { group.addTask { (0..<20_000).map { _ in HTTPDate.now() } } }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        for text in Set(texts) {
            let date = formatter.date(from: text)
            #expect(date != nil && abs(date!.timeIntervalSinceNow) < 30, "\(text)")
        }
    }
}
