import HTTPTypes
import Testing
@testable import HTTPServer

@Suite struct RouterTests {
    var router: Router<String> = {
        var r = Router<String>()
        r.add(.get, "/v1/jobs/{id}", "job")
        r.add(.delete, "/v1/jobs/{id}", "cancel")
        r.add(.get, "/v1/jobs/{id}/events", "events")
        r.add(.get, "/v1/s2/cells", "cells-get")
        r.add(.post, "/v1/s2/cells", "cells-post")
        r.add(.get, "/v1/things/special", "special")
        r.add(.get, "/v1/things/{name}", "thing")
        return r
    }()

    @Test func pathParameters() {
        guard case .matched(let h, let p, let pattern) = router.match(.get, "/v1/jobs/abc") else { Issue.record("no match"); return }
        #expect(h == "job")
        #expect(p["id"] == "abc")
        #expect(pattern == "/v1/jobs/{id}")
    }

    @Test func literalBeatsParameter() {
        guard case .matched(let h, _, _) = router.match(.get, "/v1/things/special") else { Issue.record("no match"); return }
        #expect(h == "special")
    }

    @Test func wrongMethodListsAllowed() {
        guard case .methodNotAllowed(let allowed) = router.match(.put, "/v1/jobs/abc") else { Issue.record("expected 405"); return }
        #expect(allowed.contains(.get) && allowed.contains(.delete) && allowed.contains(.head))
    }

    @Test func headFallsBackToGet() {
        guard case .matched(let h, _, _) = router.match(.head, "/v1/s2/cells") else { Issue.record("HEAD should map to GET"); return }
        #expect(h == "cells-get")
    }

    @Test func unknownPathAndEmptySegment() {
        guard case .notFound = router.match(.get, "/v1/nothing") else { Issue.record("expected 404"); return }
        guard case .notFound = router.match(.get, "/v1/jobs/") else { Issue.record("empty parameter must not match"); return }
    }
}
