import Foundation
import HTTPServer
import HTTPTypes
import StrictJSON
import Primes

/// Mersenne primes, power digits, Lucas–Lehmer, primality and Benford (issue 5) over the `Primes` domain.
///
/// ```
/// GET  /v1/mersenne                          the 52 known Mersenne primes
/// GET  /v1/mersenne/{exponent}               digits, leading/trailing digits of 2^p − 1 (p ≤ 10^9)
/// GET  /v1/mersenne/{exponent}/decimal       the whole expansion (text/plain, gzip, Range; a job the first time when large)
/// GET  /v1/digits?base=&exponent=&offset=    digits of base^exponent + offset
/// POST /v1/primes/lucas-lehmer {exponent}    inline for small p, else a resumable job
/// GET  /v1/primes/{n}                        primality and next prime
/// POST /v1/benford {values, test}            Benford analysis (JSON or image/svg+xml)
/// GET  /v1/benford/powers?base=&count=       Benford analysis of base^1 … base^count
/// ```
extension Application {
    func registerPrimesRoutes() {
        let expansions = self.expansions
        jobs.registerResumable(kind: "mersenne-decimal") { spec in
            guard let request = try? JSONDecoder().decode(PrimesLucasLehmerRequest.self, from: Data(spec.utf8)),
                  request.exponent > 0, let total = try? Mersenne.decimalDigitCount(exponent: UInt64(request.exponent)) else { return nil }
            return Self.decimalWork(UInt64(request.exponent), total: Int(total), store: expansions)
        }

        add(.get, "/v1/mersenne") { _ in
            try JSON.response(KnownMersennePrimes.all)
        }

        add(.get, "/v1/mersenne/{exponent}") { ctx in
            let leading = try ctx.queryInt("leading", default: 20, in: 0...PowerDigits.maxRequestedDigits)
            let trailing = try ctx.queryInt("trailing", default: 20, in: 0...PowerDigits.maxRequestedDigits)
            return try JSON.response(try Mersenne.facts(exponent: ctx.parameter("exponent"), leading: leading, trailing: trailing))
        }

        add(.get, "/v1/mersenne/{exponent}/decimal") { [unowned self] ctx in
            let text = ctx.parameter("exponent")
            guard let p = UInt64(text), (1...Mersenne.maxExpansionExponent).contains(p) else {
                throw APIError.invalid("exponent", "must be an integer between 1 and \(Mersenne.maxExpansionExponent)")
            }
            let total = Int(try Mersenne.decimalDigitCount(exponent: p))
            let range = try PrimesByteRange.parse(ctx.request.headerFields[.range], total: total)
            if p <= PrimesLimits.inlineDecimalExponent {
                var digits: [UInt8] = []
                digits.reserveCapacity(total)
                try Mersenne.writeDecimalExpansion(exponent: p) { digits.append(contentsOf: $0) }
                return PrimesByteRange.response(digits: digits, range: range, total: total)
            }
            if let cached = try expansions.open(exponent: p, digits: total) {
                return try PrimesByteRange.response(cached, range: range, gzip: ctx.request.headerFields.acceptsGzip)
            }
            // First request for a large expansion: compute it in a job (joined by any later request
            // until it ends), store it compressed, serve it from the store.
            return try self.startJob(kind: "mersenne-decimal", spec: "{\"exponent\":\(p)}", joinKey: "mersenne-decimal:\(p)",
                                     Self.decimalWork(p, total: total, store: expansions))
        }

        add(.get, "/v1/digits") { ctx in
            guard let base = ctx.query("base"), !base.isEmpty else { throw APIError.invalid("base", "is required") }
            guard let exponent = ctx.query("exponent"), !exponent.isEmpty else { throw APIError.invalid("exponent", "is required") }
            let offset = try ctx.queryInt("offset", default: 0, in: -PowerDigits.maxOffset...PowerDigits.maxOffset)
            let leading = try ctx.queryInt("leading", default: 20, in: 0...PowerDigits.maxRequestedDigits)
            let trailing = try ctx.queryInt("trailing", default: 20, in: 0...PowerDigits.maxRequestedDigits)
            let r = try PowerDigits.compute(base: base, exponent: exponent, offset: offset, leading: leading, trailing: trailing)
            return try JSON.response(PrimesDigitsView(r))
        }

        let checkpointSeconds = configuration.checkpointSeconds
        jobs.registerResumable(kind: "lucas-lehmer") { spec in
            guard let request = try? JSONDecoder().decode(PrimesLucasLehmerRequest.self, from: Data(spec.utf8)),
                  request.exponent > 2 else { return nil }
            return Self.lucasLehmerWork(UInt64(request.exponent), checkpointSeconds: checkpointSeconds)
        }
        jobs.registerResumable(kind: "prp") { spec in
            guard let request = try? JSONDecoder().decode(PrimesProbablePrimeRequest.self, from: Data(spec.utf8)),
                  request.exponent > 2 else { return nil }
            return Self.probablePrimeWork(UInt64(request.exponent), base: UInt64(request.base ?? 3), checkpointSeconds: checkpointSeconds)
        }

        add(.post, "/v1/primes/lucas-lehmer", idempotency: .instance) { [unowned self] ctx in
            let request = try ctx.decode(PrimesLucasLehmerRequest.self)
            guard request.exponent >= 0 else {
                throw APIError.invalid("exponent", "must be between 2 and \(LucasLehmer.maxExponent), got \(request.exponent)")
            }
            let p = UInt64(request.exponent)
            if request.compute != true, p > PrimesLimits.inlineLucasLehmerExponent, let known = KnownMersennePrimes.entry(exponent: p) {
                // Known Mersenne primes are answered from the GIMPS list (a prime's final residue is 0),
                // including those far beyond what this service would test; "compute": true runs the test.
                return try JSON.response(LucasLehmerResult(exponent: p, isPrime: true, residue64: "0000000000000000",
                                                           reason: "M\(p) is the known Mersenne prime of rank \(known.rank) (GIMPS list)"))
            }
            let (_, immediate) = try LucasLehmer.plan(exponent: p)
            if let immediate { return try JSON.response(immediate) }
            if p <= PrimesLimits.inlineLucasLehmerExponent { return try JSON.response(try LucasLehmer.run(p)) }
            return try self.startJob(kind: "lucas-lehmer", spec: "{\"exponent\":\(p)}", Self.lucasLehmerWork(p, checkpointSeconds: self.configuration.checkpointSeconds))
        }

        add(.post, "/v1/primes/prp", idempotency: .instance) { [unowned self] ctx in
            let request = try ctx.decode(PrimesProbablePrimeRequest.self)
            guard request.exponent >= 0 else {
                throw APIError.invalid("exponent", "must be between 2 and \(ProbablePrime.maxExponent), got \(request.exponent)")
            }
            guard (request.base ?? 3) >= 0 else {
                throw APIError.invalid("base", "must be between 3 and \(ProbablePrime.maxBase), got \(request.base ?? 3)")
            }
            let p = UInt64(request.exponent), base = UInt64(request.base ?? 3)
            if request.compute != true, p > PrimesLimits.inlineLucasLehmerExponent, let known = KnownMersennePrimes.entry(exponent: p) {
                // A known Mersenne prime is a probable prime to every base below it.
                guard (3...ProbablePrime.maxBase).contains(base) else {
                    throw APIError.invalid("base", "must be between 3 and \(ProbablePrime.maxBase), got \(base)")
                }
                return try JSON.response(ProbablePrimeResult(exponent: p, base: base, isProbablePrime: true, residue64: "0000000000000001",
                                                             reason: "M\(p) is the known Mersenne prime of rank \(known.rank) (GIMPS list)"))
            }
            let (_, immediate) = try ProbablePrime.plan(exponent: p, base: base)
            if let immediate { return try JSON.response(immediate) }
            if p <= PrimesLimits.inlineLucasLehmerExponent { return try JSON.response(try ProbablePrime.run(p, base: base)) }
            return try self.startJob(kind: "prp", spec: "{\"exponent\":\(p),\"base\":\(base)}",
                                     Self.probablePrimeWork(p, base: base, checkpointSeconds: self.configuration.checkpointSeconds))
        }

        add(.get, "/v1/primes/{n}") { ctx in
            try JSON.response(try Primality.check(ctx.parameter("n")))
        }

        add(.post, "/v1/benford") { ctx in
            let request = try ctx.decode(PrimesBenfordRequest.self)
            let test = try PrimesBenfordRequest.test(request.test)
            let result = try Benford.analyze(request.values.map(\.value), test: test)
            return try Self.benfordResponse(result, ctx)
        }

        add(.get, "/v1/benford/powers") { ctx in
            let base = ctx.query("base").flatMap { $0.isEmpty ? nil : $0 } ?? "2"
            let count = try ctx.queryInt("count", default: 1000, in: 1...Benford.maxPowers)
            let test = try PrimesBenfordRequest.test(ctx.query("test"))
            return try Self.benfordResponse(try Benford.powers(base: base, count: count, test: test), ctx)
        }
    }

