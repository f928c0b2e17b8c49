import CSodium

/// The one thin wrapper around libsodium: every C call and every unsafe pointer of the
/// `SecureSimilarity` target lives in this file.
///
/// Functions take and return Swift arrays; failures of libsodium (an invalid point encoding, an
/// identity result of a scalar multiplication) come back as `nil` or `false`, never as a crash.
enum Sodium {
    static let scalarBytes = 32
    static let pointBytes = 32

    /// `sodium_init()` once per process; it is idempotent and thread safe.
    private static let initialised: Bool = sodium_init() >= 0

    static func ensureInitialised() throws(SimilarityError) {
        guard initialised else {
            throw .crypto(field: "libsodium", message: "sodium_init failed")
        }
    }

    // MARK: randomness

    /// `count` bytes from the operating system's CSPRNG (`randombytes_buf`).
    static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
        return out
    }

    /// Overwrites a secret with zeros in a way the compiler cannot elide (`sodium_memzero`).
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { if let b = $0.baseAddress { sodium_memzero(b, $0.count) } }
    }

    static func wipe(_ words: inout [UInt64]) {
        words.withUnsafeMutableBytes { if let b = $0.baseAddress { sodium_memzero(b, $0.count) } }
    }

    static func wipe(_ values: inout [Int64]) {
        values.withUnsafeMutableBytes { if let b = $0.baseAddress { sodium_memzero(b, $0.count) } }
    }

    // MARK: constant time

    /// Constant-time equality of two byte strings of equal length (`sodium_memcmp`).
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in sodium_memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0 }
        }
    }

    // MARK: ristretto255

    /// A uniformly random scalar in [0, L) with L the group order.
    static func scalarRandom() -> [UInt8] {
        var s = [UInt8](repeating: 0, count: scalarBytes)
        s.withUnsafeMutableBufferPointer { crypto_core_ristretto255_scalar_random($0.baseAddress!) }
        return s
    }

    /// s·B for the ristretto255 base point B; nil when the result is the identity (s ≡ 0).
    static func baseMultiply(_ scalar: [UInt8]) -> [UInt8]? {
        guard scalar.count == scalarBytes else { return nil }
        var out = [UInt8](repeating: 0, count: pointBytes)
        let rc = out.withUnsafeMutableBufferPointer { o in
            scalar.withUnsafeBufferPointer { crypto_scalarmult_ristretto255_base(o.baseAddress!, $0.baseAddress!) }
        }
        return rc == 0 ? out : nil
    }

    /// s·P; nil when P is not a canonical ristretto255 encoding or the result is the identity.
    static func multiply(_ scalar: [UInt8], _ point: [UInt8]) -> [UInt8]? {
        guard scalar.count == scalarBytes, point.count == pointBytes else { return nil }
        var out = [UInt8](repeating: 0, count: pointBytes)
        let rc = out.withUnsafeMutableBufferPointer { o in
            scalar.withUnsafeBufferPointer { s in
                point.withUnsafeBufferPointer { crypto_scalarmult_ristretto255(o.baseAddress!, s.baseAddress!, $0.baseAddress!) }
            }
        }
        return rc == 0 ? out : nil
    }

    /// True when `point` is the canonical encoding of a ristretto255 group element
    /// (`crypto_core_ristretto255_is_valid_point`). The identity encodes as 32 zero bytes;
    /// callers reject it separately.
    static func isValidPoint(_ point: [UInt8]) -> Bool {
        guard point.count == pointBytes else { return false }
        return point.withUnsafeBufferPointer { crypto_core_ristretto255_is_valid_point($0.baseAddress!) } == 1
    }

    /// P + Q; nil when either is not a valid encoding.
    static func add(_ p: [UInt8], _ q: [UInt8]) -> [UInt8]? {
        guard p.count == pointBytes, q.count == pointBytes else { return nil }
        var out = [UInt8](repeating: 0, count: pointBytes)
        let rc = out.withUnsafeMutableBufferPointer { o in
            p.withUnsafeBufferPointer { pp in
                q.withUnsafeBufferPointer { crypto_core_ristretto255_add(o.baseAddress!, pp.baseAddress!, $0.baseAddress!) }
            }
        }
        return rc == 0 ? out : nil
    }

    /// P − Q; nil when either is not a valid encoding.
    static func subtract(_ p: [UInt8], _ q: [UInt8]) -> [UInt8]? {
        guard p.count == pointBytes, q.count == pointBytes else { return nil }
        var out = [UInt8](repeating: 0, count: pointBytes)
        let rc = out.withUnsafeMutableBufferPointer { o in
            p.withUnsafeBufferPointer { pp in
                q.withUnsafeBufferPointer { crypto_core_ristretto255_sub(o.baseAddress!, pp.baseAddress!, $0.baseAddress!) }
            }
        }
        return rc == 0 ? out : nil
    }

    // MARK: BLAKE2b

    /// BLAKE2b(input) with a 16-byte salt and a 16-byte personalisation string, `outputLength`
    /// in 16...64 bytes (`crypto_generichash_blake2b_salt_personal`, unkeyed).
    static func blake2b(_ input: [UInt8], outputLength: Int, salt: [UInt8], personal: [UInt8]) -> [UInt8] {
        precondition(outputLength >= 16 && outputLength <= 64 && salt.count == 16 && personal.count == 16)
        var out = [UInt8](repeating: 0, count: outputLength)
        _ = out.withUnsafeMutableBufferPointer { o in
            input.withUnsafeBufferPointer { i in
                salt.withUnsafeBufferPointer { s in
                    personal.withUnsafeBufferPointer { p in
                        crypto_generichash_blake2b_salt_personal(
                            o.baseAddress!, outputLength, i.baseAddress, UInt64(i.count),
                            nil, 0, s.baseAddress!, p.baseAddress!)
                    }
                }
            }
        }
        return out
    }

    /// The tweaked correlation-robust hash H(tweak, row) of the OT extension, written as `count`
    /// little-endian 64-bit words into `out[offset ..< offset + count]`.
    ///
    /// h = BLAKE2b(tweak_le64 ‖ lo_le64 ‖ hi_le64; salt = session salt, personal = domain), one
    /// compression. Up to 8 words come from BLAKE2b directly (output length max(16, 8·count));
    /// more words come from ChaCha20-IETF keyed with a 32-byte BLAKE2b output (nonce 0).
    static func tweakedHash(
        tweak: UInt64, lo: UInt64, hi: UInt64, salt: [UInt8], personal: [UInt8],
        into out: inout [UInt64], offset: Int, count: Int
    ) {
        precondition(offset >= 0 && count >= 1 && offset + count <= out.count)
        var input: (UInt64, UInt64, UInt64) = (tweak.littleEndian, lo.littleEndian, hi.littleEndian)
        var digest: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        let direct = count <= 8
        let outLen = direct ? max(16, 8 * count) : 32
        salt.withUnsafeBufferPointer { s in
            personal.withUnsafeBufferPointer { p in
                withUnsafeMutableBytes(of: &digest) { d in
                    withUnsafeBytes(of: &input) { i in
                        _ = crypto_generichash_blake2b_salt_personal(
                            d.baseAddress!.assumingMemoryBound(to: UInt8.self), outLen,
                            i.baseAddress!.assumingMemoryBound(to: UInt8.self), 24,
                            nil, 0, s.baseAddress!, p.baseAddress!)
                    }
                }
            }
        }
        if direct {
            withUnsafeBytes(of: &digest) { d in
                let words = d.bindMemory(to: UInt64.self)
                for k in 0..<count { out[offset + k] = UInt64(littleEndian: words[k]) }
            }
        } else {
            let nonce: (UInt64, UInt32) = (0, 0)
            out.withUnsafeMutableBufferPointer { o in
                let dst = UnsafeMutableRawPointer(o.baseAddress! + offset)
                withUnsafeBytes(of: nonce) { n in
                    withUnsafeBytes(of: &digest) { d in
                        _ = crypto_stream_chacha20_ietf(
                            dst.assumingMemoryBound(to: UInt8.self), UInt64(8 * count),
                            n.baseAddress!.assumingMemoryBound(to: UInt8.self),
                            d.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    }
                }
                #if _endian(big)
                for k in offset..<(offset + count) { o[k] = UInt64(littleEndian: o[k]) }
                #endif
            }
        }
    }

    // MARK: ChaCha20

    /// Fills `out[offset ..< offset + count]` with the ChaCha20-IETF keystream of a 32-byte key and
    /// a 12-byte nonce starting at 64-byte block `block`, read as little-endian 64-bit words: the
    /// PRG of the OT extension (block b holds PRG bits 512·b ..< 512·(b+1)).
    static func chacha20Keystream(key: [UInt8], nonce: [UInt8], block: UInt32 = 0, into out: inout [UInt64], offset: Int, count: Int) {
        precondition(key.count == 32 && nonce.count == 12 && offset >= 0 && offset + count <= out.count)
        guard count > 0 else { return }
        out.withUnsafeMutableBufferPointer { o in
            let dst = UnsafeMutableRawPointer(o.baseAddress! + offset).assumingMemoryBound(to: UInt8.self)
            dst.initialize(repeating: 0, count: 8 * count)
            key.withUnsafeBufferPointer { k in
                nonce.withUnsafeBufferPointer { n in
                    _ = crypto_stream_chacha20_ietf_xor_ic(dst, dst, UInt64(8 * count), n.baseAddress!, block, k.baseAddress!)
                }
            }
            #if _endian(big)
            for k in offset..<(offset + count) { o[k] = UInt64(littleEndian: o[k]) }
            #endif
        }
    }

    // MARK: X25519 key exchange (crypto_kx)

    static let kxKeyBytes = 32

    /// A fresh X25519 key pair (`crypto_kx_keypair`): (public, secret).
    static func kxKeyPair() -> (publicKey: [UInt8], secretKey: [UInt8]) {
        var pk = [UInt8](repeating: 0, count: kxKeyBytes), sk = [UInt8](repeating: 0, count: kxKeyBytes)
        _ = pk.withUnsafeMutableBufferPointer { p in
            sk.withUnsafeMutableBufferPointer { crypto_kx_keypair(p.baseAddress!, $0.baseAddress!) }
        }
        return (pk, sk)
    }

    /// The X25519 public key of a secret key (`crypto_scalarmult_curve25519_base`, as crypto_kx
    /// computes it); nil for a degenerate key.
    static func kxPublicKey(secretKey sk: [UInt8]) -> [UInt8]? {
        guard sk.count == kxKeyBytes else { return nil }
        var pk = [UInt8](repeating: 0, count: kxKeyBytes)
        let rc = pk.withUnsafeMutableBufferPointer { p in
            sk.withUnsafeBufferPointer { crypto_scalarmult_curve25519_base(p.baseAddress!, $0.baseAddress!) }
        }
        return rc == 0 ? pk : nil
    }

    /// Directional session keys (`crypto_kx_client_session_keys` when `asClient`, else
    /// `crypto_kx_server_session_keys`): rx decrypts what the peer sends, tx encrypts what we
    /// send. nil when the peer key is unacceptable (low-order point).
    static func kxSessionKeys(
        asClient: Bool, publicKey pk: [UInt8], secretKey sk: [UInt8], peerPublicKey peer: [UInt8]
    ) -> (rx: [UInt8], tx: [UInt8])? {
        guard pk.count == kxKeyBytes, sk.count == kxKeyBytes, peer.count == kxKeyBytes else { return nil }
        var rx = [UInt8](repeating: 0, count: 32), tx = [UInt8](repeating: 0, count: 32)
        let rc = rx.withUnsafeMutableBufferPointer { r in
            tx.withUnsafeMutableBufferPointer { t in
                pk.withUnsafeBufferPointer { p in
                    sk.withUnsafeBufferPointer { s in
                        peer.withUnsafeBufferPointer { q in
                            asClient
                                ? crypto_kx_client_session_keys(r.baseAddress!, t.baseAddress!, p.baseAddress!, s.baseAddress!, q.baseAddress!)
                                : crypto_kx_server_session_keys(r.baseAddress!, t.baseAddress!, p.baseAddress!, s.baseAddress!, q.baseAddress!)
                        }
                    }
                }
            }
        }
        return rc == 0 ? (rx, tx) : nil
    }

    /// Keyed BLAKE2b-256 (`crypto_generichash` with a 32-byte key): a PRF for key derivation.
    static func keyedBlake2b(key: [UInt8], _ input: [UInt8]) -> [UInt8] {
        precondition(key.count >= 16 && key.count <= 64)
        var out = [UInt8](repeating: 0, count: 32)
        _ = out.withUnsafeMutableBufferPointer { o in
            input.withUnsafeBufferPointer { i in
                key.withUnsafeBufferPointer { k in
                    crypto_generichash(o.baseAddress!, 32, i.baseAddress, UInt64(i.count), k.baseAddress!, k.count)
                }
            }
        }
        return out
    }

    // MARK: XChaCha20-Poly1305 (IETF AEAD)

    static let aeadKeyBytes = 32
    static let aeadNonceBytes = 24
    static let aeadTagBytes = 16

    /// ciphertext ‖ tag of `plaintext` with associated data `ad`
    /// (`crypto_aead_xchacha20poly1305_ietf_encrypt`).
    static func aeadSeal(_ plaintext: [UInt8], ad: [UInt8], nonce: [UInt8], key: [UInt8]) -> [UInt8] {
        precondition(key.count == aeadKeyBytes && nonce.count == aeadNonceBytes)
        var out = [UInt8](repeating: 0, count: plaintext.count + aeadTagBytes)
        var outLen: UInt64 = 0
        _ = out.withUnsafeMutableBufferPointer { o in
            plaintext.withUnsafeBufferPointer { m in
                ad.withUnsafeBufferPointer { a in
                    nonce.withUnsafeBufferPointer { n in
                        key.withUnsafeBufferPointer { k in
                            crypto_aead_xchacha20poly1305_ietf_encrypt(
                                o.baseAddress!, &outLen, m.baseAddress, UInt64(m.count), a.baseAddress, UInt64(a.count),
                                nil, n.baseAddress!, k.baseAddress!)
                        }
                    }
                }
            }
        }
        return out
    }

    /// The plaintext, or nil when the tag does not verify
    /// (`crypto_aead_xchacha20poly1305_ietf_decrypt`).
    static func aeadOpen(_ ciphertext: [UInt8], ad: [UInt8], nonce: [UInt8], key: [UInt8]) -> [UInt8]? {
        guard key.count == aeadKeyBytes, nonce.count == aeadNonceBytes, ciphertext.count >= aeadTagBytes else { return nil }
        var out = [UInt8](repeating: 0, count: ciphertext.count - aeadTagBytes)
        var outLen: UInt64 = 0
        let rc = out.withUnsafeMutableBufferPointer { o in
            ciphertext.withUnsafeBufferPointer { c in
                ad.withUnsafeBufferPointer { a in
                    nonce.withUnsafeBufferPointer { n in
                        key.withUnsafeBufferPointer { k in
                            crypto_aead_xchacha20poly1305_ietf_decrypt(
                                o.baseAddress, &outLen, nil, c.baseAddress!, UInt64(c.count), a.baseAddress, UInt64(a.count),
                                n.baseAddress!, k.baseAddress!)
                        }
                    }
                }
            }
        }
        return rc == 0 ? out : nil
    }

    // MARK: SHA-256

    /// SHA-256 of `bytes` (`crypto_hash_sha256`).
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        _ = out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { crypto_hash_sha256(o.baseAddress!, $0.baseAddress, UInt64($0.count)) }
        }
        return out
    }

    /// An incremental SHA-256 (`crypto_hash_sha256_init/update/final`), a value type: copying it
    /// forks the hash.
    struct SHA256Stream: @unchecked Sendable {
        // @unchecked: the C state is plain bytes (no pointers); copying it is a fork of the hash.
        private var state = crypto_hash_sha256_state()

        init() {
            _ = crypto_hash_sha256_init(&state)
        }

        mutating func update(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { b in
                _ = crypto_hash_sha256_update(&state, b.baseAddress, UInt64(b.count))
            }
        }

        /// Feeds bytes in place (a memory-mapped file, say) without copying them.
        mutating func update(_ bytes: UnsafeRawBufferPointer) {
            _ = crypto_hash_sha256_update(&state, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
        }

        /// The digest of everything fed so far; the stream itself is left unchanged.
        func digest() -> [UInt8] {
            var copy = state
            var out = [UInt8](repeating: 0, count: 32)
            out.withUnsafeMutableBufferPointer { _ = crypto_hash_sha256_final(&copy, $0.baseAddress!) }
            return out
        }
    }
}
