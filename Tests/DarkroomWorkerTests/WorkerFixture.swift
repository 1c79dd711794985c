import DarkroomBackends
import DarkroomCore
import DarkroomStore
import DarkroomWorker
import Foundation
import Logging
import Metrics
import Testing

/// A real SQLite store and image directory in a temp folder, and helpers to run a pool against them.
final class WorkerFixture: Sendable {
    let store: SQLiteJobStore
    let images: ImageDirectory
    let directory: URL

    /// Tests assert on the store, not on log lines; keep their output readable.
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    init() async throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("darkroom-worker-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteJobStore(path: directory.appendingPathComponent("jobs.sqlite").path, logger: Self.logger)
        try await store.migrate()
        images = try ImageDirectory(path: directory.appendingPathComponent("images").path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    static func configuration(
        jobTimeout: Duration = .seconds(30), drainTimeout: Duration = .seconds(30),
        retryPolicy: RetryPolicy = .default, breakerPolicy: BreakerPolicy = BreakerPolicy(),
        breakerClock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) -> WorkerConfiguration {
        WorkerConfiguration(
            workerID: "test", leaseDuration: .seconds(30), heartbeatInterval: .seconds(10), jobTimeout: jobTimeout,
            pollInterval: .milliseconds(50), drainTimeout: drainTimeout, retryPolicy: retryPolicy,
            breakerPolicy: breakerPolicy, breakerClock: breakerClock)
    }

    func pool(_ backend: any Backend, configuration: WorkerConfiguration = configuration()) -> WorkerPool {
        pool([backend], configuration: configuration)
    }

    func pool(
        _ backends: [any Backend], configuration: WorkerConfiguration = configuration(), logger: Logger = logger
    ) -> WorkerPool {
        WorkerPool(
            store: store, backends: backends, images: images, configuration: configuration,
            metricsFactory: NOOPMetricsHandler.instance, logger: logger)
    }

    /// Runs `body` while `pool` runs, then stops the pool.
    func whileRunning(_ pool: WorkerPool, _ body: () async throws -> Void) async throws {
        let task = Task { try await pool.run() }
        defer { task.cancel() }
        try await body()
        task.cancel()
        _ = await task.result
    }

    @discardableResult
    func submit(seed: Int64 = 7, maxAttempts: Int = 4, loras: [LoRA] = GenerationDefaults.awPortraitZ.loras)
        async throws -> Job
    {
        try await store.enqueue(
            EnqueueParams(
                id: JobID.generate(now: Date()),
                request: GenerationRequest(prompt: "portrait", steps: 4, seed: seed, loras: loras),
                maxAttempts: maxAttempts))
    }

    /// Waits for the job to satisfy `condition`, following the store's change feed. The suites' time limit
    /// turns a broken worker into a failure instead of a hang.
    @discardableResult
    func waitFor(_ id: JobID, _ condition: @escaping @Sendable (Job) -> Bool) async throws -> Job {
        let changes = store.changes()
        if let job = try await store.job(id: id), condition(job) { return job }
        for await job in changes where job.id == id && condition(job) { return job }
        throw CancellationError()
    }
}
