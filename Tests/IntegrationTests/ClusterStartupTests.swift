import Foundation
import Testing

/// A wrong database setting stops a cluster process at start with a clear message, not a crash loop.
@Suite(.timeLimit(.minutes(5)))
struct ClusterStartupTests {
    @Test("a malformed database URL is refused before anything starts", arguments: ["gateway", "worker", "migrate"])
    func malformedURL(command: String) async throws {
        let process = try await ChildProcess(arguments: [command, "--database-url", "mysql://db/darkroom"])
        try await process.requireExit(within: .seconds(30))
        #expect(process.exitStatus != 0)
        #expect(process.stderr.contains("postgres://"), "stderr: \(process.stderr)")
    }

    @Test("a database nobody listens on ends the process at start with a critical message")
    func unreachableDatabase() async throws {
        let port = try FreePort.pick()
        let process = try await ChildProcess(arguments: [
            "gateway", "--database-url", "postgres://postgres@127.0.0.1:\(port)/darkroom", "--port", "0",
        ])
        try await process.requireExit(within: .seconds(45))
        #expect(process.exitStatus != 0)
        #expect(process.stderr.contains("Cannot use the database"), "stderr: \(process.stderr)")
    }

    @Test("without --database-url or DARKROOM_DATABASE_URL the process says which is missing")
    func missingURL() async throws {
        let process = try await ChildProcess(arguments: ["worker"], environment: ["DARKROOM_DATABASE_URL": nil])
        try await process.requireExit(within: .seconds(30))
        #expect(process.exitStatus != 0)
        #expect(process.stderr.contains("DARKROOM_DATABASE_URL"), "stderr: \(process.stderr)")
    }
}
