import AsyncHTTPClient
import Foundation
import Logging

/// `darkroom bench --control-plane`: how many zero-work jobs Darkroom moves per second through its whole path
/// (HTTP submit → store → claim → complete → the client notified by SSE), per store.
///
/// For each store it starts the servers on loopback (``ControlPlaneStore/servers(slots:directory:)``, one
/// zero-second simulated GPU per client so no job waits for a slot), runs ``ControlPlaneLoop``, and stops them
/// (SIGTERM, then SIGKILL after 10 s), also on any error. An interruption stops the current run, which is
/// still reported, and skips the rest.
public struct ControlPlaneBench: Sendable {
    public var stores: [ControlPlaneStore]
    public var clients: Int
    public var jobs: Int
    public var warmupJobs: Int
    public var timeout: Duration
    /// The `darkroom` binary that starts the servers.
    public var executable: URL
    let logger: Logger

    /// What every job asks for: the smallest image Darkroom accepts, one step, so the simulated GPU's
    /// zero seconds leave only the control plane and a small PNG.
    public static let request = RequestShape(width: 256, height: 256, steps: 1)

    public init(
        stores: [ControlPlaneStore], clients: Int = 32, jobs: Int = 10_000, warmupJobs: Int = 1_000,
        timeout: Duration = .seconds(10), executable: URL, logger: Logger
    ) {
        self.stores = stores
        self.clients = clients
        self.jobs = jobs
        self.warmupJobs = warmupJobs
        self.timeout = timeout
        self.executable = executable
        self.logger = logger
    }

    /// Throws the first setting that cannot run.
    public func validate() throws(BenchConfigurationError) {
        guard !stores.isEmpty else { throw .invalid("--control-plane needs at least one store") }
        guard clients > 0 else { throw .invalid("--users must be at least 1") }
        guard jobs > 0 else { throw .invalid("--jobs must be at least 1") }
        guard warmupJobs >= 0 else { throw .invalid("--warmup-jobs must not be negative") }
        guard timeout > .zero else { throw .invalid("--timeout must be more than 0") }
    }

    /// Runs every store in turn.
    ///
    /// - Parameters:
    ///   - progress: `(store, jobs done, jobs in all)` about once a second.
    ///   - note: one line per server started or stopped.
    /// - Throws: ``BenchConfigurationError``, ``ScenarioError`` when a server does not start; the servers
    ///   started are stopped first.
    public func run(
        interruptions: InterruptionRelay, progress: @escaping @Sendable (String, Int, Int) -> Void,
        note: @Sendable (String) -> Void
    ) async throws -> ControlPlaneReport {
        try validate()
        var runs: [ControlPlaneReport.Run] = []
        for store in stores where !interruptions.isInterrupted {
            let tally = try await measure(store, interruptions: interruptions, progress: progress, note: note)
            runs.append(ControlPlaneReport.Run(store: store.name, clients: clients, tally: tally))
        }
        return ControlPlaneReport(runs: runs, request: Self.request.summary)
    }

    private func measure(
        _ store: ControlPlaneStore, interruptions: InterruptionRelay,
        progress: @escaping @Sendable (String, Int, Int) -> Void, note: @Sendable (String) -> Void
    ) async throws -> ControlPlaneTally {
        if case .running(let url) = store {
            return try await drive(url, store: store, interruptions: interruptions, progress: progress)
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("darkroom-control-plane-\(store.name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var servers: [ChildServer] = []
        defer {
            for server in servers.reversed() {
                server.stop()
                note("\(store.name): stopped pid \(server.pid)")
            }
        }
        for arguments in store.servers(slots: clients, directory: directory) {
            let server = try await ChildServer.start(executable: executable, arguments: arguments)
            note("\(store.name): started \(arguments[0]), pid \(server.pid), listening at \(server.address)")
            servers.append(server)
        }
        return try await drive(servers[0].url, store: store, interruptions: interruptions, progress: progress)
    }

    /// Runs the loop against `target` with an HTTP client of its own, until done or interrupted.
    private func drive(
        _ target: URL, store: ControlPlaneStore, interruptions: InterruptionRelay,
        progress: @escaping @Sendable (String, Int, Int) -> Void
    ) async throws -> ControlPlaneTally {
        // Each client holds a submit and an event stream at once at most.
        let client = BenchHTTP.makeClient(connections: 2 * clients + 4, readTimeout: timeout)
        let http = BenchHTTP(client: client, target: target, logger: logger)
        let targetClient = DarkroomTargetClient(
            http: http, body: Self.request.darkroomBody(), waitMode: .sse, pollInterval: .milliseconds(500),
            timeout: timeout)
        let loop = ControlPlaneLoop(clients: clients, warmupJobs: warmupJobs, jobs: jobs, timeout: timeout)
        let total = warmupJobs + jobs
        let stream = interruptions.stream()
        let tally = await withTaskGroup(of: ControlPlaneTally?.self) { group in
            group.addTask { await loop.run(targetClient, progress: { progress(store.name, $0, total) }) }
            group.addTask {
                for await _ in stream { return nil }
                return nil
            }
            var tally: ControlPlaneTally?
            for await result in group {
                if let result {
                    tally = result
                    break
                }
                if tally == nil { group.cancelAll() }  // interrupted: the loop ends, counting what finished
            }
            group.cancelAll()
            return tally
        }
        try await client.shutdown()
        return tally ?? ControlPlaneTally(warmupJobs: warmupJobs)
    }
}
