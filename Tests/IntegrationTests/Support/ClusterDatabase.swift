import Foundation

/// A PostgreSQL database of its own for one cluster test, on the server at `DARKROOM_TEST_DATABASE_URL`
/// (default: the loopback server `.ci/run` starts). Created with `psql`; dropped by ``drop()``.
/// An unreachable server fails the test; it never skips.
struct ClusterDatabase {
    static let serverURL =
        ProcessInfo.processInfo.environment["DARKROOM_TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:55432/postgres"

    /// The URL processes connect to.
    let url: String
    private let name: String

    struct PSQLFailed: Error, CustomStringConvertible {
        var sql: String
        var output: String

        var description: String { "psql failed on `\(sql)` against \(ClusterDatabase.serverURL): \(output)" }
    }

    init() throws {
        name = "darkroom_it_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())"
        try Self.psql("CREATE DATABASE \(name)")
        var components = URLComponents(string: Self.serverURL)!
        components.path = "/\(name)"
        url = components.string!
    }

    func drop() {
        try? Self.psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private static func psql(_ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", serverURL, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw PSQLFailed(sql: sql, output: text)
        }
    }
}
