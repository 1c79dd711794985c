import DarkroomCore
import DarkroomStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Ends jobs whose deadline has passed, every `interval`: a queued one is never started, and a running one ends
/// `expired` in the store, which its worker hears (as it hears a cancel) and stops the GPU work. Clients following
/// the job by SSE, `Prefer: wait` or webhook learn it at once.
///
/// Safe to run in many processes at once (gateways and workers all run it, so deadlines hold while the workers
/// are scaled to zero): each sweep locks the rows it ends.
public struct DeadlineSweeper: Service {
    private let store: any JobQueue
    private let interval: Duration
    private let batch: Int
    private let expired: Counter
    private let logger: Logger

    public init(
        store: any JobQueue, interval: Duration = .seconds(1), batch: Int = 500,
        metricsFactory: any MetricsFactory = MetricsSystem.factory, logger: Logger
    ) {
        self.store = store
        self.interval = interval
        self.batch = batch
        expired = Counter(label: MetricNames.jobsExpired, factory: metricsFactory)
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await sweep()
            } catch {
                logger.warning(
                    "Deadline sweep failed", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Ends every overdue job now, a batch at a time; returns them.
    @discardableResult
    public func sweep(now: Date? = nil) async throws -> [Job] {
        var ended: [Job] = []
        while true {
            let overdue = try await store.expireOverdue(ExpireParams(limit: batch, now: now))
            ended += overdue
            guard overdue.count == batch else { break }
        }
        guard !ended.isEmpty else { return ended }
        expired.increment(by: ended.count)
        logger.info("Jobs past their deadline expired", metadata: [LogKey.count.rawValue: "\(ended.count)"])
        return ended
    }
}
