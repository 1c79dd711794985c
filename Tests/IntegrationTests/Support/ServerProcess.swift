import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `darkroom serve` child process on 127.0.0.1 with a port the kernel picked.
///
/// Start it with ``start(dataDirectory:options:)`` and call ``stop()`` in a `defer`; it also stops on deinit.
final class ServerProcess {
    /// The server exited, or never said where it listens.
    struct StartFailed: Error, CustomStringConvertible {
        var reason: String
        var log: String

        var description: String { "darkroom did not start: \(reason)\n--- server log ---\n\(log)" }
    }

    let child: ChildProcess
    /// `http://127.0.0.1:PORT`, from the server's "Darkroom listening" log line.
    let baseURL: String
    let api: APIClient

    private init(child: ChildProcess, baseURL: String) {
        self.child = child
        self.baseURL = baseURL
        self.api = APIClient(baseURL: baseURL)
    }

    /// Starts `darkroom serve --port 0` on `dataDirectory` and waits (bounded) until it logs its address.
    static func start(dataDirectory: URL, options: [String] = []) async throws -> ServerProcess {
        try await launch(["serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDirectory.path] + options)
    }

    /// Starts any long-running `darkroom` subcommand (serve, gateway, worker) and waits (bounded) until it
    /// logs the address it listens on.
    static func launch(_ arguments: [String]) async throws -> ServerProcess {
        let child = try await ChildProcess(arguments: arguments)
        do {
            let address = try await waitUntil(
                "the server logs its address", timeout: .seconds(120), every: .milliseconds(50)
            ) {
                if let address = listeningAddress(in: child.stderr) { return address }
                if !child.isRunning { throw StartFailed(reason: "it exited", log: child.stderr) }
                return nil
            }
            return ServerProcess(child: child, baseURL: address)
        } catch let timeout as WaitTimedOut {
            child.stop()
            throw StartFailed(reason: timeout.description, log: child.stderr)
        } catch {
            child.stop()
            throw error
        }
    }

    var pid: Int32 { child.pid }
    var log: String { child.stderr }

    /// SIGTERM, then SIGKILL after a bounded wait. Safe to call more than once.
    func stop() { child.stop() }

    /// `kill -9`: the process dies at once, with no chance to clean up.
    func killHard() async throws {
        child.send(SIGKILL)
        try await child.requireExit(within: .seconds(60))
    }

    /// The `address=` value of the "Darkroom listening" line, if the log has one yet.
    private static func listeningAddress(in log: String) -> String? {
        for line in log.split(separator: "\n") where line.contains("Darkroom listening") {
            guard let field = line.split(separator: " ").first(where: { $0.hasPrefix("address=") }) else { continue }
            return String(field.dropFirst("address=".count))
        }
        return nil
    }
}

/// A fresh directory under the system's temp directory, removed by ``remove()``.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
