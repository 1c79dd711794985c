import Foundation
import Subprocess
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real nginx in front of the gateways, configured from `deploy/nginx/darkroom.conf` as shipped, with
/// only its listen address, cache path and upstream list filled in for this test. Runs in the foreground
/// (`daemon off`) from a temporary prefix, and is stopped by its PID.
final class NginxProcess {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "nginx is not installed (apt-get install nginx; .ci/run does)" }
    }

    let baseURL: String
    private let child: ChildProcess
    private let directory: TemporaryDirectory

    init(gateways: [String]) async throws {
        guard let binary = ["/usr/sbin/nginx", "/usr/bin/nginx"].first(where: FileManager.default.isExecutableFile)
        else { throw Missing() }
        directory = try TemporaryDirectory()
        let root = directory.url.path
        let port = try FreePort.pick()
        let deployed = try String(contentsOf: Self.deployedConfiguration, encoding: .utf8)
            .replacingOccurrences(of: "listen 8080;", with: "listen 127.0.0.1:\(port);")
            .replacingOccurrences(of: "/var/cache/nginx/darkroom", with: "\(root)/cache")
        try deployed.write(toFile: "\(root)/darkroom.conf", atomically: true, encoding: .utf8)
        let upstreams = gateways.map {
            "server \($0.replacingOccurrences(of: "http://", with: "")) max_fails=3 fail_timeout=30s;"
        }
        try upstreams.joined(separator: "\n").write(
            toFile: "\(root)/darkroom-gateways.conf", atomically: true, encoding: .utf8)
        try """
        user root;
        worker_processes 1;
        daemon off;
        pid \(root)/nginx.pid;
        error_log \(root)/error.log warn;
        events { worker_connections 1024; }
        http {
            access_log off;
            client_body_temp_path \(root)/client_body;
            proxy_temp_path \(root)/proxy;
            fastcgi_temp_path \(root)/fastcgi;
            uwsgi_temp_path \(root)/uwsgi;
            scgi_temp_path \(root)/scgi;
            include darkroom.conf;
        }
        """.write(toFile: "\(root)/nginx.conf", atomically: true, encoding: .utf8)
        child = try await ChildProcess(
            .path(FilePath(binary)), arguments: ["-p", root, "-c", "\(root)/nginx.conf", "-e", "\(root)/error.log"])
        baseURL = "http://127.0.0.1:\(port)"
    }

    deinit { stop() }

    var errorLog: String { (try? String(contentsOfFile: "\(directory.url.path)/error.log", encoding: .utf8)) ?? "" }

    func stop() {
        child.stop(with: SIGQUIT, grace: .seconds(10))
        directory.remove()
    }

    /// `deploy/nginx/darkroom.conf` in this checkout.
    static var deployedConfiguration: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/nginx/darkroom.conf")
    }
}
