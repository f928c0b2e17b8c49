import HTTPServer
import HTTPTypes

/// W3C Trace Context (https://www.w3.org/TR/trace-context/) for one request, job run or similarity session:
/// the trace it belongs to, this service's span in it, and what the caller sent.
///
/// A request's `traceparent` is continued when it is valid (version other than `ff`; for version `00` exactly
/// `00-<32 hex>-<16 hex>-<2 hex>`, longer for later versions only after a `-`; lowercase hex only; trace id and
/// parent id not all zeros); otherwise it is ignored, with its `tracestate`, and a new trace starts here. The
/// answer carries `traceparent` with this service's span id as the parent id; the ids appear in the access log
/// and in every event logged while the request, job or session runs (`TraceContext.current`), and calls to
/// similarity peers carry them on.
///
/// ```swift
/// let trace = TraceContext(fields: request.headerFields)   // continue or start
/// response.headerFields[TraceContext.traceparentName] = trace.traceparent
/// try TraceContext.$current.withValue(trace) { try handler(context) }
/// ```
public struct TraceContext: Sendable, Equatable {
    public var traceIDHigh: UInt64
    public var traceIDLow: UInt64
    /// This service's span: the parent id of its answer and of the calls it makes.
    public var spanID: UInt64
    /// The caller's span (the parent id it sent); nil when the trace started here.
    public var parentID: UInt64?
    /// Trace flags passed on: only the `sampled` bit (the others are undefined in version 00 and sent as zero).
    public var flags: UInt8
    /// The caller's `tracestate`, passed on unchanged to the calls this service makes (nil when absent or invalid).
    public var state: String?

    /// The trace of the work running on this thread, bound by the request, job or session that runs it.
    @TaskLocal public static var current: TraceContext?

    public static let traceparentName = HTTPField.Name("traceparent")!
    public static let tracestateName = HTTPField.Name("tracestate")!

    /// Continues the caller's trace when its `traceparent` is valid, else starts a new one.
    init(fields: RequestFields, ids: RequestIDs.Draw = RequestIDs.draw()) {
        // One traceparent only: repeated, the header is ambiguous and ignored.
        let parents = fields[values: Self.traceparentName]
        self.init(traceparent: parents.count == 1 ? parents[0] : nil, tracestate: fields[values: Self.tracestateName], ids: ids)
    }

    /// Continues the trace of a valid `traceparent` value (with the `tracestate` values sent beside it), else starts one.
    init(traceparent: String?, tracestate: [String], ids: RequestIDs.Draw) {
        if let traceparent, let parsed = Self.parse(traceparent: traceparent) {
            self.init(traceIDHigh: parsed.high, traceIDLow: parsed.low, spanID: ids.spanID, parentID: parsed.parent,
                      flags: parsed.flags & 1, state: Self.validState(tracestate))
        } else {
            self.init(ids: ids)
        }
    }

    /// A new trace that starts here (sampled: every request is recorded in the access log).
    init(ids: RequestIDs.Draw = RequestIDs.draw()) {
        let trace = ids.traceID
        self.init(traceIDHigh: trace.high, traceIDLow: trace.low, spanID: ids.spanID, parentID: nil, flags: 1, state: nil)
    }

    init(traceIDHigh: UInt64, traceIDLow: UInt64, spanID: UInt64, parentID: UInt64?, flags: UInt8, state: String?) {
        self.traceIDHigh = traceIDHigh
        self.traceIDLow = traceIDLow
        self.spanID = spanID
        self.parentID = parentID
        self.flags = flags
        self.state = state
    }

    /// The work of a recorded trace id (a job or session resumed later): a new span in that trace, or a new
    /// trace when the id is missing or malformed.
    static func resuming(traceID: String?) -> TraceContext {
        let ids = RequestIDs.draw()
        guard let traceID, traceID.utf8.count == 32, let high = hexValue(traceID.utf8.prefix(16)), let low = hexValue(traceID.utf8.dropFirst(16)),
              high | low != 0 else { return TraceContext(ids: ids) }
        return TraceContext(traceIDHigh: high, traceIDLow: low, spanID: ids.spanID, parentID: nil, flags: 1, state: nil)
    }

    /// A new span in the same trace, below this one (a job's run, a session's protocol run).
    func child() -> TraceContext {
        TraceContext(traceIDHigh: traceIDHigh, traceIDLow: traceIDLow, spanID: RequestIDs.draw().spanID, parentID: spanID,
                     flags: flags, state: state)
    }

    /// The trace id: 32 lowercase hex digits.
    public var traceID: String {
        String(decoding: ByteWriter.array(atMost: 32) { writeTraceID(into: &$0) } ?? [], as: UTF8.self)
    }

    /// This service's span id: 16 lowercase hex digits.
    public var spanIDText: String { RequestIDs.hex16(spanID) }

