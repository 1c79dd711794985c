import DarkroomCore
import DarkroomStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Re-queues jobs whose worker stopped heartbeating (crashed, killed, partitioned), and parks poison jobs.
///
/// Safe to run in many processes at once: each rescue is one guarded update in the store.
public struct Rescuer: Service {
    /// How the rescuer runs.
    public struct Configuration: Sendable {
        public var interval: Duration
        /// A job whose lease is lost this many times fails with code `poison`.
        public var poisonLimit: Int

        public init(interval: Duration = .seconds(5), poisonLimit: Int = 3) {
            self.interval = interval
            self.poisonLimit = poisonLimit
        }
    }

    private let store: any JobQueue
    private let configuration: Configuration
    private let metrics: WorkerMetrics
    private let logger: Logger

    public init(
        store: any JobQueue, configuration: Configuration = .init(),
        metricsFactory: any MetricsFactory = MetricsSystem.factory, logger: Logger
    ) {
        self.store = store
        self.configuration = configuration
        self.metrics = WorkerMetrics(factory: metricsFactory)
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await runOnce(expiredBefore: nil)
            } catch {
                logger.warning("Rescue failed", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.interval) }
        }
    }

    /// Rescues leases that expired before `expiredBefore` (`nil`: the store's clock now).
    ///
    /// An embedded server passes `.distantFuture` once at start: it is the only process using its data
    /// directory, so every lease left in the file belongs to a process that is gone.
    @discardableResult
    public func runOnce(expiredBefore: Date?) async throws -> RescueResult {
        let result = try await store.rescueExpired(
            RescueParams(expiredBefore: expiredBefore, poisonLimit: configuration.poisonLimit))
        if !result.requeued.isEmpty || !result.poisoned.isEmpty {
            metrics.rescuedLeases(requeued: result.requeued.count, poisoned: result.poisoned.count)
            logger.warning(
                "Expired leases rescued",
                metadata: [
                    LogKey.count.rawValue: "\(result.requeued.count)",
                    LogKey.poisonedCount.rawValue: "\(result.poisoned.count)",
                ])
        }
        return result
    }
}
