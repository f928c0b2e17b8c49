import Foundation

/// Similarity session metadata shared by the replicas of one organisation (`PostgresSimilaritySessionStore`).
/// A single instance keeps its sessions in the registry's memory and needs no store. Only public
/// facts are stored — the document `GET` shows, the owner replica and its URL — never an input,
/// a party or a channel key: those stay in the owner's memory.
protocol SimilaritySessionStore: Sendable {
    /// Inserts a new session owned by this replica; false when the id is already known (or erased).
    func insert(_ row: SimilaritySessionRow) throws -> Bool
    /// Writes the current document and state of a session this replica owns.
    func update(_ row: SimilaritySessionRow) throws
    /// A session's row, nil when unknown or erased.
    func load(id: String) throws -> SimilaritySessionRow?
    /// Every session not erased, newest first.
    func list() throws -> [SimilaritySessionRow]
    /// Hides a session (the id stays known until `until`, so a replayed invitation is refused).
    func erase(id: String) throws
    /// Counts a new session with `peer` against `limit` sessions in the last hour (all replicas); false when over.
    func admit(peer: String, limit: Int) throws -> Bool
    /// Moves the session to running when fewer than `limit` sessions run on all replicas; false otherwise.
    func tryStart(id: String, limit: Int) throws -> Bool
    /// Fails unfinished sessions whose owner replica stopped heartbeating `staleSeconds` ago (each by exactly
    /// one replica) and returns them with the state they had; removes old rows.
    func sweep(staleSeconds: Double, keepSeconds: Double) throws -> [SimilaritySessionLoss]
}

/// A session the sweep failed because its replica stopped: its id, its state until then and its peer's name.
struct SimilaritySessionLoss: Sendable {
    var id: String
    var previousState: String
    var peer: String
}

/// One session's shared row.
struct SimilaritySessionRow: Sendable {
    var id: String
    var state: String
    var owner: String
    var ownerURL: String
    /// The JSON document `GET /v1/similarity/sessions/{id}` shows.
    var document: String
    var expiresAt: Date
}
