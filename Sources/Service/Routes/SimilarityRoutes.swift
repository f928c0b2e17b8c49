import Foundation
import HTTPServer
import HTTPTypes
import SecureSimilarity

/// Secure similarity sessions between two instances.
///
/// User side (bearer token when `--api-token` is set): `GET /v1/similarity/identity`,
/// `POST /v1/similarity/encode`, `POST|GET /v1/similarity/sessions`, `GET|DELETE …/{id}`,
/// `POST …/{id}/accept`, `POST …/{id}/decline`.
/// Peer side (sealed `application/octet-stream` bodies from pinned keys only, never the token):
/// `POST /v1/peer/sessions` (invitation), `POST /v1/peer/sessions/{id}/messages`.
extension Application {
    /// The identity key from `keys`; a database that fails for a moment at start (replicas starting together with
    /// it, a connection dropped) is asked again every half second for up to `seconds`, so that a replica does not
    /// come up for good without similarity because of one failed query. Other failures (a damaged key) are final.
    static func loadIdentity(from keys: IdentityKeyStore, retryingDatabaseFailuresFor seconds: Double) throws -> IdentityKeyPair {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            do {
                return try keys.loadOrCreate()
            } catch is PostgresConnection.Failure where Date() < deadline {
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
    }

    func registerSimilarityRoutes() {
        let c = configuration
        let identity: IdentityKeyPair
        do {
            let keys: IdentityKeyStore
            if let file = c.identityKeyFile {
                keys = IdentityKeyFile(path: file)
            } else if let database {
                keys = PostgresIdentityKeyStore(pool: database.pool)
            } else {
                keys = SimilarityIdentityStore(dataDirectory: c.dataDirectory)
            }
            identity = try Self.loadIdentity(from: keys, retryingDatabaseFailuresFor: database == nil ? 0 : c.databaseTimeout)
        } catch {
            log.event("similarity disabled: no identity key", level: "error", [("error", String(describing: error))])
            add(.get, "/v1/similarity/identity") { _ in throw APIError.unavailable("this instance has no identity key; see its log", retryAfter: 60) }
            return
        }
        var peers: [String: SimilarityPeer] = [:]
        for (name, spec) in c.peers.sorted(by: { $0.key < $1.key }) {
            do {
                let peer = try SimilarityPeer.parse(name: name, spec: spec)
                guard peer.publicKey != identity.publicKey else { throw SimilarityIdentityStore.Failure(description: "peer \(name) has this instance's own key") }
                peers[name] = peer
            } catch {
                log.event("similarity peer ignored", level: "error", [("peer", name), ("error", String(describing: error))])
            }
        }
        let peerNames = peers.keys.sorted()
        let configuredPeers = peers
        let limits = SimilaritySessionRegistry.Limits(
            maxVectors: c.similarityMaxVectors, maxDimension: min(c.similarityMaxDimension, 8192), maxProducts: c.similarityMaxProducts,
            maxRunning: c.similarityMaxRunning, sessionsPerHour: c.similaritySessionsPerHour, ttl: c.sessionTTL,
            peerTimeout: c.similarityPeerTimeout, maxBodyBytes: c.server.maxBodyBytes)
        let log = self.log
        let encoders = SimilarityEncoders(
            defaultHashingDimension: c.similarityHashingDimension, maxDimension: limits.maxDimension,
            maxVectors: limits.maxVectors, wordVectorsPath: c.similarityWordVectors, sentenceModelPath: c.similaritySentenceModel,
            onSentenceModel: { result, seconds in
                switch result {
                case .success(let e):
                    log.event("sentence model loaded", [("encoder", e.descriptor.name), ("fingerprint", e.descriptor.fingerprint),
                                                        ("seconds", String(format: "%.2f", seconds)), ("matrixKernel", e.matrixKernel)])
                case .failure(let error):
                    log.event("sentence model failed to load", level: "error", [("error", error.description)])
                }
            })
        if let dir = c.similaritySentenceModel {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue {
                log.event("minilm encoder configured (loaded on first use)", [("sentenceModel", dir)])
            } else {
                log.event("minilm encoder unavailable: --sentence-model is not a folder", level: "error", [("sentenceModel", dir)])
            }
        } else {
            log.event("minilm encoder unavailable: no sentence model", level: "warn", [("hint", SimilarityEncoders.sentenceModelHint)])
        }
        let registry = SimilaritySessionRegistry(identity: identity, peers: configuredPeers, limits: limits, encoders: encoders, log: log,
                                                 database: database)
        let forward = SimilarityForwarder(registry: registry, timeout: c.similarityPeerTimeout, maxReplyBytes: max(c.server.maxBodyBytes, 64 << 20))
        let lostSession: @Sendable (String) -> () throws -> HTTPServerResponse = { id in
            { throw APIError.conflict("session \(id.prefix(64)) has failed: the replica holding it stopped") }
        }
        log.event("similarity identity", [("publicKey", identity.publicKeyHex), ("fingerprint", identity.fingerprint),
                                          ("peers", peers.values.map { "\($0.name)=\($0.fingerprint)" }.sorted().joined(separator: ","))])
        metrics.gauge("incognita_similarity_sessions", help: "Similarity sessions held by this instance, by state.") { [weak registry] in
            (registry?.countsByState() ?? [:]).sorted { $0.key < $1.key }.map { (labels: "state=\"\($0.key)\"", value: Double($0.value)) }
        }
        let authorize = SimilarityAuthorizer(token: c.apiToken)

        add(.get, "/v1/similarity/identity") { ctx in
            try authorize(ctx)
            return try JSON.response(SimilarityIdentityDocument(publicKey: identity.publicKeyHex, fingerprint: identity.fingerprint,
                                                                publicURL: c.publicURL, peers: peerNames))
        }
        add(.post, "/v1/similarity/encode") { ctx in
            try authorize(ctx)
            struct Request: Decodable { var sentences: [String]; var encoder: SimilarityEncoderSpec? }
            let body = try ctx.decode(Request.self)
            guard body.sentences.count <= limits.maxVectors else {
                throw APIError.invalid("sentences", "\(body.sentences.count) sentences exceed this instance's limit of \(limits.maxVectors)")
            }
            let encoder = try encoders.encoder(body.encoder)
            let end = Date().addingTimeInterval(c.computeTimeout)
            let encoded: (embeddings: [[Double]], notes: [TextEncodingNote]?)
            do {
                encoded = try encoder.encodeWithNotes(body.sentences, isCancelled: { Date() >= end })
            } catch SimilarityError.cancelled {
                throw APIError.unavailable("encoding took longer than this service allows for one request (--compute-timeout); send fewer or shorter sentences")
            }
            let d = encoder.descriptor
            return try JSON.response(SimilarityEncodeDocument(
                embeddings: encoded.embeddings, encoder: .init(name: d.name, dimension: d.dimension, fingerprint: d.fingerprint),
                texts: encoded.notes?.map { .init(wordPieces: $0.wordPieces, truncated: $0.truncated) }))
        }
        add(.post, "/v1/similarity/sessions", idempotency: .bearer(authorize)) { ctx in
            try authorize(ctx)
            let record = try registry.create(try ctx.decode(SimilaritySessionRegistry.CreateRequest.self))
            var response = try JSON.response(record.document(), status: .created)
            response.headerFields[.location] = "/v1/similarity/sessions/\(record.id)"
            return response
        }
        add(.get, "/v1/similarity/sessions") { ctx in
            try authorize(ctx)
            return HTTPServerResponse(status: .ok, contentType: "application/json", bytes: try registry.listJSON())
        }
        add(.get, "/v1/similarity/sessions/{id}") { ctx in
            try authorize(ctx)
            return HTTPServerResponse(status: .ok, contentType: "application/json", bytes: try registry.documentJSON(ctx.parameter("id").lowercased()))
        }
        add(.delete, "/v1/similarity/sessions/{id}") { ctx in
            try authorize(ctx)
            let id = ctx.parameter("id").lowercased()
            if let answer = try forward(ctx, session: id, lost: {
                HTTPServerResponse(status: .ok, contentType: "application/json", bytes: try registry.eraseLost(id))
            }) { return answer }
            return try JSON.response(try registry.cancel(id))
        }
        add(.post, "/v1/similarity/sessions/{id}/accept") { ctx in
            try authorize(ctx)
            let id = ctx.parameter("id").lowercased()
            if let answer = try forward(ctx, session: id, lost: lostSession(id)) { return answer }
            _ = try registry.record(id)
            let record = try registry.accept(id, try ctx.decode(SimilaritySessionRegistry.AcceptRequest.self))
            var response = try JSON.response(record.document(), status: .accepted)
            response.headerFields[.location] = "/v1/similarity/sessions/\(record.id)"
            return response
        }
        add(.post, "/v1/similarity/sessions/{id}/decline") { ctx in
            try authorize(ctx)
            let id = ctx.parameter("id").lowercased()
            if let answer = try forward(ctx, session: id, lost: lostSession(id)) { return answer }
            return try JSON.response(try registry.decline(id).document())
        }

        // Peer endpoints: the sealed channel is the only credential.
        add(.post, "/v1/peer/sessions") { ctx in
            try Self.peerResponse(try registry.receiveInvitation(ctx.request.body, path: ctx.request.path), status: .created)
        }
        add(.post, "/v1/peer/sessions/{id}/messages") { ctx in
            let id = ctx.parameter("id").lowercased()
            if let answer = try forward(ctx, session: id, lost: {
                throw APIError(status: .badGateway, slug: "peer-unavailable", detail: "the replica running session \(id.prefix(64)) stopped")
            }) { return answer }
            return try Self.peerResponse(try registry.receiveMessage(ctx.parameter("id"), ctx.request.body, path: ctx.request.path), status: .ok)
        }
    }

    static func peerResponse(_ sealed: [UInt8], status: HTTPResponse.Status) throws -> HTTPServerResponse {
        var response = HTTPServerResponse(status: status, contentType: "application/octet-stream", bytes: sealed)
        response.compressible = false
        return response
    }
}

/// `GET /v1/similarity/identity`.
struct SimilarityIdentityDocument: Encodable {
    var publicKey: String
    var fingerprint: String
    var publicURL: String?
    var peers: [String]
}

/// `POST /v1/similarity/encode`.
struct SimilarityEncodeDocument: Encodable {
    struct Encoder: Encodable { var name: String; var dimension: Int; var fingerprint: String }
    /// Per sentence, for encoders with a token window (minilm): its word pieces and whether it was cut.
    struct Text: Encodable { var wordPieces: Int; var truncated: Bool }
    var embeddings: [[Double]]
    var encoder: Encoder
    var texts: [Text]?
}

/// The bearer-token check of the user endpoints: constant time in the secret (the loop runs over
/// the caller's bytes only), and a 401 that says nothing about any session.
struct SimilarityAuthorizer: Sendable {
    let token: [UInt8]?
    /// Idempotency keys are per token: a digest of it (never the token), or the instance's scope without one.
    let scope: String

