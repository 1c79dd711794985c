import DarkroomBench
import Foundation
import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A running child process (a `darkroom` subcommand by default) with its standard output and error captured.
///
/// Started with swift-subprocess, not Foundation's `Process`: on Linux, Foundation emulates close-on-exec by
/// listing the open descriptors before it spawns, so a descriptor another thread opens meanwhile (a socket to
/// the test database, another child's pipe) leaks into the child. Seen here: a child holding the test process's
/// LISTEN connection, which then blocked every DROP DATABASE; and Foundation never learning that a quick child
/// had exited, because a sibling held its pipe. Subprocess closes every other descriptor in the child.
///
/// ``stop()`` (SIGTERM, then SIGKILL after a bounded wait) is idempotent and also runs on deinit, so a
/// test that fails half-way never leaves a process behind.
final class ChildProcess: Sendable {
    /// What the task running the child has learned.
    private struct State {
        var pid: pid_t?
        var launchFailure: (any Error)?
        /// Set once the child has exited and been reaped, and its output read to the end.
        var termination: TerminationStatus?
    }

    let pid: pid_t
    private let state: Shared
    private let runner: Task<Void, Never>

    /// Starts `executable` with `arguments`, in this process's environment changed by `environment` (a `nil`
    /// value removes the variable), and returns once it runs.
    init(
        _ executable: Executable, arguments: [String], environment: [String: String?] = [:],
        workingDirectory: String? = nil
    ) async throws {
        let state = Shared()
        let changes = Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0), $1) })
        let configuration = Configuration(
            executable: executable, arguments: Arguments(arguments), environment: .inherit.updating(changes),
            workingDirectory: workingDirectory.map { FilePath($0) })
        runner = Task { await Self.run(configuration, reportingTo: state) }
        self.state = state
        pid = try await waitUntil("\(executable) starts", timeout: .seconds(60), every: .milliseconds(5)) {
            try state.started()
        }
    }

    /// Starts the `darkroom` binary with `arguments`.
    convenience init(arguments: [String], environment: [String: String?] = [:]) async throws {
        try await self.init(
            .path(FilePath(try DarkroomBinary.url().path)), arguments: arguments, environment: environment)
    }

    deinit { stop() }

    /// Whether the process still runs, asked of the kernel (see ``ChildExit``).
    var isRunning: Bool { state.termination == nil && ChildExit.ending(of: pid) == nil }
    var stdout: String { state.output.text }
    var stderr: String { state.error.text }

    /// The exit status, once the process has exited normally (not by a signal) and its output is read.
    var exitStatus: Int32? {
        guard case .exited(let status) = state.termination else { return nil }
        return status
    }

    /// Sends `signal` to the process, unless it has exited.
    func send(_ signal: Int32) {
        guard isRunning else { return }
        kill(pid, signal)
    }

    /// Waits until the process has exited; returns whether it did within `timeout`.
    @discardableResult
    func waitForExit(timeout: Duration) async throws -> Bool {
        do {
            _ = try await waitUntil("process \(pid) exits", timeout: timeout, every: .milliseconds(20)) {
                isRunning ? nil : true
            }
            return true
        } catch is WaitTimedOut {
            return false
        }
    }

    /// Waits until the process has exited, or throws after `within`; then until it is reaped and its output read
    /// to the end (which follows at once: only the child itself holds its pipes).
    func requireExit(within timeout: Duration) async throws {
        guard try await waitForExit(timeout: timeout) else { throw StillRunning(pid: pid, waited: timeout) }
        let state = self.state
        _ = try await waitUntil("\(pid) is reaped", timeout: .seconds(120), every: .milliseconds(10)) {
            state.termination
        }
    }

    /// `signal` (SIGTERM) now, SIGKILL if the process has not exited within `grace`; returns at once.
    ///
    /// It runs from `defer` and deinit, on the threads that run every test's tasks: waiting there for a
    /// server to drain would stall the other suites running meanwhile. ``ChildReaper`` does the waiting.
    func stop(with signal: Int32 = SIGTERM, grace: Duration = .seconds(5)) {
        guard isRunning else { return }
        send(signal)
        let pid = self.pid
        let state = self.state
        ChildReaper.killIfRunning(pid, after: grace) { state.termination == nil && ChildExit.ending(of: pid) == nil }
    }

    /// Runs the child to its end, collecting both outputs, and records what happened.
    private static func run(_ configuration: Configuration, reportingTo state: Shared) async {
        do {
            let result = try await Subprocess.run(configuration, input: .none, output: .sequence, error: .sequence) {
                execution in
                state.record { $0.pid = execution.processIdentifier.value }
                async let output: Void = state.output.collect(execution.standardOutput)
                async let error: Void = state.error.collect(execution.standardError)
                _ = await (output, error)
            }
            state.record { $0.termination = result.terminationStatus }
        } catch {
            state.record { $0.launchFailure = error }
        }
    }

    /// The state and outputs, shared between the child's task and the test.
    private final class Shared: Sendable {
        let output = CapturedOutput()
        let error = CapturedOutput()
        private let state = Mutex(State())

        var termination: TerminationStatus? { state.withLock { $0.termination } }

        func record(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }

        /// The child's PID once it runs; throws if it could not be started.
        func started() throws -> pid_t? {
            let (pid, failure) = state.withLock { ($0.pid, $0.launchFailure) }
            if let failure { throw failure }
            return pid
        }
    }
}

/// A process that should have exited by now.
struct StillRunning: Error, CustomStringConvertible {
    var pid: Int32
    var waited: Duration

    var description: String { "process \(pid) was still running after \(waited)" }
}

/// What a child wrote to one of its outputs, collected as it arrives.
final class CapturedOutput: Sendable {
    private struct State {
        var bytes = Data()
        var closed = false
    }

    private let state = Mutex(State())

    var text: String { state.withLock { String(decoding: $0.bytes, as: UTF8.self) } }

    /// Whether the output has ended, so ``text`` holds everything the child wrote.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Appends each chunk of `sequence` as it arrives, until it ends (or fails).
    func collect(_ sequence: SubprocessOutputSequence) async {
        do {
            for try await chunk in sequence {
                chunk.withUnsafeBytes { bytes in state.withLock { $0.bytes.append(contentsOf: bytes) } }
            }
        } catch {}
        state.withLock { $0.closed = true }
    }
}
