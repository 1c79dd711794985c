import AsyncHTTPClient
import DarkroomCore
import Foundation
import Logging
import Synchronization

/// Runs one `darkroom bench`: offers the configured load to the target, then reports.
///
/// Bounded: load runs for the configured duration (or until `interruptions` yields, on SIGINT); at the stop
/// every transaction still running is cancelled and counted as in flight, and one last `GET /v1/queue` (5 s at
/// most) asks a Darkroom target for its limit. Each transaction is bounded by the timeout, and every HTTP call
/// by the client's read timeout, so a run ends within duration + timeout + a few seconds even against a
/// target that stops answering. All transactions share one `HTTPClient` whose pool allows a connection per
/// transaction that can be in flight.
public struct BenchRunner: Sendable {
    public let configuration: BenchConfiguration
    let logger: Logger
    let clock = ContinuousClock()

    public init(configuration: BenchConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs the bench and returns its report.
    ///
    /// - Parameters:
    ///   - interruptions: stops the run early when it yields (the report covers what ran).
    ///   - progress: called about once a second while load runs.
    /// - Throws: ``BenchConfigurationError`` before any load; errors shutting the HTTP client down.
    public func run(
        interruptions: AsyncStream<Void>? = nil, progress: @escaping @Sendable (ProgressSnapshot) -> Void = { _ in }
    ) async throws -> BenchReport {
        try configuration.validate()
        // One connection per transaction that can be in flight, plus a few for the final queue read.
        let inFlight = configuration.load.maximumInFlight(timeout: configuration.timeout)
        let client = BenchHTTP.makeClient(connections: inFlight + 4, readTimeout: configuration.timeout)
        let report = await measure(
            http: BenchHTTP(client: client, target: configuration.target, logger: logger),
            interruptions: interruptions, progress: progress)
        try await client.shutdown()
        return report
    }

    private func measure(
        http: BenchHTTP, interruptions: AsyncStream<Void>?, progress: @escaping @Sendable (ProgressSnapshot) -> Void
    ) async -> BenchReport {
        let run = RunState(start: clock.now, log: TransactionLog(window: configuration.plannedWindow))
        let target = targetClient(http)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await generateLoad(target, run: run) }
            group.addTask { await reportProgress(run: run, to: progress) }
            await waitForStop(start: run.start, interruptions: interruptions)
            let stop = clock.now - run.start
            // Close before cancelling, so a transaction cancelled now is in flight, not an error.
            run.log.withLock { $0.close(at: stop) }
            group.cancelAll()
        }
        let limit = await limit(http)
        let log = run.log.withLock { $0 }
        return BenchReport(setup: setup, log: log, elapsed: clock.now - run.start, limit: limit)
    }

    /// The deadline each Darkroom job states: the client's timeout, with `--deadline`.
    private var deadlineSeconds: Int? {
        configuration.sendsDeadline ? Int(configuration.timeout.seconds.rounded(.down)) : nil
    }

    private func targetClient(_ http: BenchHTTP) -> any TargetClient {
        switch configuration.protocol {
        case .darkroom:
            DarkroomTargetClient(
                http: http, body: configuration.request.darkroomBody(deadlineSeconds: deadlineSeconds),
                waitMode: configuration.waitMode, pollInterval: configuration.pollInterval,
                timeout: configuration.timeout)
        case .a1111:
            A1111TargetClient(http: http, body: configuration.request.a1111Body(), timeout: configuration.timeout)
        }
    }

    /// Sleeps until the end of the duration, or until the first interruption.
    private func waitForStop(start: ContinuousClock.Instant, interruptions: AsyncStream<Void>?) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(until: start + configuration.duration, clock: clock) }
            if let interruptions {
                group.addTask {
                    for await _ in interruptions { return }
                    // A finished stream is not an interruption: wait for the duration.
                    try? await Task.sleep(until: start + configuration.duration, clock: clock)
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private var setup: BenchReport.Setup {
        BenchReport.Setup(
            scenario: configuration.scenario, protocol: configuration.protocol,
            target: configuration.target.absoluteString, load: configuration.load.summary,
            request: configuration.request.summary + (deadlineSeconds.map { ", deadline \($0) s" } ?? "")
                + (configuration.honoursRetryAfter ? ", retried at Retry-After" : ""),
            waitMode: configuration.protocol == .darkroom ? configuration.waitMode : nil)
    }
}

/// What the run's tasks share: its start, the log, and the error kinds already logged.
///
/// Concurrency: immutable references to `Mutex`es.
final class RunState: Sendable {
    let start: ContinuousClock.Instant
    let log: Mutex<TransactionLog>
    let loggedKinds = Mutex<Set<ErrorKind>>([])

    init(start: ContinuousClock.Instant, log: TransactionLog) {
        self.start = start
        self.log = Mutex(log)
    }
}