    init(token: String?) {
        self.token = token.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        scope = self.token.map { "bearer:" + SHA256.hex($0) } ?? IdempotentRequests.instanceScope
    }

    func callAsFunction(_ ctx: RequestContext) throws {
        guard let token else { return }
        let header = ctx.request.headerFields[.authorization] ?? ""
        let given = header.hasPrefix("Bearer ") ? Array(header.utf8.dropFirst(7)) : []
        var diff: UInt8 = given.count == token.count ? 0 : 1
        for (i, b) in given.enumerated() { diff |= b ^ token[i % token.count] }
        guard diff == 0, !given.isEmpty else {
            throw APIError.unauthorized("a valid bearer token is required")
        }
    }
}

/// The engine's errors, mapped to HTTP once.
extension SimilarityError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .invalidInput(let field, let message): return .invalid(field, message)
        case .authenticationFailed: return APIError(status: .unauthorized, slug: "peer-unauthorized", detail: "the message is not from a pinned peer key of this instance")
        case .malformedMessage: return .badRequest(message, field: field)
        case .unexpectedMessage: return .conflict(message)
        case .transport: return APIError(status: .badGateway, slug: "peer-unavailable", detail: message)
        default: return APIError(status: .unprocessableContent, slug: "session-failed", detail: message, errors: [FieldError(field: field, message: message)])
        }
    }
}

extension IdempotencyScope {
    /// Keys per bearer token when the instance has one (the token is checked first), else per instance.
    static func bearer(_ authorizer: SimilarityAuthorizer) -> IdempotencyScope {
        IdempotencyScope(name: authorizer.scope) { try authorizer($0) }
    }
}
