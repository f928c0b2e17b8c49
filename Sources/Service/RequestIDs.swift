import Synchronization

/// Request ids, trace ids and span ids: unique within the process and unpredictable-looking, without a
/// system call per request. One counter step per request feeds several streams: each mixes the counter with
/// its own random key through splitmix64's finaliser (a bijection on 64 bits), so no stream repeats a value
/// until 2^64 requests. They are for correlating logs, not secrets: job ids, which callers must not guess,
/// come from the system generator (`RandomID`).
enum RequestIDs {
    private static let keys: (UInt64, UInt64, UInt64, UInt64) = (.random(in: .min ... .max), .random(in: .min ... .max),
                                                                   .random(in: .min ... .max), .random(in: .min ... .max))
    private static let counter = Atomic<UInt64>(0)
    private static let hex = Array("0123456789abcdef".utf8)

    /// The ids of one request or job run; `draw()` costs one atomic increment.
    struct Draw {
        let n: UInt64
        var requestWord: UInt64 { RequestIDs.mix(n &+ RequestIDs.keys.0) }
        /// Never zero, as W3C Trace Context requires of span ids.
        var spanID: UInt64 { RequestIDs.nonZero(RequestIDs.mix(n &+ RequestIDs.keys.1)) }
        /// Never all zero.
        var traceID: (high: UInt64, low: UInt64) {
            (RequestIDs.mix(n &+ RequestIDs.keys.2), RequestIDs.nonZero(RequestIDs.mix(n &+ RequestIDs.keys.3)))
        }
        /// 16 lowercase hex digits.
        var requestID: String { RequestIDs.hex16(requestWord) }
    }

    static func draw() -> Draw { Draw(n: counter.add(1, ordering: .relaxed).newValue) }

    /// A fresh request id (16 lowercase hex digits).
    static func next() -> String { draw().requestID }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The one input of 2^64 that mixes to zero gets 1 instead.
    @inline(__always)
    static func nonZero(_ z: UInt64) -> UInt64 { z == 0 ? 1 : z }

    static func hex16(_ z: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            for i in 0..<16 { buffer[i] = hex[Int((z >> UInt64(60 - 4 * i)) & 15)] }
            return 16
        }
    }
}
