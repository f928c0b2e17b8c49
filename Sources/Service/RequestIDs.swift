import Synchronization

/// Request ids: unique within the process and unpredictable-looking, without a system call per request.
/// A counter is mixed with a random key through splitmix64's finaliser (a bijection on 64 bits), so ids
/// never repeat until 2^64 requests. They are for correlating logs, not secrets: job ids, which callers
/// must not guess, come from the system generator (`RandomID`).
enum RequestIDs {
    private static let key: UInt64 = UInt64.random(in: .min ... .max)
    private static let counter = Atomic<UInt64>(0)
    private static let hex = Array("0123456789abcdef".utf8)

    static func next() -> String {
        var z = (counter.add(1, ordering: .relaxed).newValue &+ key) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return String(unsafeUninitializedCapacity: 16) { buffer in
            for i in 0..<16 { buffer[i] = hex[Int((z >> UInt64(60 - 4 * i)) & 15)] }
            return 16
        }
    }
}
