import DarkroomAPI
import DarkroomBackends
import DarkroomCore
import DarkroomStore
import DarkroomWorker
import Foundation
import Hummingbird
import Logging
import Prometheus
import Testing

/// A fresh Darkroom API for one test: a migrated SQLite file and an image directory in a temporary folder,
/// and a Prometheus registry of its own (the global `MetricsSystem` is never bootstrapped).
///
/// Suites build one in `init`, so every test starts from an empty queue; the folder goes with the fixture.
final class APITestFixture: Sendable {
    let directory: URL
    let store: SQLiteJobStore
    let images: ImageDirectory
    let registry: PrometheusCollectorRegistry
    let metricsFactory: PrometheusMetricsFactory
    let logger: Logger

    /// Queue figures are read afresh on every request, so a test sees the submits it just made.
    static let configuration = APIConfiguration(statsCacheDuration: .zero)

    /// One idle slot: enough to be ready, with nothing running.
    static let oneIdleSlot = FixedCapacity(Capacity(slots: 1, busySlots: 0))

    init() async throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("darkroom-api-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var logger = Logger(label: "darkroom.api-tests")
        logger.logLevel = .warning
        self.logger = logger
        store = try SQLiteJobStore(path: directory.appendingPathComponent("jobs.sqlite").path, logger: logger)
        try await store.migrate()
        images = try ImageDirectory(path: directory.appendingPathComponent("images").path)
        registry = PrometheusCollectorRegistry()
        metricsFactory = PrometheusMetricsFactory(registry: registry)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The API over this fixture's store (or `store`, a wrapper of it), as an application to `test`.
    func makeApp(
        capacity: any CapacitySource = APITestFixture.oneIdleSlot, store: (any JobQueue)? = nil,
        configuration: APIConfiguration = APITestFixture.configuration, previews: any PreviewChannel = NoPreviews()
    ) throws -> Application<RouterResponder<GatewayRequestContext>> {
        let http = DarkroomHTTP(
            store: store ?? self.store, outbox: self.store, tenants: self.store, images: images, capacity: capacity,
            previews: previews, configuration: configuration,
            registry: registry, metricsFactory: metricsFactory, logger: logger)
        return Application(router: try http.makeRouter(), logger: logger)
    }

    /// A worker pool of simulated GPUs on this fixture's store; a default job (1024², 8 steps) takes 50 ms.
    /// Watched jobs send a preview after every step to `previews`.
    func makeWorkerPool(slots: Int = 1, previews: any PreviewChannel = NoPreviews()) -> WorkerPool {
        let backends: [any Backend] = (0..<slots).map { index in
            SimulatedBackend(id: "sim-\(index)", configuration: .init(secondsPerImage: 0.05))
        }
        return WorkerPool(
            store: store, backends: backends, images: images,
            configuration: WorkerConfiguration(workerID: "api-tests", progressInterval: .zero, previewInterval: .zero),
            previews: previews, metricsFactory: metricsFactory, logger: logger)
    }

    /// Runs `body` while `pool` claims and runs jobs, then cancels the pool and waits for it to stop.
    func whileRunning<Value: Sendable>(_ pool: WorkerPool, _ body: () async throws -> Value) async throws -> Value {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// The job once it reaches a terminal state, followed on the store's change feed (no polling, no sleeps).
    func finished(_ id: String) async throws -> Job {
        let jobID = try #require(JobID(parsing: id))
        // Subscribe before reading, so a change between the read and the subscription is not missed.
        let changes = store.changes()
        if let job = try await store.job(id: jobID), job.state.isTerminal { return job }
        for await job in changes where job.id == jobID && job.state.isTerminal { return job }
        throw CancellationError()
    }
}
