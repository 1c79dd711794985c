import Foundation
import Subprocess

/// Runs a script of this repository (a check, a client written in Python) as a child process from the
/// repository's root, and collects everything it printed.
enum RepositoryScript {
    /// The repository's root, where the scripts expect to run.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `arguments` (the first is looked up on `PATH`); its exit status and output (standard output, then
    /// standard error), or status -1 when it ran past `timeout` (it is then stopped).
    static func run(_ arguments: [String], timeout: Duration) async throws -> (status: Int32, output: String) {
        let child = try await ChildProcess(
            .name(arguments[0]), arguments: Array(arguments.dropFirst()), workingDirectory: root.path)
        defer { child.stop() }
        do {
            try await child.requireExit(within: timeout)
        } catch is StillRunning {
            let name = arguments.joined(separator: " ")
            return (-1, "\(name) did not end within \(timeout); its output so far:\n\(child.stdout)\(child.stderr)")
        }
        return (child.exitStatus ?? -1, child.stdout + child.stderr)
    }
}
