import Foundation
import Synchronization

/// Prometheus metrics: requests by route and status, a latency histogram per route, refused
/// requests, and gauges and counters read at scrape time (open connections, queued requests, jobs by state,
/// dropped log lines).
///
/// Recording a request is one lock and integer work: a route is registered once (`route(_:)`) and its
/// counts are kept in a short list under small integer keys, so nothing is hashed per request.
public final class Metrics: @unchecked Sendable {
    /// A registered route pattern.
    public struct RouteID: Sendable, Hashable { let index: Int }

    static let buckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    struct Histogram {
        var counts = [Int](repeating: 0, count: Metrics.buckets.count)
        var sum = 0.0
        var count = 0

        mutating func observe(_ seconds: Double) {
            var i = 0
            while i < Metrics.buckets.count && seconds > Metrics.buckets[i] { i += 1 }
            if i < counts.count { counts[i] += 1 }
            sum += seconds
            count += 1
        }
    }

    /// One route's requests: counts by method and status (a short list: a route sees few combinations) and
    /// the latency histogram.
    struct RouteStats {
        var counts: [(key: Int, value: Int)] = []
        var latency = Histogram()

        mutating func count(_ key: Int) {
            for i in counts.indices where counts[i].key == key {
                counts[i].value += 1
                return
            }
            counts.append((key, 1))
        }
    }

    typealias Gauge = (name: String, help: String, type: String, read: @Sendable () -> [(labels: String, value: Double)])

    struct State {
        var routeNames: [String] = []
        var routeIndex: [String: Int] = [:]
        var methodNames: [String] = []
        var routes: [RouteStats] = []
        var refused: [Int: Int] = [:]
        var gauges: [Gauge] = []

        mutating func routeSlot(_ pattern: String) -> Int {
            if let i = routeIndex[pattern] { return i }
            routeNames.append(pattern)
            routes.append(RouteStats())
            routeIndex[pattern] = routeNames.count - 1
            return routeNames.count - 1
        }

        mutating func methodSlot(_ method: String) -> Int {
            var m = 0
            while m < methodNames.count && methodNames[m] != method { m += 1 }
            if m == methodNames.count { methodNames.append(method) }
            return m
        }
    }

    private let state = Mutex(State())
    private let started = Date()

    public init() {}

    /// The slot of a route pattern (registered on first use).
    public func route(_ pattern: String) -> RouteID {
        state.withLock { RouteID(index: $0.routeSlot(pattern)) }
    }

    public func record(route: RouteID, method: String, status: Int, seconds: Double) {
        state.withLock { s in
            let key = s.methodSlot(method) << 12 | (status & 0xFFF)
            s.routes[route.index].count(key)
            s.routes[route.index].latency.observe(seconds)
        }
    }

    public func record(method: String, route: String, status: Int, seconds: Double) {
        record(route: self.route(route), method: method, status: status, seconds: seconds)
    }

    public func recordRefused(status: Int) {
        state.withLock { $0.refused[status, default: 0] += 1 }
    }

    /// A gauge whose samples are read at scrape time; `labels` is Prometheus label text like `state="running"`.
    public func gauge(_ name: String, help: String, _ read: @escaping @Sendable () -> [(labels: String, value: Double)]) {
        state.withLock { $0.gauges.append((name, help, "gauge", read)) }
    }

    /// A counter whose value is read at scrape time.
    public func counter(_ name: String, help: String, _ read: @escaping @Sendable () -> Double) {
        state.withLock { $0.gauges.append((name, help, "counter", { [(labels: "", value: read())] })) }
    }

    /// The exposition in Prometheus text format 0.0.4.
    public func render() -> String {
        let (counts, latency, refused, gauges) = state.withLock { s in
            let counts = zip(s.routeNames, s.routes).flatMap { name, stats in
                stats.counts.map { (route: name, method: s.methodNames[$0.key >> 12], status: $0.key & 0xFFF, value: $0.value) }
            }
            let latency = zip(s.routeNames, s.routes).filter { $0.1.latency.count > 0 }.map { (key: $0.0, value: $0.1.latency) }
            return (counts, latency, s.refused, s.gauges)
        }
        var out = ""
        out += "# HELP incognita_http_requests_total HTTP requests answered, by method, route and status.\n"
        out += "# TYPE incognita_http_requests_total counter\n"
        for key in counts.sorted(by: { ($0.route, $0.method, $0.status) < ($1.route, $1.method, $1.status) }) {
            out += "incognita_http_requests_total{method=\"\(key.method)\",route=\"\(label(key.route))\",status=\"\(key.status)\"} \(key.value)\n"
        }
        out += "# HELP incognita_http_request_duration_seconds Time to produce a response, by route.\n"
        out += "# TYPE incognita_http_request_duration_seconds histogram\n"
        for (route, h) in latency.sorted(by: { $0.key < $1.key }) {
            var cumulative = 0
            for (i, bound) in Self.buckets.enumerated() {
                cumulative += h.counts[i]
                out += "incognita_http_request_duration_seconds_bucket{route=\"\(label(route))\",le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "incognita_http_request_duration_seconds_bucket{route=\"\(label(route))\",le=\"+Inf\"} \(h.count)\n"
            out += "incognita_http_request_duration_seconds_sum{route=\"\(label(route))\"} \(h.sum)\n"
            out += "incognita_http_request_duration_seconds_count{route=\"\(label(route))\"} \(h.count)\n"
        }
        out += "# HELP incognita_http_refused_total Requests refused by the HTTP layer before routing, by status.\n"
        out += "# TYPE incognita_http_refused_total counter\n"
        for (status, value) in refused.sorted(by: { $0.key < $1.key }) {
            out += "incognita_http_refused_total{status=\"\(status)\"} \(value)\n"
        }
        for gauge in gauges {
            out += "# HELP \(gauge.name) \(gauge.help)\n# TYPE \(gauge.name) \(gauge.type)\n"
            for sample in gauge.read() {
                out += sample.labels.isEmpty ? "\(gauge.name) \(sample.value)\n" : "\(gauge.name){\(sample.labels)} \(sample.value)\n"
            }
        }
        out += "# HELP incognita_uptime_seconds Seconds since the process started.\n# TYPE incognita_uptime_seconds gauge\n"
        out += "incognita_uptime_seconds \(Date().timeIntervalSince(started))\n"
        return out
    }

    private func label(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
