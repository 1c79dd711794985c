import DarkroomAPI
import DarkroomBackends
import DarkroomCore
import DarkroomStore
import DarkroomWorker
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals

/// The composition root of `darkroom serve`: builds every component and runs them in one ServiceGroup.
///
/// Services start in dependency order (rescuer, retention, worker pool, webhook dispatcher, HTTP) and stop in
/// reverse: HTTP stops accepting, webhooks stop, the workers drain, and the store closes last.
struct EmbeddedServer {
    private let options: ServeCommand
    private let logger: Logger

    init(options: ServeCommand, logger: Logger) throws {
        self.options = options
        self.logger = logger
    }

    func run() async throws {
        // Bad backend settings (a models file, a workflow) stop the server before it touches its data.
        let real = try options.backends.makeBackends(logger: logger)
        let dataDirectory = URL(fileURLWithPath: options.dataDir, isDirectory: true)
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let lock = try DataDirectoryLock(directory: dataDirectory)
        let store = try SQLiteJobStore(
            path: dataDirectory.appendingPathComponent("darkroom.sqlite").path, logger: logger)
        try await store.migrate()
        let images = try ImageDirectory(path: dataDirectory.appendingPathComponent("images").path)

        let (registry, metricsFactory) = Bootstrap.metrics()
        // Every store operation is timed (darkroom_store_operation_duration_seconds).
        let measured = InstrumentedStore(store, factory: metricsFactory)

        let rescuer = Rescuer(store: measured, metricsFactory: metricsFactory, logger: logger)
        // This process holds the data directory's lock, so any lease in the file belongs to a dead process.
        try await rescuer.runOnce(expiredBefore: .distantFuture)
        let previews = LocalPreviewChannel()
        let pool = WorkerPool(
            store: measured, backends: real + options.simulation.backends(besides: real.count), images: images,
            configuration: WorkerConfiguration(
                workerID: "embedded-\(ProcessInfo.processInfo.processIdentifier)",
                jobTimeout: .milliseconds(Int64(options.jobTimeout * 1000)),
                breakerPolicy: options.backends.breakerPolicy, affinityWindow: options.backends.affinityDuration),
            previews: previews, metricsFactory: metricsFactory, logger: logger)
        let sweeper = DeadlineSweeper(store: measured, metricsFactory: metricsFactory, logger: logger)
        let retention = Retention(
            store: measured, images: images,
            configuration: options.retention.configuration,
            metricsFactory: metricsFactory, logger: logger)
        let configuration = APIConfiguration(
            latencyTargetSeconds: options.autoscaling.latencyTarget, webhooks: options.webhooks.configuration,
            defaultDeadline: options.admission.duration,
            maxQueueSeconds: options.admission.maxQueueSeconds,
            webuiMaxWaitSeconds: options.admission.webuiMaxWait,
            standingQueueTarget: options.admission.standingQueueTarget,
            requiresKeys: options.authentication.requiresKeys(byDefault: false, logger: logger),
            metricsNeedKey: options.authentication.metricsAuth)
        let http = DarkroomHTTP(
            store: measured, outbox: measured, tenants: store, images: images, capacity: pool, previews: previews,
            configuration: configuration,
            registry: registry, metricsFactory: metricsFactory, logger: logger)
        let dispatcher = WebhookDispatcher(
            store: measured, configuration: configuration.webhooks, metricsFactory: metricsFactory,
            logger: logger)
        let logger = logger
        let connections = options.connections.policy
        let app = Application(
            router: try http.makeRouter(), server: connections.server(),
            configuration: .init(
                address: .hostname(options.host, port: options.port), serverName: "darkroom",
                availableConnectionsDelegate: connections.acceptLimit),
            onServerRunning: { channel in logger.listening(on: channel) },
            logger: logger)
        var services = ServiceGroupConfiguration(
            services: [rescuer, sweeper, retention, pool, dispatcher, app],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        // Long enough for open SSE streams to end and the pool to drain (30 s), short enough to never hang.
        services.maximumGracefulShutdownDuration = .seconds(90)
        let group = ServiceGroup(configuration: services)
        try await group.run()
        withExtendedLifetime(lock) {}
        logger.info("Darkroom stopped")
    }
}
