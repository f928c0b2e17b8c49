// The README's example of a Swift service calling Incognita through IncognitaClient (the suite builds it and
// runs it against the real binary: INCOGNITA_URL names the instance).
import Foundation
import IncognitaClient

// README example begins
let incognita = Client(serverURL: URL(string: ProcessInfo.processInfo.environment["INCOGNITA_URL"] ?? "http://localhost:8080")!)

/// Tests 2^p − 1 with Lucas–Lehmer; a retry with the same key (after a timeout, say) starts nothing twice.
func lucasLehmer(_ p: Int, key: String = UUID().uuidString) async throws -> Components.Schemas.PrimesLucasLehmerResult {
    switch try await incognita.primesLucasLehmer(headers: .init(idempotencyKey: key), body: .json(.init(exponent: p))) {
    case .ok(let answer):                       // small exponents answer at once
        return try answer.body.json
    case .accepted(let accepted):               // larger ones are a job: wait for it
        let id = try accepted.body.json.id
        while true {
            let job = try await incognita.getJob(path: .init(id: id)).ok.body.json
            switch job.status {
            case .succeeded:
                let data = try JSONEncoder().encode(job.result)
                return try JSONDecoder().decode(Components.Schemas.PrimesLucasLehmerResult.self, from: data)
            case .failed, .cancelled:
                throw CancellationError()
            case .queued, .running:
                try await Task.sleep(nanoseconds: 200_000_000)
            }
        }
    case .unprocessableContent(let problem):    // errors are typed problem documents naming the field
        let body = try problem.body.applicationProblemJson
        throw NSError(domain: "incognita", code: body.status, userInfo: [NSLocalizedDescriptionKey: body.detail])
    default:
        throw URLError(.badServerResponse)
    }
}

let result = try await lucasLehmer(22013)
print("M\(result.exponent): prime \(result.isPrime), Res64 \(result.residue64 ?? "-")")
// README example ends
