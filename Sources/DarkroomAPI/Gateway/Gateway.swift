import DarkroomCore
import DarkroomStore
import Foundation
import Logging

/// What the gateway decides, whichever API a client speaks: submitting and canceling jobs, following them, where
/// a queued job stands, and the queue's figures. The REST API (``APIHandler``) and the A1111 API
/// (``WebUIRoutes``) are adapters over it: they translate their wire shapes and call these methods, and neither
/// reaches the store on its own.
struct Gateway: Sendable {
    let store: any JobQueue
    /// The webhook deliveries, for a job's delivery log.
    let outbox: any WebhookOutbox
    let images: ImageDirectory
    let capacity: any CapacitySource
    let configuration: APIConfiguration
    let figures: QueueFigures
    let metrics: APIMetrics
    let logger: Logger
    /// The jobs admitted lately, which the cached figures may not show yet, places held for refused clients,
    /// and whether a queue stands.
    let admissions: AdmissionLedger
    /// Submits refused at admission over the last minute: demand for `darkroom_desired_workers`.
    let refusals = RecentRate(window: .seconds(60))
    /// Each tenant's queue cap and rate, checked before the deadline admission.
    let tenantAdmission: TenantAdmission
    /// The tenants, for their use (`GET /v1/usage`).
    let tenants: any TenantDirectory
    /// Running jobs' previews, from the workers that make them.
    let previews: any PreviewChannel

    /// Follows jobs through the store's change feed, re-reading the store as often as events do.
    var updates: JobUpdates { JobUpdates(store: store, pollInterval: configuration.eventPollInterval) }

    /// Changes from now on; subscribe before reading a job, so no change between the read and the subscription
    /// is missed.
    func changes() -> AsyncStream<Job> { store.changes() }

    /// Changes of job `id` from now on, as ``changes()`` but for that job alone.
    func changes(of id: JobID) -> AsyncStream<Job> { store.changes(of: id) }

    func job(id: JobID) async throws -> Job? { try await store.job(id: id) }

    /// The job, if `principal` may see it: another tenant's job is as absent as one that never existed.
    func job(id: JobID, visibleTo principal: Principal) async throws -> Job? {
        try await store.job(id: id).flatMap { principal.canSee($0) ? $0 : nil }
    }

    /// The job a submit of `tenant` with `idempotency` already created, if any.
    func job(named idempotency: IdempotencyKey, tenant: String) async throws -> Job? {
        try await store.job(named: idempotency, tenant: tenant, now: nil)
    }

    /// The ledger's name for the place a refused submit of `tenant` with `idempotency` holds.
    static func heldPlace(of idempotency: IdempotencyKey, tenant: String) -> String { "\(tenant)/\(idempotency.key)" }

    func list(_ params: ListParams) async throws -> JobPage { try await store.list(params) }

    func webhookDeliveries(of id: JobID) async throws -> [WebhookDelivery] {
        try await outbox.webhookDeliveries(of: id)
    }

    /// Fails unless the store answers: a query that reads nothing.
    func checkStore() async throws {
        _ = try await store.position(of: JobID(rawValue: "readiness-probe"))
    }

    /// Where a queued job stands: jobs ahead of it and the expected wait; `nil`s for other states.
    func queuePlace(of job: Job) async throws -> (position: Int?, wait: Double?) {
        guard job.state == .queued else { return (nil, nil) }
        // A slot may claim the job between the read and this query: then nothing was ahead of it.
        let limit = configuration.exactPositionLimit
        guard let counted = try await store.position(of: job.id, countingAtMost: limit) else { return (0, 0) }
        let stats = try await figures.stats()
        // Past the limit: every other queued job, as of the (cached) statistics, is taken to be ahead.
        let position =
            counted < limit ? counted : max(counted, (stats.counts[.queued] ?? 0) - 1)
        let wait = WaitEstimate.seconds(
            position: position, capacity: await capacity.capacity(),
            meanServiceSeconds: stats.recentMeanServiceSeconds)
        return (position, wait)
    }
}

extension Gateway {
    /// Whether `principal` may fetch the image named `name`: the image of a job it may see (names start with
    /// their job's id). With authentication off every image is visible without a read.
    func imageIsVisible(named name: String, to principal: Principal) async throws -> Bool {
        if principal.seesEveryTenant { return true }
        guard let dash = name.lastIndex(of: "-"), let id = JobID(parsing: String(name[..<dash])) else { return false }
        return try await job(id: id, visibleTo: principal) != nil
    }
}