    /// The expansion job body: computes the digits, stores them compressed as they come, answers where to read them.
    static func decimalWork(_ p: UInt64, total: Int, store: ExpansionStore) -> @Sendable (JobContext) throws -> String {
        { job in
            let writer = try store.writer(exponent: p, digits: total)
            do {
                try Mersenne.writeDecimalExpansion(exponent: p, progress: { job.progress($0, of: $1) },
                                                   isCancelled: { job.isCancelled }) { chunk in
                    try writer.append(Array(chunk))
                }
            } catch PrimesError.cancelled {
                throw JobCancelled()
            }
            let compressed = try writer.finish()
            return "{\"exponent\":\(p),\"digits\":\(total),\"compressedBytes\":\(compressed),\"location\":\"/v1/mersenne/\(p)/decimal\"}"
        }
    }

    /// The Lucas–Lehmer job body: resumes from the stored checkpoint, writes a new one at least every
    /// 20 s (and when stopped for a shutdown), reports iterations as progress.
    static func lucasLehmerWork(_ p: UInt64, checkpointSeconds: Double) -> @Sendable (JobContext) throws -> String {
        { job in
            var start: LucasLehmerCheckpoint?
            if let bytes = job.checkpoint, let checkpoint = try? LucasLehmerCheckpoint(serialized: bytes),
               checkpoint.exponent == p, (try? LucasLehmer.validate(checkpoint)) != nil {
                start = checkpoint
            }
            do {
                let result = try LucasLehmer.run(p, from: start, checkpointEvery: .seconds(checkpointSeconds),
                                                 onCheckpoint: { (checkpoint: LucasLehmerCheckpoint) throws -> Void in
                                                     // A cancelled job's checkpoint is deleted by the manager: do not recreate it.
                                                     if job.isCancelled && !job.isShuttingDown { return }
                                                     try job.saveCheckpoint(checkpoint.serialized())
                                                 },
                                                 progress: { (done: Int, total: Int) in job.progress(done, of: total) },
                                                 isCancelled: { job.isCancelled },
                                                 onEvent: { job.event($0) })
                return String(decoding: try JSON.encoder.encode(result), as: UTF8.self)
            } catch PrimesError.cancelled {
                throw JobCancelled()
            }
        }
    }

