import ArgumentParser
import DarkroomAPI
import DarkroomStore
import DarkroomWorker
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `darkroom gateway`: the REST API alone, stateless, over a shared PostgreSQL store; run any number.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Run a stateless API gateway over PostgreSQL (cluster mode; run as many as you like)."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one and logs it).")
    var port = 8080

    @Option(help: "Directory the workers write images to (a shared volume in a cluster).")
    var imageDir = "./darkroom-data/images"

    @OptionGroup var autoscaling: AutoscalingOptions
    @OptionGroup var admission: AdmissionOptions
    @OptionGroup var connections: ConnectionOptions

    @OptionGroup var webhooks: WebhookOptions
    @OptionGroup var authentication: AuthOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let logger = Bootstrap.logging(level: logLevel)
        let store = try database.makeStore(logger: logger)
        let images = try ImageDirectory(path: imageDir)
        let (registry, metricsFactory) = Bootstrap.metrics()
        // Every store operation is timed (darkroom_store_operation_duration_seconds).
        let measured = InstrumentedStore(store, factory: metricsFactory)
        let configuration = APIConfiguration(
            latencyTargetSeconds: autoscaling.latencyTarget, webhooks: webhooks.configuration,
            defaultDeadline: admission.duration, maxQueueSeconds: admission.maxQueueSeconds,
            webuiMaxWaitSeconds: admission.webuiMaxWait,
            standingQueueTarget: admission.standingQueueTarget,
            requiresKeys: authentication.requiresKeys(byDefault: true, logger: logger),
            metricsNeedKey: authentication.metricsAuth)
        // Previews made by any worker reach this gateway's streams through PostgreSQL.
        let previews = PostgresPreviewChannel(store: store)
        let http = DarkroomHTTP(
            store: measured, outbox: measured, tenants: store, images: images, capacity: StoreCapacity(store: measured),
            previews: previews, configuration: configuration, registry: registry, metricsFactory: metricsFactory,
            logger: logger)
        // Every gateway delivers webhooks; the store's leases keep two from sending the same one at once.
        let dispatcher = WebhookDispatcher(
            store: measured, configuration: configuration.webhooks, metricsFactory: metricsFactory,
            logger: logger)
        // Gateways sweep deadlines too, so they hold while the workers are scaled to zero.
        let sweeper = DeadlineSweeper(store: measured, metricsFactory: metricsFactory, logger: logger)
        let policy = connections.policy
        let app = Application(
            router: try http.makeRouter(), server: policy.server(),
            configuration: .init(
                address: .hostname(host, port: port), serverName: "darkroom-gateway",
                availableConnectionsDelegate: policy.acceptLimit),
            onServerRunning: { channel in logger.listening(on: channel) },
            logger: logger)
        try await StoreRunner.run(store, logger: logger) {
            try await ServiceGroup(
                configuration: .init(
                    services: [dispatcher, sweeper, previews, app], gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger)
            ).run()
        }
    }
}
