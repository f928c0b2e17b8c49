import Bounds
import Foundation
import HTTPServer
import HTTPTypes

/// Concentration inequalities beside exact tails and sample sizes (issue 4) over the `Bounds` domain.
///
/// ```
/// POST /v1/bounds/{name}        one inequality: markov, chebyshev, cantelli, wlln, chernoff, hoeffding,
///                               bernstein, bennett → {bound, raw, statement, assumptions, parameters, notes}
/// POST /v1/bounds/compare       {distribution, event} → {exact, mean, variance, bounds: [...]};
///                               Accept: image/svg+xml → bound vs exact tail over a range of thresholds
/// POST /v1/bounds/sample-size   {method, …} → {n, bound} (decimal inputs decided exactly)
/// ```
extension Application {
    func registerBoundsRoutes() {
        add(.post, "/v1/bounds/compare") { ctx in
            let body = try ctx.decode(Comparison.self)
            switch ctx.negotiate(["application/json", "image/svg+xml"]) {
            case "image/svg+xml":
                return HTTPServerResponse(status: .ok, contentType: "image/svg+xml", bytes: Array(try body.plot().utf8))
            default:
                return try JSON.response(try body.evaluate())
            }
        }

        add(.post, "/v1/bounds/sample-size") { ctx in
            try JSON.response(try ctx.decode(SampleSize.self).evaluate())
        }

        add(.post, "/v1/bounds/{name}") { ctx in
            let name = ctx.parameter("name")
            guard let type = BoundCalculators.type(named: name) else {
                throw APIError.notFound("no bound named '\(name)'; known: \(BoundCalculators.names.joined(separator: ", ")), compare, sample-size")
            }
            return try JSON.response(try Self.evaluateBound(type, ctx))
        }
    }

    private static func evaluateBound<T: BoundCalculator>(_ type: T.Type, _ ctx: RequestContext) throws -> BoundResult {
        try ctx.decode(T.self).evaluate()
    }
}

/// The bounds domain's errors in HTTP form: invalid input is 422 naming the field.
extension BoundsError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .invalid(let field, let message): return .invalid(field, message)
        case .malformed(let message): return .badRequest(message)
        case .unknownBound: return .notFound(message)
        }
    }
}
