import DarkroomCore
import DarkroomStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Deletes finished jobs, and their images, once they are older than the retention period, and the image
/// directory's strays (``StraySweep``); after each sweep it publishes the directory's size
/// (`darkroom_image_files`, `darkroom_image_bytes`) and counts the strays removed
/// (`darkroom_stray_files_removed_total{kind}`).
public struct Retention: Service {
    /// How long finished jobs are kept and how often the sweep runs.
    public struct Configuration: Sendable {
        public var keepFinishedFor: Duration
        public var interval: Duration
        /// How old a temporary file or an image no job refers to must be before it is removed.
        public var strayAge: Duration

        public init(
            keepFinishedFor: Duration = .seconds(7 * 24 * 3600), interval: Duration = .seconds(3600),
            strayAge: Duration = .seconds(3600)
        ) {
            self.keepFinishedFor = keepFinishedFor
            self.interval = interval
            self.strayAge = strayAge
        }
    }

    private let store: any JobQueue
    private let images: ImageDirectory
    private let configuration: Configuration
    private let imageFiles: Gauge
    private let imageBytes: Gauge
    private let strays: StraySweep
    private let temporaryRemoved: Counter
    private let orphansRemoved: Counter
    private let logger: Logger

    public init(
        store: any JobQueue, images: ImageDirectory, configuration: Configuration = .init(),
        metricsFactory: any MetricsFactory, logger: Logger
    ) {
        self.store = store
        self.images = images
        self.configuration = configuration
        imageFiles = Gauge(label: MetricNames.imageFiles, factory: metricsFactory)
        imageBytes = Gauge(label: MetricNames.imageBytes, factory: metricsFactory)
        strays = StraySweep(grace: configuration.strayAge)
        temporaryRemoved = Counter(
            label: MetricNames.strayFilesRemoved, dimensions: [("kind", "temporary")], factory: metricsFactory)
        orphansRemoved = Counter(
            label: MetricNames.strayFilesRemoved, dimensions: [("kind", "orphan")], factory: metricsFactory)
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await runOnce(now: Date())
            } catch {
                logger.warning(
                    "Retention sweep failed", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
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
        let removed = try await strays.run(now: now, store: store, images: images)
        temporaryRemoved.increment(by: removed.temporary)
        orphansRemoved.increment(by: removed.orphan)
        if removed != StraySweep.Removed() {
            logger.notice(
                "Stray image files removed",
                metadata: ["temporary": "\(removed.temporary)", "orphan": "\(removed.orphan)"])
        }
        let usage = images.usage()
        imageFiles.record(usage.files)
        imageBytes.record(usage.bytes)
        return deleted
    }
}
