import DarkroomCore
import DarkroomStore
import Foundation

/// A ``JobQueue`` that forwards to another and reports every finished `job(id:)` read on ``reads``.
///
/// The events handler subscribes to changes and then reads the job; once its read is reported, a test
/// knows the stream will see every later change, and can start the workers without a race or a sleep.
/// With `dropsChanges`, its change feed stays silent, as if every notification were lost.
final class ReadSignalingJobQueue: JobQueue {
    let base: any JobQueue
    let reads: AsyncStream<JobID>
    private let continuation: AsyncStream<JobID>.Continuation
    private let dropsChanges: Bool

    init(base: any JobQueue, dropsChanges: Bool = false) {
        self.base = base
        self.dropsChanges = dropsChanges
        (reads, continuation) = AsyncStream.makeStream(of: JobID.self)
    }

    func job(id: JobID) async throws -> Job? {
        let job = try await base.job(id: id)
        continuation.yield(id)
        return job
    }

    func job(named idempotency: IdempotencyKey, tenant: String, now: Date?) async throws -> Job? {
        try await base.job(named: idempotency, tenant: tenant, now: now)
    }

    func enqueue(_ params: EnqueueParams) async throws -> Job { try await base.enqueue(params) }
    func claim(_ params: ClaimParams) async throws -> [Job] { try await base.claim(params) }
    func heartbeat(_ params: HeartbeatParams) async throws -> Job { try await base.heartbeat(params) }
    func complete(_ params: CompleteParams) async throws -> Job { try await base.complete(params) }
    func retry(_ params: RetryParams) async throws -> Job { try await base.retry(params) }
    func fail(_ params: FailParams) async throws -> Job { try await base.fail(params) }
    func cancel(_ params: CancelParams) async throws -> Job { try await base.cancel(params) }
    func rescueExpired(_ params: RescueParams) async throws -> RescueResult { try await base.rescueExpired(params) }
    func expireOverdue(_ params: ExpireParams) async throws -> [Job] { try await base.expireOverdue(params) }
    func list(_ params: ListParams) async throws -> JobPage { try await base.list(params) }
    func position(of id: JobID, countingAtMost limit: Int) async throws -> Int? {
        try await base.position(of: id, countingAtMost: limit)
    }
    func stats(_ params: StatsParams) async throws -> StoreStats { try await base.stats(params) }
    func deleteFinished(_ params: DeleteFinishedParams) async throws -> [Job] { try await base.deleteFinished(params) }
    func stateChanges() -> AsyncStream<JobStateChange> { base.stateChanges() }
    func changes() -> AsyncStream<Job> {
        dropsChanges ? Self.silent() : base.changes()
    }
    func changes(of id: JobID) -> AsyncStream<Job> {
        dropsChanges ? Self.silent() : base.changes(of: id)
    }

    /// A stream that never yields; it ends only when its consumer is cancelled.
    private static func silent() -> AsyncStream<Job> {
        let (silent, continuation) = AsyncStream.makeStream(of: Job.self)
        continuation.onTermination = { _ in }
        return silent
    }
}
