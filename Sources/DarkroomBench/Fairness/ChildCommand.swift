import Foundation

/// Runs a `darkroom` subcommand to its end (`tenants create`, `keys create`, `migrate`) and returns what it
/// printed on standard output.
enum ChildCommand {
    struct Failed: Error, CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var output: String

        var description: String { "darkroom \(arguments.joined(separator: " ")) failed (\(status)): \(output)" }
    }

    /// Runs `executable arguments…`; throws ``Failed`` unless it exits 0. Its standard error is merged into the
    /// output reported on failure.
    static func run(_ executable: URL, _ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // The pipe ends when the command does; read on a thread of its own, not one of the few running tasks.
        let data = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: output.fileHandleForReading.readDataToEndOfFile()) }
        }
        let text = String(decoding: data, as: UTF8.self)
        let status = try await exitStatus(of: process)
        guard status == 0 else { throw Failed(arguments: arguments, status: status, output: text) }
        return text
    }

    /// The exit status (-1 for a signal), from the kernel, or from Foundation where it reaped the child first.
    private static func exitStatus(of process: Process) async throws -> Int32 {
        while true {
            switch ChildExit.ending(of: process.processIdentifier) {
            case .exited(let status): return status
            case .signaled: return -1
            case .reaped where !process.isRunning:
                return process.terminationReason == .exit ? process.terminationStatus : -1
            case .reaped, nil: try await Task.sleep(for: .milliseconds(10))
            }
        }
    }
}
