import DarkroomBench
import Foundation

/// Runs a script of this repository (a check, a client written in Python) as a child process from the
/// repository's root, and collects everything it printed.
enum RepositoryScript {
    /// The repository's root, where the scripts expect to run.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `arguments` (the first is looked up on `PATH`); its exit status and output (stdout and stderr
    /// together), or status -1 when it ran past `timeout` (it is then terminated).
    static func run(_ arguments: [String], timeout: Duration) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = root
        let output = CapturedOutput()
        process.standardOutput = output.pipe
        process.standardError = output.pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if !ChildExit.hasExited(process.processIdentifier) { process.terminate() } }
        let name = arguments.joined(separator: " ")
        do {
            _ = try await waitUntil("\(name) ends", timeout: timeout, every: .milliseconds(50)) {
                ChildExit.hasExited(process.processIdentifier) ? true : nil
            }
        } catch is WaitTimedOut {
            return (-1, "did not end within \(timeout); its output so far:\n\(output.text)")
        }
        // A tool it started may still hold the pipe for a moment; the output is complete when it closes.
        _ = try? await waitUntil("the output of \(name) is read", timeout: .seconds(5), every: .milliseconds(20)) {
            output.isClosed ? true : nil
        }
        process.waitUntilExit()  // reaped already: returns at once
        return (process.terminationStatus, output.text)
    }
}
