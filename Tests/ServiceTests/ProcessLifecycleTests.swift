import Foundation
import Glibc
import Testing
import TestSupport

/// The real executable: configuration from flags and environment, and graceful shutdown on SIGTERM.
@Suite(.serialized) struct ProcessLifecycleTests {
    @Test func sigtermLetsAnInFlightRequestFinishAndExitsZero() throws {
        let server = try ServerProcess(arguments: ["--shutdown-grace", "10"])
        // A request in flight: the head and half of the body sent.
        let c = try RawHTTPClient(port: server.port, timeout: 10)
        try c.send("POST /v1/jobs/0123456789abcdef0123456789abcdef HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{\"a\":")
        let idle = try RawHTTPClient(port: server.port, timeout: 10)
        try idle.send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try idle.readResponse().status == 200)
        usleep(100_000)
        server.signal(SIGTERM)
        usleep(300_000)
        // Still running: the in-flight request is allowed to finish.
        try c.send("true}")
        let r = try c.readResponse()
        #expect(r.status == 405, "the request completed (POST is not allowed there): \(r.text)")
        #expect(r.header("Connection") == "close")
        #expect(idle.readAll().closed, "idle keep-alive connections are closed")
        #expect(server.waitForExit(timeout: 15) == 0)
        #expect(server.log.contains("\"msg\":\"shutting down\""))
        #expect(server.log.contains("\"msg\":\"stopped\""))
    }

    @Test func configurationComesFromEnvironmentAndIsLoggedWithoutSecrets() throws {
        let server = try ServerProcess(environment: ["INCOGNITA_MAX_BODY_BYTES": "4096", "INCOGNITA_API_TOKEN": "s3cret-token-value"])
        defer { server.stop() }
        let c = try RawHTTPClient(port: server.port)
        try c.send("POST /v1/jobs/x HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n")
        #expect(try c.readResponse().status == 413)
        #expect(server.waitForLog(containing: "\"maxBodyBytes\":\"4096\""))
        #expect(server.waitForLog(containing: "\"apiToken\":\"set\""))
        #expect(!server.log.contains("s3cret-token-value"))
    }

    @Test func helpDocumentsEveryOption() throws {
        let p = Process()
        p.executableURL = ServerProcess.executable
        p.arguments = ["--help"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        for option in ["--port", "--host", "--data-dir", "--max-body-bytes", "--head-timeout", "--idle-timeout", "--access-log", "--peer", "--api-token", "INCOGNITA_PORT"] {
            #expect(text.contains(option), "help mentions \(option)")
        }
    }
}
