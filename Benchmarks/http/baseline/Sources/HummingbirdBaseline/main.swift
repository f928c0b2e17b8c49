// GET /healthz -> 200 {"status":"ok"} (application/json), on 127.0.0.1:<port>.
// Usage: HummingbirdBaseline <port> [host]
import Foundation
import Hummingbird
import Logging

let arguments = CommandLine.arguments
guard arguments.count >= 2, let port = Int(arguments[1]), (1...65535).contains(port) else {
    print("usage: HummingbirdBaseline <port> [host]")
    exit(2)
}
let host = arguments.count >= 3 ? arguments[2] : "127.0.0.1"

// The same 15 bytes incognita answers, built once.
let healthBody = ByteBuffer(string: #"{"status":"ok"}"#)

let router = Router()
router.get("/healthz") { _, _ -> Response in
    Response(
        status: .ok,
        headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: healthBody)
    )
}

var logger = Logger(label: "hummingbird-baseline")
logger.logLevel = .warning  // no per-request logging, like incognita with --access-log false

let app = Application(
    router: router,
    configuration: .init(address: .hostname(host, port: port), serverName: nil),
    logger: logger
)
try await app.runService()
