import ArgumentParser
import DarkroomBench
import Foundation
import Logging
import UnixSignals

/// `darkroom bench`: the seed's Locust load test reproduced against a Darkroom or A1111-protocol server.
///
/// Prints a progress line on standard error about once a second, then the report table on standard output;
/// `--json` and `--markdown` also write it to files, and `--svg` draws it over time. Exits 0 once a run
/// completes, whatever its errors (the report counts them); non-zero only when it cannot run. SIGINT stops the
/// load early and still reports.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Offer the seed's load (50→200 users, 1024×1024, 8 steps); report throughput, errors, latency.",
        discussion: """
            A transaction counts in the window in which it ends (the last --measure-last of the run). Latency \
            percentiles are over successes only; transactions still running at the stop are reported as in \
            flight, not as errors. Durations: 120s, 500ms, 2m or bare seconds.
            """
    )

    @Option(
        help: """
            The server's base URL (default: http://127.0.0.1:8080). With --control-plane: measure this running \
            server instead of starting servers.
            """)
    var target: String?

    @Option(name: .customLong("protocol"), help: "darkroom (submit, then wait) or a1111 (synchronous txt2img).")
    var targetProtocol: BenchProtocol = .darkroom

    @Option(help: "How a Darkroom transaction waits: sse (the job's event stream) or poll (GET every 0.5 s).")
    var wait: WaitMode = .sse

    @Option(help: "Virtual users at the end of the ramp (closed loop).")
    var users = 200

    @Option(help: "Virtual users at the start.")
    var startUsers = 50

    @Option(help: "Users added per second until --users run.")
    var spawnRate = 10.0

    @Option(help: "Pause between a user's transactions (default: 1s).", transform: BenchCommand.duration)
    var think: Duration = .seconds(1)

    @Option(help: "Open loop: transactions started per second, whatever the answers (replaces the users).")
    var rate: Double?

    @Option(
        help: """
            How long to offer load (default: 120s; 180s with --scenario seed, so that the last 90 s measured \
            come after the queue has filled).
            """,
        transform: BenchCommand.duration)
    var duration: Duration?

    @Option(
        help: "Count only transactions ending in this last part of the run (default 90s, or the whole run).",
        transform: BenchCommand.duration)
    var measureLast: Duration?

    @Option(help: "Width in pixels.")
    var width = 1024

    @Option(help: "Height in pixels.")
    var height = 1024

    @Option(help: "Sampling steps.")
    var steps = 8

    @Option(help: "AWPortrait-Z LoRA strength.")
    var loraStrength = 1.0

    @Option(help: "The prompt of every request.")
    var prompt = RequestShape().prompt

    @Option(
        help: "Longest time one transaction may take; past it, it is a timeout error (default: 60s).",
        transform: BenchCommand.duration)
    var timeout: Duration = .seconds(60)

    @Option(help: "The target's physical limit in jobs per second (default: asked from a Darkroom target).")
    var limit: Double?

    @Option(
        help: """
            A label for the report; "seed" instead runs the seed comparison: it starts a simulated SD WebUI \
            server, then darkroom serve with 1 and with 3 simulated GPUs, and ignores --target, --protocol, --limit; \
            "overload" starts darkroom serve with 2 simulated GPUs and offers open-loop arrivals with deadlines at \
            1, 2, 5 and 20 times its limit (--duration each), then a 60 s burst at 10 times between 0.5 times; \
            "fairness" has tenants of --tenant-weights each submit --jobs-per-tenant jobs at once to 3 simulated \
            GPUs (darkroom serve, or with --database-url a gateway and 3 workers) and reports their shares.
            """)
    var scenario = "custom"

    @Option(help: "With --scenario seed, overload or fairness: simulated seconds per 1024×1024, 8-step image.")
    var simSeconds = 0.8

    @Option(help: "With --scenario fairness: the tenants' weights, comma-separated.")
    var tenantWeights = "1,2,4"

    @Option(help: "With --scenario fairness: the jobs each tenant submits (1…500).")
    var jobsPerTenant = 300

    @Option(help: "With --scenario seed: the runs, in order (a subset of webui,darkroom-1,darkroom-3).")
    var scenarioRuns = SeedRun.allCases.map(\.name).joined(separator: ",")

    @Flag(
        help: """
            Each Darkroom job states the client timeout (--timeout) as its deadline (deadline_seconds): the \
            server refuses with 429 what it cannot finish in time, and the report counts those as rejected.
            """)
    var deadline = false

    @Flag(
        help: """
            A user refused with 429 waits its Retry-After (at least --think) and tries again with the same \
            Idempotency-Key; the report counts how many retries were admitted.
            """)
    var honourRetryAfter = false

    @Option(
        help: "With --honour-retry-after: the longest Retry-After a user waits (default: --timeout).",
        transform: BenchCommand.duration)
    var retryAfterCap: Duration?

    @Flag(
        help: """
            Measure the control plane instead: zero-work jobs through submit, store, claim, complete and SSE, \
            on SQLite and, with --database-url, PostgreSQL; it starts the servers itself.
            """)
    var controlPlane = false

    @Flag(
        help: """
            Measure the store alone instead: insert --jobs jobs, then --clients consumers claim (--batch at a time) \
            and complete them, no HTTP; on SQLite and, with --database-url, PostgreSQL (an empty scratch database).
            """)
    var burnDown = false

    @Option(help: "With --burn-down: jobs one claim may take.")
    var batch = 10

    @Option(help: "With --burn-down: tenants the jobs belong to, in turn.")
    var tenants = 1

    @Option(
        help: """
            With --burn-down: jobs claimed and completed before the consumers stop (default: all). A small number \
            times the claim at the depth of --jobs; the rest stay queued (on PostgreSQL, drop the scratch database).
            """)
    var drain: Int?

    @Option(help: "With --control-plane or --burn-down: clients in the closed loop, or consumers.")
    var clients = 32

    @Option(help: "With --control-plane: jobs measured, after the warm-up; with --burn-down: jobs inserted.")
    var jobs = 10_000

    @Option(help: "With --control-plane: jobs run first and not counted.")
    var warmupJobs = 1_000

    @Option(
        help: """
            With --control-plane: a PostgreSQL database to measure too (gateway and worker migrate it); with \
            --scenario fairness: run the cluster on it instead of darkroom serve.
            """)
    var databaseURL: String?

    @Option(help: "Also write the report as JSON to this file.")
    var json: String?

    @Option(help: "Also write the report as Markdown to this file.")
    var markdown: String?

    @Option(
        help: """
            Also draw ok/s and p95 latency per second as SVG to this file; with --scenario seed, one file per \
            run, its name inserted before the extension.
            """)
    var svg: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    func validate() throws {
        let isScenario = isSeedScenario || isOverloadScenario || isFairnessScenario
        if controlPlane, svg != nil || isScenario {
            throw ValidationError("--control-plane takes neither --svg nor a --scenario")
        }
        if controlPlane, let target {
            guard URL(string: target)?.host != nil else { throw ValidationError("--target is not a URL") }
            guard databaseURL == nil else {
                throw ValidationError("--control-plane measures either --target or its own servers, not both")
            }
        }
        if burnDown, controlPlane || svg != nil || isScenario {
            throw ValidationError("--burn-down takes neither --control-plane, --svg nor a --scenario")
        }
        if isOverloadScenario || isFairnessScenario, svg != nil {
            throw ValidationError("--scenario \(scenario) takes no --svg")
        }
        do {
            if burnDown {
                try storeBurnDown.validate()
            } else if controlPlane {
                try controlPlaneBench(logger: Logger(label: "darkroom.bench")).validate()
            } else if isSeedScenario {
                try seedScenario(logger: Logger(label: "darkroom.bench")).validate()
            } else if isOverloadScenario {
                try overloadScenario(logger: Logger(label: "darkroom.bench")).validate()
            } else if isFairnessScenario {
                try fairnessScenario(logger: Logger(label: "darkroom.bench")).validate()
            } else {
                try benchConfiguration().validate()
            }
        } catch let error as BenchConfigurationError {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let logger = Bootstrap.logging(level: logLevel)
        if burnDown { return try await runBurnDown(logger: logger) }
        if controlPlane { return try await runControlPlane(logger: logger) }
        if isSeedScenario { return try await runSeedScenario(logger: logger) }
        if isOverloadScenario { return try await runOverloadScenario(logger: logger) }
        if isFairnessScenario { return try await runFairnessScenario(logger: logger) }
        let (interruptions, interrupt) = AsyncStream.makeStream(of: Void.self)
        let signals = Task {
            for await _ in await UnixSignalsSequence(trapping: .sigint) { interrupt.yield() }
        }
        defer { signals.cancel() }
        let line = ProgressLine()
        let report = try await BenchRunner(configuration: try benchConfiguration(), logger: logger)
            .run(interruptions: interruptions, progress: { line.show($0.line) })
        line.finish()
        try publish(report)
        if let svg { try Data(TimelineSVG(report: report).render().utf8).write(to: URL(fileURLWithPath: svg)) }
    }

    func benchConfiguration() throws -> BenchConfiguration {
        guard let url = URL(string: target ?? "http://127.0.0.1:8080") else {
            throw ValidationError("--target is not a URL")
        }
        let load: LoadModel =
            if let rate {
                .openLoop(arrivalsPerSecond: rate)
            } else {
                .closedLoop(RampSchedule(users: users, startUsers: startUsers, spawnRate: spawnRate), think: think)
            }
        var configuration = BenchConfiguration(
            target: url, protocol: targetProtocol, waitMode: wait, load: load,
            duration: duration ?? .seconds(isSeedScenario ? 180 : 120),
            measureLast: measureLast,
            request: RequestShape(
                prompt: prompt, width: width, height: height, steps: steps, loraStrength: loraStrength),
            timeout: timeout, limitPerSecond: limit, scenario: scenario)
        configuration.sendsDeadline = deadline
        configuration.honoursRetryAfter = honourRetryAfter
        configuration.retryAfterLimit = retryAfterCap
        return configuration
    }

    private static func duration(_ text: String) throws -> Duration {
        guard let duration = DurationText.parse(text) else {
            throw ValidationError("\"\(text)\" is not a duration (120s, 500ms, 2m or bare seconds)")
        }
        return duration
    }
}

/// The live progress line on standard error: rewritten in place on a terminal, one line per update otherwise.
struct ProgressLine: Sendable {
    let isTerminal = isatty(STDERR_FILENO) != 0

    func show(_ text: String) {
        write(isTerminal ? "\r\u{1B}[K" + text : text + "\n")
    }

    func finish() {
        if isTerminal { write("\n") }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension BenchProtocol: ExpressibleByArgument {}
extension WaitMode: ExpressibleByArgument {}
