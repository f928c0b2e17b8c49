import HTTPTypes

/// Matches a method and a decoded path against patterns such as `/items/{id}`.
/// Literal segments win over parameters; a known path with the wrong method yields the allowed methods.
///
/// ```swift
/// var router = Router<MyHandler>()
/// router.add(.get, "/items/{id}", handler)
/// if case .matched(let h, let params, _) = router.match(.get, "/items/42") { ... params["id"] == "42" }
/// ```
public struct Router<Handler: Sendable>: Sendable {
    public enum Match {
        case matched(Handler, parameters: [String: String], pattern: String)
        case methodNotAllowed(allowed: [HTTPRequest.Method])
        case notFound
    }

    struct Route: Sendable {
        let method: HTTPRequest.Method
        let pattern: String
        let segments: [Segment]
        let handler: Handler
    }

    enum Segment: Sendable, Equatable { case literal(String), parameter(String) }

    private var routes: [Route] = []
    /// Indices of the all-literal patterns, by pattern. For such a path no pattern can score higher, so these
    /// routes alone decide the match: a dictionary lookup instead of binding every route.
    private var literalRoutes: [String: [Int]] = [:]

    public init() {}

    public mutating func add(_ method: HTTPRequest.Method, _ pattern: String, _ handler: Handler) {
        let segments = Self.split(pattern).map { s -> Segment in
            if s.hasPrefix("{") && s.hasSuffix("}") { return .parameter(String(s.dropFirst().dropLast())) }
            return .literal(String(s))
        }
        routes.append(Route(method: method, pattern: pattern, segments: segments, handler: handler))
        if segments.allSatisfy({ if case .literal = $0 { true } else { false } }) {
            literalRoutes[pattern, default: []].append(routes.count - 1)
        }
    }

    /// Every registered pattern with its methods, for documentation checks.
    public var patterns: [(method: HTTPRequest.Method, pattern: String)] { routes.map { ($0.method, $0.pattern) } }

    public func match(_ method: HTTPRequest.Method, _ path: String) -> Match {
        if let indices = literalRoutes[path] {
            var allowed: [HTTPRequest.Method] = []
            var get: Route?
            for i in indices {
                let route = routes[i]
                if route.method == method { return .matched(route.handler, parameters: [:], pattern: route.pattern) }
                if route.method == .get { get = route }
                if !allowed.contains(route.method) { allowed.append(route.method) }
            }
            if method == .head, let get { return .matched(get.handler, parameters: [:], pattern: get.pattern) }
            if allowed.contains(.get) && !allowed.contains(.head) { allowed.insert(.head, at: allowed.firstIndex(of: .get)! + 1) }
            return .methodNotAllowed(allowed: allowed)
        }
        let parts = Self.split(path)
        var best: (route: Route, params: [String: String], score: Int)?
        var allowed: [HTTPRequest.Method] = []
        var bestScoreForPath = -1
        var candidates: [(Route, [String: String], Int)] = []
        for route in routes {
            guard let (params, score) = Self.bind(route.segments, parts) else { continue }
            candidates.append((route, params, score))
            bestScoreForPath = max(bestScoreForPath, score)
        }
        // Only the most specific pattern(s) for this path count (so `/cells/{token}` does not shadow `/cells/x`).
        for (route, params, score) in candidates where score == bestScoreForPath {
            if !allowed.contains(route.method) { allowed.append(route.method) }
            if route.method == method { best = (route, params, score) }
        }
        if let best { return .matched(best.route.handler, parameters: best.params, pattern: best.route.pattern) }
        if method == .head, let get = candidates.first(where: { $0.2 == bestScoreForPath && $0.0.method == .get }) {
            return .matched(get.0.handler, parameters: get.1, pattern: get.0.pattern)
        }
        if allowed.isEmpty { return .notFound }
        if allowed.contains(.get) && !allowed.contains(.head) { allowed.insert(.head, at: allowed.firstIndex(of: .get)! + 1) }
        return .methodNotAllowed(allowed: allowed)
    }

    /// The methods a path answers, HEAD and OPTIONS included; empty for an unknown path.
    public func allowedMethods(_ path: String) -> [HTTPRequest.Method] {
        var allowed: [HTTPRequest.Method] = []
        switch match(.options, path) {
        case .methodNotAllowed(let methods): allowed = methods
        case .matched: allowed = [.options]
        case .notFound: return []
        }
        if !allowed.contains(.options) { allowed.append(.options) }
        return allowed
    }

    private static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 }
    }

    /// Binds a path to a pattern; the score counts literal segments (more literal = more specific).
    private static func bind(_ segments: [Segment], _ parts: [Substring]) -> ([String: String], Int)? {
        guard segments.count == parts.count else { return nil }
        var params: [String: String] = [:]
        var score = 0
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let l):
                guard l == part else { return nil }
                score += 1
            case .parameter(let name):
                guard !part.isEmpty else { return nil }
                params[name] = String(part)
            }
        }
        return (params, score)
    }
}
