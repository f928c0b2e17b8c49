import Foundation
import Glibc

/// nginx from Debian as a round-robin balancer in front of test replicas, with the configuration
/// the deployment uses (`docker/nginx/incognita.conf`'s proxy rules: idempotent requests retried on
/// the next upstream, streaming unbuffered). Runs in the foreground as a child process in a private
/// prefix folder on a free port, stopped by its pid (deinit too).
///
/// ```swift
/// let lb = try NginxBalancer(upstreams: [r1.port, r2.port, r3.port])
/// let c = try RawHTTPClient(port: lb.port)
/// ```
public final class NginxBalancer: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    private let process = Process()
    private let output = Pipe()

    /// The proxy rules shared with the compose deployment, read from the repository.
    public static func proxyRules() throws -> String {
        try String(contentsOfFile: "docker/nginx/proxy.conf", encoding: .utf8)
    }

    /// Starts nginx in front of `upstreams`, on `port` (nil: a free one).
    public init(upstreams: [Int], port: Int? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx") else {
            throw RawHTTPClient.Failure(description: "nginx is not installed; `make deps` installs it")
        }
        self.port = try port ?? ServerProcess.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("incognita-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let servers = upstreams.map { "        server 127.0.0.1:\($0) max_fails=1 fail_timeout=2s;" }.joined(separator: "\n")
        let rules = try Self.proxyRules()
        let user = geteuid() == 0 ? "user root;\n" : ""
        let config = """
            \(user)worker_processes 1;
            pid \(directory.path)/nginx.pid;
            error_log \(directory.path)/logs/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path \(directory.path)/body;
                proxy_temp_path \(directory.path)/proxy;
                fastcgi_temp_path \(directory.path)/fastcgi;
                uwsgi_temp_path \(directory.path)/uwsgi;
                scgi_temp_path \(directory.path)/scgi;
                upstream incognita {
            \(servers)
                    keepalive 32;
                    keepalive_timeout 4s;
                }
                server {
                    listen 127.0.0.1:\(self.port);
            \(rules)
                }
            }
            """
        try config.write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-p", directory.path, "-c", directory.appendingPathComponent("nginx.conf").path, "-g", "daemon off;"]
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { h in _ = h.availableData }
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if (try? RawHTTPClient(port: self.port, timeout: 1)) != nil { return }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("logs/error.log"), encoding: .utf8)) ?? ""
        throw RawHTTPClient.Failure(description: "nginx did not start: \(log)")
    }

    /// nginx's error log (upstream failures and retries are logged there).
    public var errorLog: String {
        (try? String(contentsOf: directory.appendingPathComponent("logs/error.log"), encoding: .utf8)) ?? ""
    }

    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGQUIT)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    deinit {
        stop()
        output.fileHandleForReading.readabilityHandler = nil
        try? FileManager.default.removeItem(at: directory)
    }
}
