import DarkroomBench
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A running `darkroom` child process with its standard output and error captured.
///
/// ``stop()`` (SIGTERM, then SIGKILL after a bounded wait) is idempotent and also runs on deinit, so a
/// test that fails half-way never leaves a process behind.
final class ChildProcess {
    private let process: Process
    private let standardOutput = CapturedOutput()
    private let standardError = CapturedOutput()

    /// Starts the `darkroom` binary with `arguments`, in this process's environment changed by `environment`
    /// (a `nil` value removes the variable).
    init(arguments: [String], environment: [String: String?] = [:]) throws {
        process = Process()
        process.executableURL = try DarkroomBinary.url()
        process.arguments = arguments
        var inherited = ProcessInfo.processInfo.environment
        for (name, value) in environment { inherited[name] = value }
        process.environment = inherited
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = standardOutput.pipe
        process.standardError = standardError.pipe
        try process.run()
    }

    deinit { stop() }

    var pid: Int32 { process.processIdentifier }
    /// Whether the process still runs, asked of the kernel (see ``ChildExit``).
    var isRunning: Bool { !ChildExit.hasExited(pid) }
    var stdout: String { standardOutput.text }
    var stderr: String { standardError.text }

    /// The exit status, once the process has exited normally (not by a signal) and Foundation has reaped it;
    /// ``requireExit(within:)`` waits for both.
    var exitStatus: Int32? {
        guard !process.isRunning, process.terminationReason == .exit else { return nil }
        return process.terminationStatus
    }

    /// Sends `signal` to the process (by its PID).
    func send(_ signal: Int32) {
        guard isRunning else { return }
        kill(pid, signal)
    }

    /// Waits until the process has exited; returns whether it did within `timeout`.
    @discardableResult
    func waitForExit(timeout: Duration) async throws -> Bool {
        do {
            _ = try await waitUntil("process \(pid) exits", timeout: timeout, every: .milliseconds(50)) {
                isRunning ? nil : true
            }
            return true
        } catch is WaitTimedOut {
            return false
        }
    }

    /// Waits until the process has exited, or throws after `within`.
    /// Then waits (bounded, generously: under load Foundation was seen to take more than 10 s) until Foundation has
    /// reaped it and its output has been read to the end.
    func requireExit(within timeout: Duration) async throws {
        guard try await waitForExit(timeout: timeout) else { throw StillRunning(pid: pid, waited: timeout) }
        _ = try? await waitUntil(
            "\(pid) is reaped and its output read", timeout: .seconds(120), every: .milliseconds(20)
        ) {
            !process.isRunning && standardOutput.isClosed && standardError.isClosed ? true : nil
        }
    }

    /// SIGTERM now, SIGKILL if the process has not exited within `grace`; returns at once.
    ///
    /// It runs from `defer` and deinit, on the threads that run every test's tasks: waiting there for a
    /// server to drain would stall the other suites running meanwhile. ``ChildReaper`` does the waiting.
    func stop(grace: Duration = .seconds(5)) {
        guard isRunning else { return }
        send(SIGTERM)
        ChildReaper.killIfRunning(pid, after: grace)
    }
}

/// A process that should have exited by now.
struct StillRunning: Error, CustomStringConvertible {
    var pid: Int32
    var waited: Duration

    var description: String { "process \(pid) was still running after \(waited)" }
}

/// Collects what a child writes to a pipe, so the pipe never fills and the child never blocks on it.
final class CapturedOutput: Sendable {
    private struct State {
        var bytes = Data()
        var closed = false
    }

    private final class Buffer: Sendable {
        let state = Mutex(State())
    }

    let pipe = Pipe()
    private let buffer = Buffer()

    init() {
        pipe.fileHandleForReading.readabilityHandler = { [buffer] handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                buffer.state.withLock { $0.closed = true }
            } else {
                buffer.state.withLock { $0.bytes.append(chunk) }
            }
        }
    }

    var text: String { buffer.state.withLock { String(decoding: $0.bytes, as: UTF8.self) } }

    /// Whether the writing end has closed, so ``text`` holds everything the child wrote.
    var isClosed: Bool { buffer.state.withLock { $0.closed } }
}
