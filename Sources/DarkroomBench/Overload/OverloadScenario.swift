import Foundation
import Logging

/// `darkroom bench --scenario overload`: an open-loop ladder against `darkroom serve` with 2 simulated GPUs.
///
/// Starts one server (a child process, as in ``SeedScenario``) and runs the ``OverloadStep/ladder(rung:measureLast:recovery:)``
/// against it, each step a ``BenchRunner`` run with the base configuration's request and timeout, every job
/// stating the timeout as its deadline. Around each step it reads the server's GPU seconds spent on expired jobs.
/// An interruption stops the current step, which is still reported, and skips the rest.
public struct OverloadScenario: Sendable {
    /// The request, timeout and retry behaviour of every step; target, load, window and deadline are set per step.
    public var base: BenchConfiguration
    /// Simulated seconds per 1024×1024, 8-step image.
    public var simSeconds: Double
    public var steps: [OverloadStep]
    /// The `darkroom` binary that starts the server.
    public var executable: URL
    /// GPU slots behind the server.
    public static let slots = 2
    let logger: Logger

    public init(
        base: BenchConfiguration, simSeconds: Double, steps: [OverloadStep], executable: URL, logger: Logger
    ) {
        self.base = base
        self.simSeconds = simSeconds
        self.steps = steps
        self.executable = executable
        self.logger = logger
    }

    /// Throws the first setting that cannot run.
    public func validate() throws(BenchConfigurationError) {
        try base.validate()
        guard simSeconds > 0, simSeconds.isFinite else { throw .invalid("--sim-seconds must be more than 0") }
        guard limit != nil else { throw .invalid("the simulated service time must be more than 0") }
        guard !steps.isEmpty else { throw .invalid("the ladder has no steps") }
    }

    private var limit: ThroughputLimit? {
        ThroughputLimit.simulated(slots: Self.slots, secondsPerImage: simSeconds, request: base.request)
    }

    /// Runs every step in turn against one server.
    ///
    /// - Throws: ``BenchConfigurationError``, ``ScenarioError`` when the server does not start, and the bench's
    ///   errors; the server is stopped first.
    public func run(
        interruptions: InterruptionRelay, progress: @escaping @Sendable (ProgressSnapshot) -> Void,
        note: @Sendable (String) -> Void
    ) async throws -> OverloadReport {
        try validate()
        guard let limit else { throw BenchConfigurationError.invalid("the simulated service time must be above 0") }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("darkroom-bench-overload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ChildServer.start(
            executable: executable,
            arguments: [
                "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", directory.path,
                "--sim-gpus", String(Self.slots), "--sim-seconds", String(simSeconds),
            ])
        note("overload: started pid \(server.pid), listening at \(server.address)")
        defer {
            server.stop()
            note("overload: stopped pid \(server.pid)")
        }
        let expired = ServerCounter(
            metricsURL: server.url.appendingPathComponent("metrics"),
            series: #"darkroom_gpu_seconds_total{outcome="expired"}"#)
        var measured: [OverloadReport.Step] = []
        for step in steps where !interruptions.isInterrupted {
            note("overload: \(step.name) for \(DurationText.format(step.duration))")
            let before = try await expired.read()
            var report = try await BenchRunner(configuration: configuration(step, limit: limit, url: server.url),
                logger: logger
            ).run(interruptions: interruptions.stream(), progress: progress)
            report.limit = limit
            let bound = 2 * ThroughputLimit.serviceSeconds(secondsPerImage: simSeconds, request: base.request)
            measured.append(
                OverloadReport.Step(
                    step: step, arrivalsPerSecond: step.multiple * limit.perSecond, report: report,
                    expiredGPUSeconds: try await expired.read() - before,
                    recoverySeconds: step.isRecovery
                        ? RecoveryTime.seconds(byStart: report.startTimeline, within: bound) : nil))
        }
        return OverloadReport(
            limit: limit,
            serviceSeconds: ThroughputLimit.serviceSeconds(secondsPerImage: simSeconds, request: base.request),
            deadlineSeconds: Int(base.timeout.inSeconds.rounded(.down)), steps: measured)
    }

    private func configuration(_ step: OverloadStep, limit: ThroughputLimit, url: URL) -> BenchConfiguration {
        var configuration = base
        configuration.target = url
        configuration.protocol = .darkroom
        configuration.load = .openLoop(arrivalsPerSecond: step.multiple * limit.perSecond)
        configuration.duration = step.duration
        configuration.measureLast = step.measureLast
        configuration.limitPerSecond = limit.perSecond
        configuration.scenario = "overload \(step.name)"
        configuration.sendsDeadline = true
        return configuration
    }
}
