import DarkroomCore
import Foundation

extension InstrumentedStore: JobQueue {
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
    public func changes() -> AsyncStream<Job> { base.changes() }
    public func changes(of id: JobID) -> AsyncStream<Job> { base.changes(of: id) }
    public func stateChanges() -> AsyncStream<JobStateChange> { base.stateChanges() }
}
