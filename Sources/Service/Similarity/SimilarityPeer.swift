import Foundation
import SecureSimilarity

/// A configured peer instance: its name here, its base URL and its pinned public key.
struct SimilarityPeer: Sendable {
    /// The name for the built-in in-process peer (both parties in this instance: no privacy).
    static let loopbackName = "loopback"

    let name: String
    let url: URL
    let publicKey: [UInt8]

    var fingerprint: String { IdentityKeyPair.fingerprint(of: publicKey) }

    /// Parses the configuration form "URL,PUBLICKEY" (the `--peer NAME=URL,KEY` value).
    static func parse(name: String, spec: String) throws -> SimilarityPeer {
        let parts = spec.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard name != loopbackName, !name.isEmpty, parts.count == 2, var url = URL(string: parts[0]),
              url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw SimilarityIdentityStore.Failure(description: "peer \(name): expected URL,PUBLICKEY with an http(s) URL")
        }
        while url.path.hasSuffix("/") && url.path.count > 1 { url = url.deletingLastPathComponent() }
        do {
            return SimilarityPeer(name: name, url: url, publicKey: try IdentityKeyPair.parsePublicKey(parts[1]))
        } catch {
            throw SimilarityIdentityStore.Failure(description: "peer \(name): \(error.message)")
        }
    }

    /// `url` + `path` (path starting with "/").
    func endpoint(_ path: String) -> URL {
        var base = url.absoluteString
        if base.hasSuffix("/") { base.removeLast() }
        return URL(string: base + path)!
    }
}
