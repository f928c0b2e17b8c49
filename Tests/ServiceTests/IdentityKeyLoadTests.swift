import Foundation
import SecureSimilarity
import Testing
@testable import Service

/// Loading the identity key at start: a database failure is asked again until the start timeout, anything
/// else (a damaged key) ends the attempt at once.
@Suite struct IdentityKeyLoadTests {
    /// Fails `failures` times with `error`, then answers a fixed key pair.
    final class FlakyStore: IdentityKeyStore, @unchecked Sendable {
        let key = IdentityKeyPair.generate()
        var failures: Int
        let error: Error
        private(set) var calls = 0
        init(failures: Int, error: Error) { self.failures = failures; self.error = error }
        func loadOrCreate() throws -> IdentityKeyPair {
            calls += 1
            if failures > 0 { failures -= 1; throw error }
            return key
        }
    }

    static let dropped = PostgresConnection.Failure(message: "server closed the connection unexpectedly", sqlState: nil, connectionLost: true)

    @Test func aDatabaseThatFailsForAMomentIsAskedAgain() throws {
        let store = FlakyStore(failures: 2, error: Self.dropped)
        let started = Date()
        let key = try Application.loadIdentity(from: store, retryingDatabaseFailuresFor: 10)
        #expect(key.publicKey == store.key.publicKey)
        #expect(store.calls == 3)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func theRetriesEndAtTheTimeout() {
        let store = FlakyStore(failures: .max, error: Self.dropped)
        let started = Date()
        #expect(throws: PostgresConnection.Failure.self) { try Application.loadIdentity(from: store, retryingDatabaseFailuresFor: 1) }
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(store.calls >= 2)
    }

    @Test func withoutADatabaseOrForADamagedKeyTheFirstFailureIsFinal() {
        let noDatabase = FlakyStore(failures: 1, error: Self.dropped)
        #expect(throws: PostgresConnection.Failure.self) { try Application.loadIdentity(from: noDatabase, retryingDatabaseFailuresFor: 0) }
        #expect(noDatabase.calls == 1)
        let damaged = FlakyStore(failures: 1, error: SimilarityIdentityStore.Failure(description: "the identity key in the database is damaged"))
        #expect(throws: SimilarityIdentityStore.Failure.self) { try Application.loadIdentity(from: damaged, retryingDatabaseFailuresFor: 10) }
        #expect(damaged.calls == 1)
    }
}
