import Foundation

/// Where job records and checkpoints live. The first implementation is a local directory; a shared
/// database can implement the same protocol when replicas must see each other's jobs.
public protocol JobStore: Sendable {
    func save(_ snapshot: JobSnapshot) throws
    func loadAll() -> [JobSnapshot]
    func remove(id: String)
    func saveCheckpoint(id: String, _ bytes: [UInt8]) throws
    func loadCheckpoint(id: String) -> [UInt8]?
    func removeCheckpoint(id: String)
}

/// Job records as `<id>.json` and checkpoints as `<id>.checkpoint` in one directory, written atomically.
public struct LocalJobStore: JobStore {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    public func save(_ snapshot: JobSnapshot) throws {
        try AtomicFile.write(Array(try Self.encoder.encode(snapshot)), to: directory.appendingPathComponent("\(snapshot.id).json"))
    }

    public func loadAll() -> [JobSnapshot] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.filter { $0.hasSuffix(".json") }.compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { return nil }
            return try? decoder.decode(JobSnapshot.self, from: data)
        }
    }

    public func remove(id: String) {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("\(id).json"))
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("\(id).checkpoint"))
    }

    public func saveCheckpoint(id: String, _ bytes: [UInt8]) throws {
        try AtomicFile.write(bytes, to: directory.appendingPathComponent("\(id).checkpoint"))
    }

    public func removeCheckpoint(id: String) {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("\(id).checkpoint"))
    }

    public func loadCheckpoint(id: String) -> [UInt8]? {
        FileManager.default.contents(atPath: directory.appendingPathComponent("\(id).checkpoint").path).map { Array($0) }
    }
}
