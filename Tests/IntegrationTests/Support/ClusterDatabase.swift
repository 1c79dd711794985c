import Foundation
import Subprocess

/// A PostgreSQL database of its own for one cluster test, on the server at `DARKROOM_TEST_DATABASE_URL`
/// (default: the loopback server `.ci/run` starts). Created with `psql`; dropped by ``drop()``.
/// An unreachable server fails the test; it never skips.
struct ClusterDatabase {
    static let serverURL =
        ProcessInfo.processInfo.environment["DARKROOM_TEST_DATABASE_URL"]
        ?? "postgres://postgres@127.0.0.1:55432/postgres"

    /// The URL processes connect to.
    let url: String
    private let name: String

    struct PSQLFailed: Error, CustomStringConvertible {
        var sql: String
        var output: String

        var description: String { "psql failed on `\(sql)` against \(ClusterDatabase.serverURL): \(output)" }
    }

    init() async throws {
        name = "darkroom_it_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())"
        try await Self.psql("CREATE DATABASE \(name)")
        var components = URLComponents(string: Self.serverURL)!
        components.path = "/\(name)"
        url = components.string!
    }

    /// Drops the database in the background: it runs from `defer`, which must not hold up the threads every
    /// test shares while PostgreSQL works.
    func drop() {
        let name = self.name
        Task { try? await Self.psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    }

    private static func psql(_ sql: String) async throws {
        let child = try await ChildProcess(
            .name("psql"), arguments: [serverURL, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        try await child.requireExit(within: .seconds(60))
        guard child.exitStatus == 0 else { throw PSQLFailed(sql: sql, output: child.stdout + child.stderr) }
    }
}