    /// `00-<trace id>-<span id>-<flags>`: what this service answers and sends to the services it calls.
    public var traceparent: String {
        String(decoding: ByteWriter.array(atMost: 55) { writeTraceparent(into: &$0) } ?? [], as: UTF8.self)
    }

    /// Writes the 55 bytes of `traceparent`.
    func writeTraceparent(into w: inout ByteWriter) {
        w.write("00-")
        writeTraceID(into: &w)
        w.write(45)
        w.writeHex(spanID)
        w.write(45)
        w.writeHex(UInt64(flags), digits: 2)
    }

    func writeTraceID(into w: inout ByteWriter) {
        w.writeHex(traceIDHigh)
        w.writeHex(traceIDLow)
    }

    // MARK: parsing

    /// The trace id, parent id and flags of a valid `traceparent` value; nil when it is invalid.
    static func parse(traceparent value: String) -> (high: UInt64, low: UInt64, parent: UInt64, flags: UInt8)? {
        let b = Array(value.utf8)
        // version "-" trace-id "-" parent-id "-" trace-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55 characters.
        guard b.count >= 55, let version = hexValue(b[0..<2]), version != 0xFF,
              b[2] == 45, b[35] == 45, b[52] == 45 else { return nil }
        // Version 00 is exactly 55 characters; a later version may append fields, after a "-".
        if version == 0 { guard b.count == 55 else { return nil } } else if b.count > 55 { guard b[55] == 45 else { return nil } }
        guard let high = hexValue(b[3..<19]), let low = hexValue(b[19..<35]), high | low != 0,
              let parent = hexValue(b[36..<52]), parent != 0,
              let flags = hexValue(b[53..<55]) else { return nil }
        return (high, low, parent, UInt8(flags))
    }

    /// The value of lowercase hex digits (at most 16); nil for any other character.
    private static func hexValue<C: Collection<UInt8>>(_ digits: C) -> UInt64? {
        var v: UInt64 = 0
        for c in digits {
            switch c {
            case 48...57: v = v << 4 | UInt64(c - 48)
            case 97...102: v = v << 4 | UInt64(c - 87)
            default: return nil
            }
        }
        return v
    }

    /// Most list members in a `tracestate` (W3C: 32) and the longest value passed on.
    static let maxStateMembers = 32
    static let maxStateBytes = 512

    /// The combined `tracestate` when every list member is valid (`key=value`, keys unique, at most 32 members,
    /// at most 512 bytes); nil when absent or invalid, since a partial state would misstate what the caller sent.
    static func validState(_ values: [String]) -> String? {
        guard !values.isEmpty else { return nil }
        var members: [Substring] = []
        var keys = Set<Substring>()
        for value in values {
            for raw in value.split(separator: ",", omittingEmptySubsequences: false) {
                let member = raw.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
                let trimmed = Substring(String(member))
                if trimmed.isEmpty { continue } // empty list members are allowed and dropped
                guard let eq = trimmed.firstIndex(of: "="), isValidKey(trimmed[..<eq].utf8), isValidValue(trimmed[trimmed.index(after: eq)...].utf8),
                      keys.insert(trimmed[..<eq]).inserted else { return nil }
                members.append(trimmed)
            }
        }
        guard !members.isEmpty, members.count <= maxStateMembers else { return nil }
        let joined = members.joined(separator: ",")
        return joined.utf8.count <= maxStateBytes ? joined : nil
    }

    /// `simple-key = lcalpha 0*255(lcalpha / DIGIT / "_" / "-" / "*" / "/")`, or a multi-tenant
    /// `tenant-id "@" system-id` with `tenant-id = (lcalpha / DIGIT) 0*240(...)` and `system-id = lcalpha 0*13(...)`.
    private static func isValidKey(_ key: Substring.UTF8View) -> Bool {
        func isLower(_ c: UInt8) -> Bool { c >= 97 && c <= 122 }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        func isKeyChar(_ c: UInt8) -> Bool { isLower(c) || isDigit(c) || c == 95 || c == 45 || c == 42 || c == 47 }
        let k = Array(key)
        if let at = k.firstIndex(of: 64) {
            let tenant = k[..<at], system = k[(at + 1)...]
            guard let t0 = tenant.first, isLower(t0) || isDigit(t0), tenant.count <= 241, tenant.allSatisfy(isKeyChar),
                  let s0 = system.first, isLower(s0), system.count <= 14, system.allSatisfy(isKeyChar) else { return false }
            return true
        }
        guard let first = k.first, isLower(first), k.count <= 256 else { return false }
        return k.allSatisfy(isKeyChar)
    }

    /// `value = 0*255(chr) nblk-chr`, `chr = %x20 / nblk-chr`, `nblk-chr = %x21-2B / %x2D-3C / %x3E-7E`.
    private static func isValidValue(_ value: Substring.UTF8View) -> Bool {
        guard let last = value.last, last != 0x20, value.count <= 256 else { return false }
        return value.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != 0x2C && $0 != 0x3D }
    }
}
