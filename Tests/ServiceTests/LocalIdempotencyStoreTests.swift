import Foundation
import Testing
@testable import Service

/// The local idempotency store: one claim per key however many threads race for it, waiting, mismatch,
/// release, persistence across a new store on the same directory, expiry and capacity.
@Suite struct LocalIdempotencyStoreTests {
    func directory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("incognita-idem-\(UUID().uuidString)")
    }

    func record(_ id: String, _ fingerprint: String, at date: Date = Date()) -> IdempotencyRecord {
        IdempotencyRecord(id: id, fingerprint: fingerprint, status: 202, contentType: "application/json", location: "/v1/jobs/j",
                          body: Data("{\"id\":\"j\"}".utf8), resource: "j", createdAt: date)
    }

    @Test func racingClaimsRunOnceAndTheOthersReplay() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = LocalIdempotencyStore(directory: dir)
        final class Claims: @unchecked Sendable {
            let lock = NSLock()
            var all: [IdempotencyClaim] = []
            func add(_ c: IdempotencyClaim) { lock.lock(); all.append(c); lock.unlock() }
        }
        let claims = Claims()
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let claim = try! store.claim(id: "k", fingerprint: "f", now: Date(), wait: 10)
            if claim == .claimed {
                Thread.sleep(forTimeInterval: 0.2)          // the others arrive while this one works
                try! store.complete(record("k", "f"))
            }
            claims.add(claim)
        }
        #expect(claims.all.filter { $0 == .claimed }.count == 1)
        let replays = claims.all.compactMap { claim -> IdempotencyRecord? in
            if case .replay(let r) = claim { return r }
            return nil
        }
        #expect(replays.count == 15 && replays.allSatisfy { $0.fingerprint == "f" && $0.location == "/v1/jobs/j" })
    }

    @Test func mismatchReleaseAndTimeout() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = LocalIdempotencyStore(directory: dir)
        #expect(try store.claim(id: "k", fingerprint: "f", now: Date(), wait: 1) == .claimed)
        // Another request under the same key is refused at once, even while the first runs.
        #expect(try store.claim(id: "k", fingerprint: "g", now: Date(), wait: 1) == .mismatch)
        // The same request waits, then gives up.
        let start = Date()
        #expect(try store.claim(id: "k", fingerprint: "f", now: Date(), wait: 0.3) == .inProgress)
        #expect(Date().timeIntervalSince(start) >= 0.29)
        // A released key is free again, for any request.
        store.release(id: "k")
        #expect(try store.claim(id: "k", fingerprint: "g", now: Date(), wait: 1) == .claimed)
        try store.complete(record("k", "g"))
        #expect(try store.claim(id: "k", fingerprint: "f", now: Date(), wait: 1) == .mismatch)
    }

    @Test func recordsSurviveANewStoreAndExpire() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = Date().addingTimeInterval(-25 * 3600)
        do {
            let store = LocalIdempotencyStore(directory: dir)
            _ = try store.claim(id: "fresh", fingerprint: "f", now: Date(), wait: 1)
            try store.complete(record("fresh", "f"))
            try store.adopt(record("stale", "f", at: old))          // older than a day: not kept
            try store.adopt(record("recovered", "r"))
            try store.adopt(record("recovered", "other"))           // a key that has a record keeps it
        }
        let store = LocalIdempotencyStore(directory: dir)
        guard case .replay(let r) = try store.claim(id: "fresh", fingerprint: "f", now: Date(), wait: 1) else {
            Issue.record("the record did not survive"); return
        }
        #expect(r.body == Data("{\"id\":\"j\"}".utf8) && r.status == 202 && r.location == "/v1/jobs/j")
        #expect(try store.claim(id: "recovered", fingerprint: "r", now: Date(), wait: 1) != .claimed)
        #expect(try store.claim(id: "stale", fingerprint: "x", now: Date(), wait: 1) == .claimed)
        // A day later the fresh key is forgotten too.
        #expect(try store.claim(id: "fresh", fingerprint: "other", now: Date().addingTimeInterval(24 * 3600 + 1), wait: 1) == .claimed)
    }

    @Test func capacityIsBounded() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = LocalIdempotencyStore(directory: dir, capacity: 3)
        for k in 0..<3 { #expect(try store.claim(id: "k\(k)", fingerprint: "f", now: Date(), wait: 1) == .claimed) }
        #expect(throws: APIError.self) { try store.claim(id: "k3", fingerprint: "f", now: Date(), wait: 1) }
        store.release(id: "k0")
        #expect(try store.claim(id: "k3", fingerprint: "f", now: Date(), wait: 1) == .claimed)
    }
}
