import Foundation
import HTTPServer
import HTTPTypes

/// What a request with an `Idempotency-Key` created and answered, kept for 24 hours so that a retry
/// gets the same status and body. `fingerprint` identifies the request (method, path and canonical
/// body); `resource` is the job or session it created, if any.
public struct IdempotencyRecord: Codable, Sendable, Equatable {
    public var id: String
    public var fingerprint: String
    public var status: Int
    public var contentType: String?
    public var location: String?
    public var body: Data
    public var resource: String?
    public var createdAt: Date

    public init(id: String, fingerprint: String, status: Int, contentType: String?, location: String?, body: Data,
                resource: String?, createdAt: Date) {
        self.id = id
        self.fingerprint = fingerprint
        self.status = status
        self.contentType = contentType
        self.location = location
        self.body = body
        self.resource = resource
        self.createdAt = createdAt
    }

    /// The stored answer again, marked `Idempotent-Replayed: true`.
    func response() -> HTTPServerResponse {
        var response = HTTPServerResponse(status: Self.status(status), contentType: contentType ?? "application/json", bytes: Array(body))
        if let location { response.headerFields[.location] = location }
        response.headerFields[IdempotentRequests.replayedField] = "true"
        return response
    }

    /// Only successful answers are stored, so only their statuses come back.
    static func status(_ code: Int) -> HTTPResponse.Status {
        switch code {
        case 200: return .ok
        case 201: return .created
        case 202: return .accepted
        default: return HTTPResponse.Status(code: code, reasonPhrase: "Success")
        }
    }
}
