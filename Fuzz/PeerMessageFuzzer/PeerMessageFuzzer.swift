import Foundation
import SecureSimilarity

/// Fuzzes what a peer instance can send: the sealed envelope and channel, and the protocol
/// messages a party receives in every phase. Built with `-sanitize=fuzzer,address -DFUZZING` it
/// is a libFuzzer target (see Fuzz/run.sh); built normally it replays files given as arguments
/// (the regression mode used by the tests), and `--write-corpus DIR` writes the seed corpus: the
/// real messages of an in-process session, plain and sealed.
enum PeerMessageFuzz {
    /// Two fixed identities (X25519 secret keys 01…01 and 02…02), so sealed seeds open.
    static let alice = try! IdentityKeyPair(serialized: Array("ISK1".utf8) + [UInt8](repeating: 1, count: 32)
        + hex("a4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209"))
    static let bob = try! IdentityKeyPair(serialized: Array("ISK1".utf8) + [UInt8](repeating: 2, count: 32)
        + hex("ce8d3ad1ccb633ec7b70c17814a5c76ecd029685050d344745ba05870e587d59"))
    static let sessionID = try! SessionID(bytes: [UInt8](repeating: 7, count: 16))
    static let parameters = try! SimilarityParameters(dimension: 8, fractionBits: 12, ring: .compact)
    static let limits = SimilarityLimits(maxDimension: 64, maxVectorsPerSide: 4, maxProducts: 16, maxMessageBytes: 1 << 16, chunkBytes: 4096)
    static let initiatorVectors: [[Double]] = [[1, 0, 0, 0, 0, 0, 0, 0], [0.6, 0.8, 0, 0, 0, 0, 0, 0]]
    static let responderVectors: [[Double]] = [[0, 0.6, 0.8, 0, 0, 0, 0, 0]]

    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = s.utf8.makeIterator()
        while let h = it.next(), let l = it.next() { out.append(UInt8(String(decoding: [h, l], as: UTF8.self), radix: 16)!) }
        return out
    }

    /// The parties after 0…6 steps of one real session (value types: every run copies them, so
    /// each input costs one `receive`, not a whole session).
    static let snapshots: [(initiator: SimilarityParty, responder: SimilarityParty, toResponder: Bool)] = {
        var (initiator, responder) = parties()
        var out: [(SimilarityParty, SimilarityParty, Bool)] = []
        var message: [UInt8]? = try! initiator.start()
        var toResponder = true
        for _ in 0..<7 {
            out.append((initiator, responder, toResponder))
            guard let m = message else { break }
            message = toResponder ? try! responder.receive(m) : try! initiator.receive(m)
            toResponder.toggle()
        }
        return out
    }()

    static func parties() -> (SimilarityParty, SimilarityParty) {
        (try! SimilarityParty(role: .initiator, sessionID: sessionID, parameters: parameters, vectors: initiatorVectors, limits: limits),
         try! SimilarityParty(role: .responder, sessionID: sessionID, parameters: parameters, vectors: responderVectors, limits: limits))
    }

    /// Feeds `bytes` to `party`; whatever happens, the party must end in a consistent state.
    static func feed(_ party: inout SimilarityParty, _ bytes: [UInt8]) {
        let before = party.phase
        do {
            _ = try party.receive(bytes)
        } catch {
            precondition(party.phase == .failed, "a refused message must fail the party (was \(before))")
            precondition(party.abortMessage() != nil, "a failed party has an abort message")
            precondition(party.result == nil || before == .done, "no result after a failure")
        }
        _ = SimilarityParty.abortReason(bytes)
    }

    /// The first byte selects the target: 0 sealed channel, 1 a fresh responder (hello), 2 an
    /// initiator awaiting the hello reply, 3 a real session advanced `(selector >> 2) % 7` steps,
    /// whose next receiver gets the rest.
    static func run(_ data: UnsafeRawBufferPointer) {
        guard !data.isEmpty else { return }
        let selector = data[0]
        let bytes = Array(data.dropFirst())
        switch selector & 3 {
        case 0:
            if let e = try? SealedChannel.envelope(of: bytes) {
                precondition(e.senderPublicKey.count == 32, "envelope key length")
            }
            var channel = try! SealedChannel(identity: bob, peerPublicKey: alice.publicKey, sessionID: sessionID)
            if let plain = try? channel.open(bytes) {
                precondition(channel.receiveSequence == 1, "an opened message advances the sequence")
                var responder = snapshots[0].responder
                feed(&responder, plain)
                precondition((try? channel.open(bytes)) == nil, "a replay must be refused")
            } else {
                precondition(channel.receiveSequence == 0, "a refused message leaves the channel untouched")
            }
        case 1:
            var responder = snapshots[0].responder
            feed(&responder, bytes)
        case 2:
            var initiator = snapshots[0].initiator
            feed(&initiator, bytes)
        default:
            let snapshot = snapshots[min(Int(selector >> 2) % 7, snapshots.count - 1)]
            if snapshot.toResponder {
                var responder = snapshot.responder
                feed(&responder, bytes)
            } else {
                var initiator = snapshot.initiator
                feed(&initiator, bytes)
            }
        }
    }

    /// The seed corpus: every message of a real session for selectors 1–3 and sealed for 0.
    static func writeCorpus(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var (initiator, responder) = parties()
        var messages: [[UInt8]] = []
        try SimilaritySession.runInProcess(initiator: &initiator, responder: &responder) { _, m in messages.append(m) }
        var channel = try SealedChannel(identity: alice, peerPublicKey: bob.publicKey, sessionID: sessionID)
        func write(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name))
        }
        try write("sealed-hello", [0] + channel.seal(messages[0]))
        try write("hello", [1] + messages[0])
        if messages.count > 1 { try write("hello-reply", [2] + messages[1]) }
        for (k, m) in messages.enumerated() {
            try write("step-\(k)", [UInt8(3 | (k % 7) << 2)] + m)
        }
        var (_, fresh) = parties()
        fresh.abandon(.cancelled(field: "session", message: "seed"))
        if let abort = fresh.abortMessage() { try write("abort", [1] + abort) }
        print("wrote \(messages.count + 4) seeds to \(directory)")
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    PeerMessageFuzz.run(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}

/// SwiftPM links an executable's entry point under this name; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

@_cdecl("PeerMessageFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { start, size in fuzzOne(start, size) }
}
#else
@main
struct PeerMessageReplay {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--write-corpus", arguments.count == 2 {
            try PeerMessageFuzz.writeCorpus(to: arguments[1])
            return
        }
        var files: [String] = []
        for path in arguments {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                files += ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            data.withUnsafeBytes { PeerMessageFuzz.run($0) }
        }
        print("replayed \(files.count) inputs without a crash")
    }
}
#endif