    /// The PRP job body: as `lucasLehmerWork`, with Gerbicz-verified checkpoints.
    static func probablePrimeWork(_ p: UInt64, base: UInt64, checkpointSeconds: Double) -> @Sendable (JobContext) throws -> String {
        { job in
            var start: ProbablePrimeCheckpoint?
            if let bytes = job.checkpoint, let checkpoint = try? ProbablePrimeCheckpoint(serialized: bytes),
               checkpoint.exponent == p, checkpoint.base == base, (try? ProbablePrime.validate(checkpoint)) != nil {
                start = checkpoint
            }
            do {
                let result = try ProbablePrime.run(p, base: base, from: start, checkpointEvery: .seconds(checkpointSeconds),
                                                   onCheckpoint: { (checkpoint: ProbablePrimeCheckpoint) throws -> Void in
                                                       if job.isCancelled && !job.isShuttingDown { return }
                                                       try job.saveCheckpoint(checkpoint.serialized())
                                                   },
                                                   progress: { (done: Int, total: Int) in job.progress(done, of: total) },
                                                   isCancelled: { job.isCancelled },
                                                   onEvent: { job.event($0) })
                return String(decoding: try JSON.encoder.encode(result), as: UTF8.self)
            } catch PrimesError.cancelled {
                throw JobCancelled()
            }
        }
    }

    static func benfordResponse(_ result: BenfordResult, _ ctx: RequestContext) throws -> HTTPServerResponse {
        if ctx.negotiate(["application/json", "image/svg+xml"]) == "image/svg+xml" {
            return HTTPServerResponse(status: .ok, contentType: "image/svg+xml", bytes: Array(BenfordChart.svg(result).utf8))
        }
        return try JSON.response(result)
    }
}

/// Limits of the HTTP layer (the domain's own limits live on the domain types).
enum PrimesLimits {
    /// Expansions up to this exponent (≈ 900k digits, well under a second) are computed per request.
    static let inlineDecimalExponent: UInt64 = 3_000_000
    /// Lucas–Lehmer up to this exponent answers inline (≈ 0.1–0.3 s); larger ones become jobs.
    static let inlineLucasLehmerExponent: UInt64 = LucasLehmer.inlineExponentLimit
}

extension PrimesError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .invalid(let field, let message), .unsupported(let field, let message):
            return .invalid(field, message)
        case .cancelled:
            return .unavailable("the computation was cancelled")
        }
    }
}

/// `GET /v1/digits`: the digit count can exceed 2^53, so it travels as a decimal string.
struct PrimesDigitsView: Encodable {
    let digits: String
    let leadingDigits: String
    let trailingDigits: String
    let method: String

    init(_ r: PowerDigitsResult) {
        digits = String(r.digits); leadingDigits = r.leadingDigits; trailingDigits = r.trailingDigits; method = r.method
    }
}

