import Foundation
import HTTPServer
import HTTPTypes

/// The RFC 9457 body for an `APIError`.
struct ProblemDocument: Encodable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var instance: String?
    var requestId: String?
    var errors: [FieldError]?

    init(_ error: APIError, instance: String?, requestID: String?) {
        type = "https://incognita.dev/problems/\(error.slug)"
        title = error.status.reasonPhrase
        status = error.status.code
        detail = error.detail
        self.instance = instance
        self.requestId = requestID
        errors = error.errors.isEmpty ? nil : error.errors
    }

    static func response(_ error: APIError, instance: String?, requestID: String?) -> HTTPServerResponse {
        let doc = ProblemDocument(error, instance: instance, requestID: requestID)
        let bytes = (try? JSON.encoder.encode(doc)).map { Array($0) } ?? Array("{\"status\":\(error.status.code)}".utf8)
        var response = HTTPServerResponse(status: error.status, contentType: "application/problem+json", bytes: bytes)
        for (name, value) in error.headers {
            if let n = HTTPField.Name(name) { response.headerFields[n] = value }
        }
        return response
    }
}
