import Foundation
import Testing

/// Runs a short `darkroom` command (`tenants`, `keys`, `migrate`, …) to its end.
enum DarkroomCommand {
    /// Runs `darkroom ARGUMENTS`, which must exit 0 within a minute, and returns its standard output.
    static func output(_ arguments: [String]) async throws -> String {
        let child = try await ChildProcess(arguments: arguments)
        try await child.requireExit(within: .seconds(60))
        try #require(child.exitStatus == 0, "darkroom \(arguments): \(child.stderr)")
        return child.stdout
    }

    /// `darkroom keys create …`: the new key, printed alone on the last line.
    static func newKey(_ arguments: [String]) async throws -> String {
        try await output(arguments).split(separator: "\n").last.map(String.init) ?? ""
    }
}