struct PrimesLucasLehmerRequest: Decodable {
    /// Decoded as a signed integer so that a negative value is a range error naming the field.
    let exponent: Int64
    /// Run the test even for a known Mersenne prime (default: answer those from the GIMPS list).
    let compute: Bool?
}

struct PrimesProbablePrimeRequest: Decodable {
    let exponent: Int64
    /// The Fermat base (default 3, as GIMPS).
    let base: Int64?
    let compute: Bool?
}

struct PrimesBenfordRequest: Decodable {
    let values: [PrimesBenfordValue]
    let test: String?

    static func test(_ name: String?) throws -> BenfordTest {
        guard let name, !name.isEmpty else { return .firstDigit }
        guard let test = BenfordTest(rawValue: name) else {
            throw APIError.invalid("test", "must be one of \(BenfordTest.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return test
    }
}

/// A JSON number (its digits exactly as written, so 1e400 and 30-digit integers count by their leading
/// digits) or string; anything else (null, booleans, objects) is kept as an ignored value.
struct PrimesBenfordValue: Decodable {
    let value: BenfordValue

    init(from decoder: Decoder) throws {
        if let number = try? JSONNumberText(from: decoder) {
            value = .text(number.text)
            return
        }
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            value = .text(s)
        } else {
            value = .text("")
        }
    }
}

/// `Range: bytes=…` for the decimal expansion (a single range; anything else is ignored as RFC 9110 allows).
enum PrimesByteRange {
    /// The inclusive byte range requested, nil for none (or an unsupported form); 416 when unsatisfiable.
    static func parse(_ header: String?, total: Int) throws -> ClosedRange<Int>? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), header.hasPrefix("bytes=") else { return nil }
        let spec = header.dropFirst(6)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces), last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        let unsatisfiable = APIError(status: .rangeNotSatisfiable, slug: "range-not-satisfiable",
                                     detail: "the expansion has \(total) bytes", headers: [("Content-Range", "bytes */\(total)")])
        if first.isEmpty {
            guard let suffix = Int(last), suffix >= 0 else { return nil }
            guard suffix > 0, total > 0 else { throw unsatisfiable }
            return max(0, total - suffix)...(total - 1)
        }
        guard let start = Int(first), start >= 0 else { return nil }
        let end: Int
        if last.isEmpty { end = total - 1 } else {
            guard let e = Int(last), e >= start else { return nil }
            end = min(e, total - 1)
        }
        guard start < total else { throw unsatisfiable }
        return start...end
    }

    /// 200 with the whole expansion (streamed in 1 MiB pieces, gzip by the server when accepted) or
    /// 206 with the range (not compressed).
    static func response(digits: [UInt8], range: ClosedRange<Int>?, total: Int) -> HTTPServerResponse {
        var fields = HTTPFields()
        fields[.contentType] = "text/plain; charset=us-ascii"
        fields[.acceptRanges] = "bytes"
        if let range {
            fields[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(total)"
            var response = HTTPServerResponse(status: .partialContent, headerFields: fields, body: .bytes(Array(digits[range])))
            response.compressible = false
            return response
        }
        return HTTPServerResponse(status: .ok, headerFields: fields, body: .stream(length: total) { writer in
            var offset = 0
            while offset < digits.count && !writer.isClosed {
                let end = min(offset + (1 << 20), digits.count)
                try writer.write(Array(digits[offset..<end]))
                offset = end
            }
        })
    }

    /// A stored expansion: the gzip document as is (whole body, gzip accepted), 206 with the range, or
    /// 200 with every digit — each streamed piece by piece from the store.
    static func response(_ cached: CachedExpansion, range: ClosedRange<Int>?, gzip: Bool) throws -> HTTPServerResponse {
        var fields = HTTPFields()
        fields[.contentType] = "text/plain; charset=us-ascii"
        fields[.acceptRanges] = "bytes"
        if range == nil && gzip {
            fields[.contentEncoding] = "gzip"
            var response = HTTPServerResponse(status: .ok, headerFields: fields, body: .stream(length: cached.compressedBytes) { writer in
                try cached.writeGzip { if !writer.isClosed { try writer.write($0) } }
            })
            response.compressible = false
            return response
        }
        try cached.prepareDigits()
        let wanted = range ?? 0...(cached.digits - 1)
        if let range { fields[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(cached.digits)" }
        var response = HTTPServerResponse(status: range == nil ? .ok : .partialContent, headerFields: fields,
                                          body: .stream(length: wanted.count) { writer in
            try cached.writeDigits(wanted) { if !writer.isClosed { try writer.write($0) } }
        })
        if range != nil { response.compressible = false }
        return response
    }
}
