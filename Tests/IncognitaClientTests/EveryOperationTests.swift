import Foundation
import HTTPTypes
import IncognitaClient
import OpenAPIRuntime
import Testing
import TestSupport

/// Every operation of openapi.yaml, called through the generated client against the real binary: answers
/// decoded to their generated types, errors (400, 401, 404, 409, 413, 416, 422) as the typed problem document,
/// streams (server-sent job events, the decimal expansion with `Range`) and content negotiation (SVG, GeoJSON).
/// The list of operations comes from openapi.yaml itself: a new operation fails this test until it is called here.
@Suite(.serialized) struct EveryOperationTests {
    static let token = "client-test-token"

    @Test func everyOperationOfTheContract() async throws {
        let server = try ServerProcess(arguments: ["--api-token", Self.token, "--max-body-bytes", "262144", "--access-log", "false"])
        defer { server.stop() }
        let recorder = OperationRecorder()
        let client = ClientTestSupport.client(server, token: Self.token, recorder: recorder)
        let groups: [(String, (Client) async throws -> Void)] = [
            ("system", system), ("jobs", jobs), ("bounds", bounds), ("geodesics", geodesics), ("primes", primes),
            ("s2", s2), ("similarity", similarity), ("peer", peer),
        ]
        for (name, group) in groups {
            do { try await group(client) } catch {
                Issue.record("\(name): \(error)")
            }
        }
        let unauthorized = ClientTestSupport.client(server, recorder: recorder)
        let problem = try await unauthorized.similarityIdentity().unauthorized.body.applicationProblemJson
        #expect(problem.status == 401)

        let contract = try ClientTestSupport.contractOperations()
        #expect(contract.count >= 38)
        let called = recorder.called
        let missing = contract.subtracting(called.keys).sorted()
        #expect(missing.isEmpty, "operations of openapi.yaml the client never called: \(missing)")
        #expect(Set(called.keys).subtracting(contract).isEmpty)
    }

    // MARK: - groups

    func system(_ c: Client) async throws {
        let home = try await ClientTestSupport.text(try c.home().ok.body.html)
        #expect(home.contains("<html"))
        #expect(try await c.health().ok.body.json.status == .ok)
        #expect(try await c.ready().ok.body.json.status == .ready)
        let metrics = try await ClientTestSupport.text(try c.metrics().ok.body.plainText)
        #expect(metrics.contains("incognita_http_requests_total"))
        // The served contract is this package's openapi.yaml, which the client was generated from (the suite's
        // scripts/generate-client.py --check compares IncognitaContract.openAPISHA256 with that file).
        let yaml = try await Data(collecting: try c.openapi().ok.body.yaml, upTo: 8 << 20)
        #expect(yaml == (try Data(contentsOf: ClientTestSupport.root.appendingPathComponent("openapi.yaml"))))
    }

    func jobs(_ c: Client) async throws {
        // A Lucas–Lehmer job, followed through its server-sent events to the result.
        let accepted = try await c.primesLucasLehmer(body: .json(.init(exponent: 22013))).accepted
        let job = try accepted.body.json
        #expect(accepted.headers.location == "/v1/jobs/\(job.id)")
        #expect(job.kind == "lucas-lehmer")
        let events = try await c.jobEvents(path: .init(id: job.id)).ok.body.textEventStream
        var last: (String?, Components.Schemas.Job)?
        for try await event in events.asDecodedServerSentEventsWithJSONData(of: Components.Schemas.Job.self, decoder: ClientTestSupport.jsonDecoder) {
            if let data = event.data { last = (event.event, data) }
        }
        #expect(last?.0 == "result")
        #expect(last?.1.status == .succeeded)
        let done = try await c.getJob(path: .init(id: job.id)).ok.body.json
        #expect(done.status == .succeeded)
        guard case .some(.some(let result)) = done.result.map({ $0.value as? [String: (any Sendable)?] }) else {
            Issue.record("no result object in \(done)"); return
        }
        #expect(result["residue64"] as? String == "B569285892344C6A")
        // Cancelling a finished job is 409; an unknown one is 404 (both typed problems).
        #expect(try await c.cancelJob(path: .init(id: job.id)).conflict.body.applicationProblemJson.status == 409)
        let unknown = "0123456789abcdef0123456789abcdef"
        #expect(try await c.getJob(path: .init(id: unknown)).notFound.body.applicationProblemJson.status == 404)
        // A long job, cancelled while it runs.
        let long = try await c.primesLucasLehmer(body: .json(.init(exponent: 86269))).accepted.body.json
        let cancelled = try await c.cancelJob(path: .init(id: long.id)).ok.body.json
        #expect(cancelled.status == .cancelled)
    }

