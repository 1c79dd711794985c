import Foundation
import Logging

/// `darkroom bench --scenario seed`: the seed's comparison reproduced on loopback, with the servers it needs.
///
/// Runs, one after another and each with the same load: one simulated SD WebUI server hit directly over the
/// A1111 protocol (`webui`), then `darkroom serve` with one and with three simulated GPUs (`darkroom-1`,
/// `darkroom-3`). Each server is a child process of `executable`, stopped (SIGTERM, then SIGKILL after 10 s)
/// before the next starts and on any error. Each run's limit is `slots ÷ S`, the simulated service time of one
/// request. An interruption stops the current run, which is still reported, and skips the rest.
public struct SeedScenario: Sendable {
    /// The load and request of every run; its target, protocol, limit and label are set per run.
    public var base: BenchConfiguration
    /// Simulated seconds per 1024×1024, 8-step image.
    public var simSeconds: Double
    public var runs: [SeedRun]
    /// The `darkroom` binary that starts the servers.
    public var executable: URL
    let logger: Logger

    public init(base: BenchConfiguration, simSeconds: Double, runs: [SeedRun], executable: URL, logger: Logger) {
        self.base = base
        self.simSeconds = simSeconds
        self.runs = runs
        self.executable = executable
        self.logger = logger
    }

    /// Throws the first setting that cannot run.
    public func validate() throws(BenchConfigurationError) {
        try base.validate()
        guard simSeconds > 0, simSeconds.isFinite else { throw .invalid("--sim-seconds must be more than 0") }
        guard !runs.isEmpty else { throw .invalid("--scenario-runs must name at least one run") }
    }

    /// Runs every run in turn and returns their reports next to the seed's published figures.
    ///
    /// - Parameters:
    ///   - note: one line per server started or stopped.
    /// - Throws: ``BenchConfigurationError``, ``ScenarioError`` when a server does not start, and the bench's
    ///   errors; the current server is stopped first.
    public func run(
        interruptions: InterruptionRelay, progress: @escaping @Sendable (ProgressSnapshot) -> Void,
        note: @Sendable (String) -> Void
    ) async throws -> ScenarioReport {
        try validate()
        var measured: [ScenarioReport.Run] = []
        for run in runs where !interruptions.isInterrupted {
            let report = try await measure(run, interruptions: interruptions, progress: progress, note: note)
            let little = report.limit.flatMap { base.load.littleLatency(atThroughput: $0.perSecond) }
            measured.append(ScenarioReport.Run(name: run.name, report: report, littleLatencySeconds: little))
        }
        return ScenarioReport(runs: measured)
    }

    private func measure(
        _ run: SeedRun, interruptions: InterruptionRelay,
        progress: @escaping @Sendable (ProgressSnapshot) -> Void, note: @Sendable (String) -> Void
    ) async throws -> BenchReport {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("darkroom-bench-\(run.name)-\(UUID().uuidString)")
        if run.needsDataDirectory {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ChildServer.start(
            executable: executable, arguments: run.arguments(simSeconds: simSeconds, dataDirectory: directory))
        note("\(run.name): started pid \(server.pid), listening at \(server.address)")
        defer {
            server.stop()
            note("\(run.name): stopped pid \(server.pid)")
        }
        let limit = ThroughputLimit.simulated(slots: run.slots, secondsPerImage: simSeconds, request: base.request)
        var configuration = base
        configuration.target = server.url
        configuration.protocol = run.protocol
        configuration.limitPerSecond = limit?.perSecond
        configuration.scenario = "seed"
        var report = try await BenchRunner(configuration: configuration, logger: logger)
            .run(interruptions: interruptions.stream(), progress: progress)
        report.limit = limit
        return report
    }
}
