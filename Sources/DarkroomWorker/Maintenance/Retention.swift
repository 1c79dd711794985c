import DarkroomCore
import DarkroomStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Deletes finished jobs, and their images, once they are older than the retention period; after each sweep
/// it publishes the image directory's size (`darkroom_image_files`, `darkroom_image_bytes`).
public struct Retention: Service {
    /// How long finished jobs are kept and how often the sweep runs.
    public struct Configuration: Sendable {
        public var keepFinishedFor: Duration
        public var interval: Duration

        public init(keepFinishedFor: Duration = .seconds(7 * 24 * 3600), interval: Duration = .seconds(3600)) {
            self.keepFinishedFor = keepFinishedFor
            self.interval = interval
        }
    }

    private let store: any JobStore
    private let images: ImageDirectory
    private let configuration: Configuration
    private let imageFiles: Gauge
    private let imageBytes: Gauge
    private let logger: Logger

    public init(
        store: any JobStore, images: ImageDirectory, configuration: Configuration = .init(),
        metricsFactory: any MetricsFactory, logger: Logger
    ) {
        self.store = store
        self.images = images
        self.configuration = configuration
        imageFiles = Gauge(label: MetricNames.imageFiles, factory: metricsFactory)
        imageBytes = Gauge(label: MetricNames.imageBytes, factory: metricsFactory)
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await runOnce(now: Date())
            } catch {
                logger.warning("Retention sweep failed", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.interval) }
        }
    }

    /// Deletes everything that finished before `now − keepFinishedFor`; returns how many jobs went.
    @discardableResult
    public func runOnce(now: Date) async throws -> Int {
        let cutoff = now.addingTimeInterval(-configuration.keepFinishedFor.seconds)
        var deleted = 0
        while true {
            let batch = try await store.deleteFinished(DeleteFinishedParams(finishedBefore: cutoff))
            for job in batch { images.remove(job.images) }
            deleted += batch.count
            if batch.count < DeleteFinishedParams(finishedBefore: cutoff).limit { break }
        }
        if deleted > 0 { logger.info("Old jobs deleted", metadata: [LogKey.count.rawValue: "\(deleted)"]) }
        let usage = images.usage()
        imageFiles.record(usage.files)
        imageBytes.record(usage.bytes)
        return deleted
    }
}