    func bounds(_ c: Client) async throws {
        let hoeffding = try await c.boundsEvaluate(path: .init(name: .hoeffding), body: .json(ClientTestSupport.body(
            #"{"n":100,"lower":0,"upper":1,"deviation":0.1,"tail":"twoSided"}"#))).ok.body.json
        #expect(abs(hoeffding.bound - 2 * exp(-2.0)) < 1e-12)
        let invalid = try await c.boundsEvaluate(path: .init(name: .hoeffding), body: .json(ClientTestSupport.body(
            #"{"n":100,"lower":1,"upper":0,"deviation":0.1}"#))).unprocessableContent.body.applicationProblemJson
        #expect(invalid.status == 422)
        #expect(!(invalid.errors ?? []).isEmpty)
        let compareBody = #"{"distribution":{"family":"poisson","lambda":40},"event":{"tail":"upper","threshold":80}}"#
        let comparison = try await c.boundsCompare(body: .json(ClientTestSupport.body(compareBody))).ok.body.json
        #expect(comparison.exact > 0 && comparison.exact < 1e-6)
        let svg = try await c.boundsCompare(headers: .init(accept: [.init(contentType: .imageSvgXml)]),
                                            body: .json(ClientTestSupport.body(compareBody))).ok.body.imageSvgXml
        #expect(try await ClientTestSupport.text(svg).hasPrefix("<svg"))
        let n = try await c.boundsSampleSize(body: .json(ClientTestSupport.body(
            #"{"method":"chebyshev","variance":0.09,"epsilon":0.01,"delta":0.03}"#))).ok.body.json
        #expect(n.n == 30000)
    }

    func geodesics(_ c: Client) async throws {
        let density = #""density":{"kind":"gaussian","mean":[0,0],"covariance":[[1,0.5],[0.5,2]]},"metric":{"kind":"stein","lambda":10}"#
        let request = "{\(density),\"from\":[-2,0],\"to\":[2,0.5]}"
        let geodesic = try await c.geodesicsSolve(body: .json(ClientTestSupport.body(request))).ok.body.json
        #expect(try #require(geodesic.length) >= #require(geodesic.euclideanDistance))
        let svg = try await c.geodesicsSolve(headers: .init(accept: [.init(contentType: .imageSvgXml)]),
                                             body: .json(ClientTestSupport.body(request))).ok.body.imageSvgXml
        #expect(try await ClientTestSupport.text(svg).contains("<svg"))
        let exp = try await c.geodesicsExp(body: .json(ClientTestSupport.body(
            "{\(density),\"point\":[1,0],\"velocity\":[0,1],\"t\":1,\"steps\":8}"))).ok.body.json
        #expect((exp.path ?? []).count > 1)
        let metric = try await c.geodesicsMetric(body: .json(ClientTestSupport.body(
            "{\(density),\"points\":[[1,2]],\"vectors\":[[1,0]]}"))).ok.body.json
        #expect(metric.points?.count == 1)
        let wrongDimension = try await c.geodesicsMetric(body: .json(ClientTestSupport.body(
            "{\(density),\"points\":[[1,2,3]]}"))).unprocessableContent.body.applicationProblemJson
        #expect(wrongDimension.errors?.first?.field.hasPrefix("points") == true)
        // Inline (3 pairs) and as a job (36 pairs): the job's result has the same shape.
        let samples = #""density":{"kind":"samples","bandwidth":0.3,"points":[[0,1],[1,0],[0,-1],[-1,0],[0.7,0.7],[-0.7,0.7],[0.7,-0.7],[-0.7,-0.7]]},"metric":{"kind":"conformal","alpha":1}"#
        let inline = try await c.geodesicsDistances(body: .json(ClientTestSupport.body(
            "{\(samples),\"points\":[[0,1],[1,0],[0,-1]]}"))).ok.body.json
        #expect(inline.distances?.count == 3)
        let job = try await c.geodesicsDistances(
            headers: .init(idempotencyKey: UUID().uuidString),
            body: .json(ClientTestSupport.body("{\(samples),\"points\":[[0,1],[1,0],[0,-1],[-1,0],[0.7,0.7],[-0.7,0.7],[0.7,-0.7],[-0.7,-0.7],[0,0.5]]}"))
        ).accepted.body.json
        #expect(job.kind == "geodesic-distances")
        _ = try await c.cancelJob(path: .init(id: job.id))
    }

    func primes(_ c: Client) async throws {
        let known = try await c.primesMersenneList().ok.body.json
        #expect(known.count >= 52 && known[0].exponent == 2)
        let facts = try await c.primesMersenneFacts(path: .init(exponent: 82589933), query: .init(leading: 10, trailing: 10)).ok.body.json
        #expect(facts.leadingDigits == "1488944457")
        // The whole expansion of M4423 (1,332 digits), then a byte range of it, then a range past its end.
        let whole = try await ClientTestSupport.text(try c.primesMersenneDecimal(path: .init(exponent: 4423)).ok.body.plainText)
        let m4423 = try await c.primesMersenneFacts(path: .init(exponent: 4423), query: .init(leading: 20, trailing: 20)).ok.body.json
        #expect(whole.count == 1332 && whole.hasPrefix(m4423.leadingDigits) && whole.hasSuffix(m4423.trailingDigits))
        let partial = try await c.primesMersenneDecimal(path: .init(exponent: 4423), headers: .init(range: "bytes=0-9")).partialContent
        #expect(partial.headers.contentRange == "bytes 0-9/1332")
        #expect(try await ClientTestSupport.text(partial.body.plainText) == String(whole.prefix(10)))
        let beyond = try await c.primesMersenneDecimal(path: .init(exponent: 4423), headers: .init(range: "bytes=5000-")).rangeNotSatisfiable
        #expect(try beyond.body.applicationProblemJson.status == 416)
        let digits = try await c.primesDigits(query: .init(base: "2", exponent: "1000", offset: -1)).ok.body.json
        #expect(digits.digits == "302")
        let inline = try await c.primesLucasLehmer(body: .json(.init(exponent: 4423))).ok.body.json
        #expect(inline.isPrime && inline.residue64 == "0000000000000000")
        let tooLarge = try await c.primesLucasLehmer(body: .json(.init(exponent: 1_000_000_000))).unprocessableContent
        #expect(try tooLarge.body.applicationProblemJson.errors?.map(\.field) == ["exponent"])
        // Fermat PRP (GIMPS type-1 residue): inline, a composite Mersenne number, a job, a refused base.
        let prp = try await c.primesProbablePrime(body: .json(.init(exponent: 4423))).ok.body.json
        #expect(prp.isProbablePrime && prp.residue64 == "0000000000000001" && prp.base == 3)
        let prp11 = try await c.primesProbablePrime(body: .json(.init(exponent: 11))).ok.body.json
        #expect(!prp11.isProbablePrime && prp11.residue64 == "00000000000003F5")
        let prpJob = try await c.primesProbablePrime(headers: .init(idempotencyKey: "prp-client-test-1"), body: .json(.init(exponent: 22013))).accepted.body.json
        let prpReplay = try await c.primesProbablePrime(headers: .init(idempotencyKey: "prp-client-test-1"), body: .json(.init(exponent: 22013))).accepted.body.json
        #expect(prpJob.kind == "prp" && prpReplay.id == prpJob.id)
        let badBase = try await c.primesProbablePrime(body: .json(.init(exponent: 4423, base: 1))).unprocessableContent
        #expect(try badBase.body.applicationProblemJson.errors?.map(\.field) == ["base"])
        let primality = try await c.primesPrimality(path: .init(n: "1000000007")).ok.body.json
        #expect(primality.isPrime)
        let benford = try await c.primesBenford(body: .json(.init(values: [.case1(123), .case2("456"), .case1(0.0789), .case3(true), .case4(OpenAPIValueContainer())]))).ok.body.json
        #expect(benford.count == 3)
        let svg = try await c.primesBenford(headers: .init(accept: [.init(contentType: .imageSvgXml)]),
                                            body: .json(.init(values: (1...50).map { .case1(Double($0 * 7)) }))).ok.body.imageSvgXml
        #expect(try await ClientTestSupport.text(svg).contains("<svg"))
        let powers = try await c.primesBenfordPowers(query: .init(base: "2", count: 100, test: .firstTwoDigits)).ok.body.json
        #expect(powers.count == 97 && powers.belowTen == 3)
        // More than --max-body-bytes: 413 as a typed problem.
        let huge = try await c.primesBenford(body: .json(.init(values: Array(repeating: .case1(123456.789), count: 40_000)))).contentTooLarge
        #expect(try huge.body.applicationProblemJson.status == 413)
    }

    func s2(_ c: Client) async throws {
        let cell = try await c.s2CellForPoint(query: .init(lat: 48.8584, lng: 2.2945, level: 15)).ok.body.json
        #expect(cell.level == 15 && cell.token.hasPrefix("47e66f"))
        #expect(try await c.s2CellForPoint(query: .init(lat: 95, lng: 0)).unprocessableContent.body.applicationProblemJson.status == 422)
        let byToken = try await c.s2Cell(path: .init(token: cell.token)).ok.body.json
        #expect(byToken.id == cell.id)
        let many = try await c.s2CellsForPoints(body: .json(.init(points: [.init(lat: 48.8584, lng: 2.2945), .init(lat: -33.8568, lng: 151.2153)], level: 12))).ok.body.json
        #expect(many.cells.count == 2)
        let covering = #"{"region":{"cap":{"center":{"lat":-30.1,"lng":-51.2},"radiusMeters":5000}},"maxCells":16}"#
        let cells = try await c.s2Covering(body: .json(ClientTestSupport.body(covering))).ok.body.json
        #expect(!cells.cells.isEmpty && cells.cells.count <= 16)
        let geojson = try await c.s2Covering(headers: .init(accept: [.init(contentType: .applicationGeoJson)]),
                                             body: .json(ClientTestSupport.body(covering))).ok.body.applicationGeoJson
        #expect(geojson.value["type"] as? String == "FeatureCollection")
        let svg = try await c.s2Covering(headers: .init(accept: [.init(contentType: .imageSvgXml)]),
                                         body: .json(ClientTestSupport.body(covering))).ok.body.imageSvgXml
        #expect(try await ClientTestSupport.text(svg).contains("<svg"))
        let union = try await c.s2CellUnion(body: .json(.init(cells: ["47e66fd", "47e66fc"], operation: .normalize))).ok.body.json
        guard case .case1(let list) = union else { Issue.record("normalize answered \(union)"); return }
        #expect(list.cells == ["47e66fc", "47e66fd"] || list.cells.count == 1)
    }

    func similarity(_ c: Client) async throws {
        let identity = try await c.similarityIdentity().ok.body.json
        #expect(identity.publicKey.count == 64)
        let encoded = try await c.similarityEncode(body: .json(.init(sentences: ["my cat loves to walk over my keyboard"]))).ok.body.json
        #expect(encoded.embeddings.count == 1)
        // A loopback session, created (with an idempotency key), accepted here and run to its result.
        let create = Operations.SimilarityCreateSession.Input.Body.json(.init(
            peer: "loopback", sentences: ["my cat loves to walk over my keyboard", "the stock market fell today"], label: "client test"))
        let created = try await c.similarityCreateSession(headers: .init(idempotencyKey: UUID().uuidString), body: create).created
        let session = try created.body.json
        #expect(created.headers.location == "/v1/similarity/sessions/\(session.id)")
        #expect(session.state == .invited)
        let listed = try await c.similarityListSessions().ok.body.json.sessions
        #expect(listed.contains { $0.id == session.id })
        let accepted = try await c.similarityAcceptSession(path: .init(id: session.id),
                                                           body: .json(.init(sentences: ["the cat is always walking over my keyboard"]))).accepted.body.json
        #expect(accepted.state == .running || accepted.state == .succeeded)
        var final = accepted
        for _ in 0..<300 where final.state == .running {
            try await Task.sleep(nanoseconds: 100_000_000)
            final = try await c.similarityGetSession(path: .init(id: session.id)).ok.body.json
        }
        #expect(final.state == .succeeded)
        let matrix = final.result?.similarities ?? []
        #expect(matrix.count == 2 && matrix[0][0] > matrix[1][0])
        // Decline one, cancel another, and ask for an unknown one.
        let second = try await c.similarityCreateSession(body: create).created.body.json
        #expect(try await c.similarityDeclineSession(path: .init(id: second.id)).ok.body.json.state == .declined)
        let third = try await c.similarityCreateSession(body: create).created.body.json
        #expect(try await c.similarityCancelSession(path: .init(id: third.id)).ok.body.json.state == .cancelled)
        let unknown = "0123456789abcdef0123456789abcdef"
        #expect(try await c.similarityGetSession(path: .init(id: unknown)).notFound.body.applicationProblemJson.status == 404)
        let unknownPeer = try await c.similarityCreateSession(body: .json(.init(peer: "nobody", sentences: ["x"]))).unprocessableContent
        #expect(try unknownPeer.body.applicationProblemJson.errors?.map(\.field) == ["peer"])
    }

    func peer(_ c: Client) async throws {
        // Not sealed by a pinned peer key: refused, as a typed problem.
        let garbage = HTTPBody(Array(repeating: UInt8(7), count: 200))
        #expect(try await c.peerInvite(body: .binary(garbage)).unauthorized.body.applicationProblemJson.status == 401)
        let message = try await c.peerMessage(path: .init(id: "0123456789abcdef0123456789abcdef"), body: .binary(HTTPBody(Array(repeating: UInt8(9), count: 200))))
        #expect(try message.unauthorized.body.applicationProblemJson.status == 401)
    }
}
