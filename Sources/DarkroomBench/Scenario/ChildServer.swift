import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `darkroom` server the scenario started as a child process, listening on loopback.
///
/// ``start(executable:arguments:startupTimeout:)`` returns once the child has logged its "Darkroom listening" line.
/// Its standard error is drained continuously, so the child never blocks on a full pipe. ``stop()`` sends
/// SIGTERM, then SIGKILL after the grace period, and returns once the child is gone; it is idempotent and
/// also runs on deinit, so an error half-way never leaves the child running.
final class ChildServer {
    let process: Process
    /// `http://127.0.0.1:PORT`.
    let url: URL
    private let log: ChildLog

    private init(process: Process, url: URL, log: ChildLog) {
        self.process = process
        self.url = url
        self.log = log
    }

    deinit { stop() }

    var pid: Int32 { process.processIdentifier }

    /// `http://127.0.0.1:PORT`.
    var address: String { url.absoluteString }

    /// Starts `executable arguments…` and waits (bounded) until it logs where it listens.
    ///
    /// - Throws: ``ScenarioError`` when the child exits first or says nothing in time; `CancellationError`.
    ///   The child is stopped before any throw.
    static func start(
        executable: URL, arguments: [String], startupTimeout: Duration = .seconds(30)
    ) async throws -> ChildServer {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let log = ChildLog()
        process.standardError = log.pipe
        try process.run()
        let clock = ContinuousClock()
        let deadline = clock.now + startupTimeout
        // Until `server` exists, `stopEarly` ends the child on every throw.
        func stopEarly() { Self.stop(process, grace: .seconds(10)) }
        while true {
            if let address = ListeningAddress.find(in: log.text), let url = URL(string: address) {
                return ChildServer(process: process, url: url, log: log)
            }
            if ChildExit.hasExited(process.processIdentifier) {
                stopEarly()
                throw ScenarioError.serverExited(arguments: arguments, log: log.text)
            }
            if clock.now >= deadline {
                stopEarly()
                throw ScenarioError.serverSilent(arguments: arguments, waited: startupTimeout, log: log.text)
            }
            do {
                try await Task.sleep(for: .milliseconds(50))
            } catch {
                stopEarly()
                throw error
            }
        }
    }

    /// SIGTERM, then SIGKILL if the child has not exited within `grace`; returns once it is gone.
    ///
    /// Blocks the calling thread for up to `grace`: it runs from `defer` and deinit, which cannot await.
    func stop(grace: Duration = .seconds(10)) {
        Self.stop(process, grace: grace)
    }

    /// What the child has written to standard error (its most recent part).
    var logText: String { log.text }

    private static func stop(_ process: Process, grace: Duration) {
        ChildExit.terminate(process.processIdentifier, grace: grace)
    }
}
