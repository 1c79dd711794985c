import DarkroomCore
import Foundation
import Metrics

/// A ``JobStore`` that times every operation of the store it wraps, as
/// `darkroom_store_operation_duration_seconds{operation}`; failures are timed too. Everything else passes
/// through unchanged.
public struct InstrumentedJobStore: JobStore {
    public let base: any JobStore
    private let timers: [Operation: Metrics.Timer]

    /// The operations timed, by their label.
    enum Operation: String, CaseIterable {
        case migrate, enqueue, claim, heartbeat, complete, retry, fail, cancel
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

    private func timed<T>(_ operation: Operation, _ body: () async throws -> T) async rethrows -> T {
        let started = ContinuousClock.now
        defer { timers[operation]?.record(duration: ContinuousClock.now - started) }
        return try await body()
    }

    public func migrate() async throws { try await timed(.migrate) { try await base.migrate() } }
    public func enqueue(_ params: EnqueueParams) async throws -> Job {
        try await timed(.enqueue) { try await base.enqueue(params) }
    }
    public func claim(_ params: ClaimParams) async throws -> [Job] {
        try await timed(.claim) { try await base.claim(params) }
    }
    public func heartbeat(_ params: HeartbeatParams) async throws -> Job {
        try await timed(.heartbeat) { try await base.heartbeat(params) }
    }
    public func complete(_ params: CompleteParams) async throws -> Job {
        try await timed(.complete) { try await base.complete(params) }
    }
    public func retry(_ params: RetryParams) async throws -> Job {
        try await timed(.retry) { try await base.retry(params) }
    }
    public func fail(_ params: FailParams) async throws -> Job {
        try await timed(.fail) { try await base.fail(params) }
    }
    public func cancel(_ params: CancelParams) async throws -> Job {
        try await timed(.cancel) { try await base.cancel(params) }
    }
    public func claimWebhookDeliveries(_ params: ClaimWebhookDeliveriesParams) async throws -> [WebhookDelivery] {
        try await timed(.claimWebhookDeliveries) { try await base.claimWebhookDeliveries(params) }
    }
    public func recordWebhookAttempt(_ params: RecordWebhookAttemptParams) async throws {
        try await timed(.recordWebhookAttempt) { try await base.recordWebhookAttempt(params) }
    }
    public func webhookDeliveries(of jobID: JobID) async throws -> [WebhookDelivery] {
        try await timed(.webhookDeliveries) { try await base.webhookDeliveries(of: jobID) }
    }
    public func rescueExpired(_ params: RescueParams) async throws -> RescueResult {
        try await timed(.rescueExpired) { try await base.rescueExpired(params) }
    }
    public func expireOverdue(_ params: ExpireParams) async throws -> [Job] {
        try await timed(.expireOverdue) { try await base.expireOverdue(params) }
    }
    public func job(id: JobID) async throws -> Job? {
        try await timed(.job) { try await base.job(id: id) }
    }

    public func job(named idempotency: IdempotencyKey, tenant: String, now: Date?) async throws -> Job? {
        try await timed(.jobNamed) { try await base.job(named: idempotency, tenant: tenant, now: now) }
    }
    public func list(_ params: ListParams) async throws -> JobPage {
        try await timed(.list) { try await base.list(params) }
    }
    public func position(of id: JobID, countingAtMost limit: Int) async throws -> Int? {
        try await timed(.position) { try await base.position(of: id, countingAtMost: limit) }
    }
    public func stats(_ params: StatsParams) async throws -> StoreStats {
        try await timed(.stats) { try await base.stats(params) }
    }
    public func deleteFinished(_ params: DeleteFinishedParams) async throws -> [Job] {
        try await timed(.deleteFinished) { try await base.deleteFinished(params) }
    }
    public func announceWorker(_ params: AnnounceWorkerParams) async throws {
        try await timed(.announceWorker) { try await base.announceWorker(params) }
    }
    public func capacity(_ params: CapacityParams) async throws -> Capacity {
        try await timed(.capacity) { try await base.capacity(params) }
    }
    public func backends(_ params: CapacityParams) async throws -> [BackendStatus] {
        try await timed(.backends) { try await base.backends(params) }
    }
    public func changes() -> AsyncStream<Job> { base.changes() }
}
