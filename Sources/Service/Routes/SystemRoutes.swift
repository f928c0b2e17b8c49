import Foundation
import HTTPServer
import HTTPTypes

/// `/`, `/healthz`, `/readyz`, `/metrics`, `/openapi.yaml`.
extension Application {
    func registerSystemRoutes() {
        let health = HTTPServerResponse(status: .ok, contentType: "application/json", bytes: Self.healthBody)
        add(.get, "/healthz", inline: true) { _ in health }
        add(.get, "/readyz", inline: true) { [unowned self] _ in
            if let reason = readiness {
                return ProblemDocument.response(.unavailable(reason), instance: "/readyz", requestID: nil)
            }
            return HTTPServerResponse(status: .ok, contentType: "application/json", bytes: Array("{\"status\":\"ready\"}".utf8))
        }
        add(.get, "/metrics") { [unowned self] _ in
            HTTPServerResponse(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", bytes: Array(metrics.render().utf8))
        }
        add(.get, "/openapi.yaml") { _ in
            guard let spec = Self.openAPIDocument else { throw APIError.notFound("openapi.yaml is not installed beside this binary") }
            return HTTPServerResponse(status: .ok, contentType: "application/yaml", bytes: spec)
        }
        add(.get, "/") { _ in
            HTTPServerResponse(status: .ok, contentType: "text/html; charset=utf-8", bytes: Array(HomePage.html.utf8))
        }
    }

    static let healthBody = Array("{\"status\":\"ok\"}".utf8)

    /// The contract, read once: next to the executable's working directory, or INCOGNITA_OPENAPI.
    static let openAPIDocument: [UInt8]? = {
        let candidates = [ProcessInfo.processInfo.environment["INCOGNITA_OPENAPI"], "openapi.yaml", "/app/openapi.yaml"].compactMap { $0 }
        for path in candidates {
            if let data = FileManager.default.contents(atPath: path) { return Array(data) }
        }
        return nil
    }()
}
