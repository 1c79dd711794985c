import ArgumentParser
import DarkroomCore
import DarkroomStore
import DarkroomWorker
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `darkroom worker`: GPU slots that claim jobs from a shared PostgreSQL store; run one per GPU machine.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker: slots that pull jobs from PostgreSQL (cluster mode)."
    )

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var simulation: SimulationOptions

    @OptionGroup var backends: BackendOptions

    @Option(help: "Directory to write images to (the gateways read it; a shared volume in a cluster).")
    var imageDir = "./darkroom-data/images"

    @Option(help: "This worker's name in leases, logs and the workers table (default: host name and PID).")
    var name: String?

    @Option(help: "Address for /healthz, /readyz and /metrics.")
    var metricsHost = "127.0.0.1"

    @Option(help: "Port for /healthz, /readyz and /metrics (0 picks a free one and logs it).")
    var metricsPort = 9090

    @Option(help: "Seconds an attempt may run before it is interrupted and retried.")
    var jobTimeout = 300.0

    @Option(help: "Seconds a claim lasts without a heartbeat; a killed worker's jobs are rescued after this.")
    var leaseSeconds = 30.0

    @Option(help: "Seconds between rescuer sweeps for expired leases.")
    var rescueInterval = 5.0

    @Option(help: "Seconds a running job may take to finish on SIGTERM before it is handed back to the queue.")
    var drainSeconds = 30.0

    @OptionGroup var retention: RetentionOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard simulation.count(besides: backends.backends.count) + backends.backends.count >= 1 else {
            throw ValidationError("no GPU to run jobs on: give --backend KIND=URL or --sim-gpus N (N ≥ 1)")
        }
        guard leaseSeconds >= 1 else { throw ValidationError("--lease-seconds must be at least 1") }
        guard rescueInterval > 0 else { throw ValidationError("--rescue-interval must be positive") }
        guard drainSeconds >= 0, drainSeconds <= 3600 else {
            throw ValidationError("--drain-seconds must be within 0…3600")
        }
    }

    func run() async throws {
        let logger = Bootstrap.logging(level: logLevel)
        let real = try backends.makeBackends(logger: logger)
        let store = try database.makeStore(logger: logger)
        let images = try ImageDirectory(path: imageDir)
        let (registry, metricsFactory) = Bootstrap.metrics()
        // Every store operation is timed (darkroom_store_operation_duration_seconds).
        let measured = InstrumentedStore(store, factory: metricsFactory)
        let workerID = name ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        // Previews of watched jobs go through PostgreSQL to whichever gateway's stream watches them.
        let previews = PostgresPreviewChannel(store: store)
        let pool = WorkerPool(
            store: measured, backends: real + simulation.backends(besides: real.count), images: images,
            configuration: WorkerConfiguration(
                workerID: workerID, leaseDuration: .milliseconds(Int64(leaseSeconds * 1000)),
                heartbeatInterval: .milliseconds(Int64(leaseSeconds * 1000 / 3)),
                jobTimeout: .milliseconds(Int64(jobTimeout * 1000)),
                drainTimeout: .milliseconds(Int64(drainSeconds * 1000)), breakerPolicy: backends.breakerPolicy,
                affinityWindow: backends.affinityDuration),
            previews: previews, metricsFactory: metricsFactory, logger: logger)
        let rescuer = Rescuer(
            store: measured, configuration: .init(interval: .milliseconds(Int64(rescueInterval * 1000))),
            metricsFactory: metricsFactory, logger: logger)
        let sweeper = DeadlineSweeper(store: measured, metricsFactory: metricsFactory, logger: logger)
        // Workers write the images, so they sweep them: with several workers each sweep deletes disjoint rows.
        let retention = Retention(
            store: measured, images: images, configuration: self.retention.configuration,
            metricsFactory: metricsFactory, logger: logger)
        let probes = Application(
            router: ProbeRouter.make(store: measured, pool: pool, registry: registry),
            configuration: .init(address: .hostname(metricsHost, port: metricsPort), serverName: "darkroom-worker"),
            onServerRunning: { channel in logger.listening(on: channel) },
            logger: logger)
        try await StoreRunner.run(store, logger: logger) {
            var configuration = ServiceGroupConfiguration(
                services: [rescuer, sweeper, retention, previews, pool, probes],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger)
            // The drain, then a minute for handing jobs back and closing the store.
            configuration.maximumGracefulShutdownDuration = .milliseconds(Int64(drainSeconds * 1000)) + .seconds(60)
            try await ServiceGroup(configuration: configuration).run()
        }
    }
}
