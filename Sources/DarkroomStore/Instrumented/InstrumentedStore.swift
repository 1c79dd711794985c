import DarkroomCore
import Foundation
import Metrics

/// The queue, worker registry and webhook outbox of a store, each operation timed as
/// `darkroom_store_operation_duration_seconds{operation}` (failures too); results pass through unchanged.
///
/// Each seam's forwarding lives in its own extension file. Tenants and migrations are not wrapped: a server
/// reads its tenant directory through caches and migrates once at start.
public struct InstrumentedStore: Sendable {
    public let base: any JobStore
    private let timers: [Operation: Metrics.Timer]

    /// The operations timed, by their label.
    enum Operation: String, CaseIterable {
        case enqueue, claim, heartbeat, complete, retry, fail, cancel
        case rescueExpired = "rescue_expired"
        case expireOverdue = "expire_overdue"
        case job
        case jobNamed = "job_named"
        case list, position, stats
        case deleteFinished = "delete_finished"
        case announceWorker = "announce_worker"
        case capacity, backends
        case claimWebhookDeliveries = "claim_webhook_deliveries"
        case recordWebhookAttempt = "record_webhook_attempt"
        case webhookDeliveries = "webhook_deliveries"
    }

    public init(_ base: any JobStore, factory: any MetricsFactory) {
        self.base = base
        timers = Dictionary(
            uniqueKeysWithValues: Operation.allCases.map { operation in
                let timer = Metrics.Timer(
                    label: MetricNames.storeOperationDuration,
                    dimensions: [(MetricNames.Label.operation, operation.rawValue)], factory: factory)
                return (operation, timer)
            })
    }

    func timed<T>(_ operation: Operation, _ body: () async throws -> T) async rethrows -> T {
        let started = ContinuousClock.now
        defer { timers[operation]?.record(duration: ContinuousClock.now - started) }
        return try await body()
    }
}
