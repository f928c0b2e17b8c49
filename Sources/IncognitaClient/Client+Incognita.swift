import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import OpenAPIRuntime
import OpenAPIURLSession

extension Client {
    /// A client of the Incognita instance at `serverURL` over URLSession (libcurl on Linux).
    ///
    /// - Parameters:
    ///   - bearerToken: the instance's `--api-token`, sent as `Authorization: Bearer …` (the similarity endpoints need it).
    ///   - headers: more header fields for every request, computed per request (e.g. `traceparent`).
    ///   - session: the URLSession to use; its timeouts bound every call.
    ///   - middlewares: further middlewares, run after the header ones (the first, `HeaderParameterMiddleware`,
    ///     sends `Range` and `Idempotency-Key` as written).
    ///
    /// ```swift
    /// let incognita = Client(serverURL: URL(string: "http://incognita:8080")!)
    /// let cell = try await incognita.s2CellForPoint(query: .init(lat: 48.8584, lng: 2.2945, level: 15)).ok.body.json
    /// ```
    public init(serverURL: URL, bearerToken: String? = nil, headers: (@Sendable () -> HTTPFields)? = nil,
                session: URLSession = .shared, middlewares: [any ClientMiddleware] = []) {
        var all: [any ClientMiddleware] = [HeaderParameterMiddleware()]
        if let bearerToken {
            let authorization = "Bearer \(bearerToken)"
            all.append(IncognitaHeadersMiddleware { [.authorization: authorization] })
        }
        if let headers { all.append(IncognitaHeadersMiddleware(headers)) }
        self.init(serverURL: serverURL,
                  configuration: Configuration(dateTranscoder: IncognitaDateTranscoder()),
                  transport: URLSessionTransport(configuration: .init(session: session)),
                  middlewares: all + middlewares)
    }
}
