import DarkroomCore
import Foundation

/// The durable queue of jobs: what gateways enqueue and read, what workers claim and finish.
///
/// Contract every conformer keeps (the job queue conformance suite tests each sentence):
/// - `enqueue` returns only after the job is durably committed. With an idempotency key that already names a
///   job of the same tenant created within ``IdempotencyKey/retention``, it commits nothing: it returns that job
///   (its id is not `params.id`) when the fingerprints match, and throws
///   ``JobStoreError/idempotencyKeyReused(_:)`` when they differ. Concurrent enqueues with one key commit one job.
/// - `claim` takes queued jobs whose `runAfter` has passed, moves them to `running`, increments `attempt`, starts
///   a lease and raises the fencing token. The turn goes to the tenant whose queued job holds the smallest
///   start tag (start-time fair queuing by tenant weight, tags given at `enqueue`); within that tenant, highest
///   priority first, then oldest first, and the claimed job takes the turn's tag. A tenant with `maxRunning` jobs
///   running is passed over, and the turns passed over move to the end of its work.
///   Within a priority it prefers, for `preferenceWindow`, jobs that did not just fail on the claiming backend
///   and jobs whose affinity matches `params.affinity`; a job older than the window loses no place to either.
///   The preferences choose among the first `preferenceDepth` claimable jobs in plain order only.
///   Two concurrent claims never return the same job.
/// - `heartbeat`, `complete`, `retry` and `fail` change a job only while it is `running` under the
///   caller's lease token; otherwise they throw ``JobStoreError/leaseLost(_:)`` and change nothing.
/// - `cancel` moves a queued or running job to `canceled` (only a queued one with `onlyIfQueued`); any other gives
///   ``JobStoreError/conflict(_:state:)``.
/// - `rescueExpired` re-queues running jobs whose lease expired, or parks them as failed with code `poison`
///   once their lease was lost `poisonLimit` times.
/// - Terminal states never change; `finishedAt` is set exactly for terminal jobs.
/// - Every job a method changes is also published to `changes()` and `stateChanges()` subscribers, after the
///   commit.
/// - `now: nil` in any params means the store's own clock.
public protocol JobQueue: Sendable {
    /// Commits a new queued job.
    func enqueue(_ params: EnqueueParams) async throws -> Job
    /// Leases up to `params.limit` claimable jobs to `params.owner`.
    func claim(_ params: ClaimParams) async throws -> [Job]
    /// Extends a lease and records progress.
    func heartbeat(_ params: HeartbeatParams) async throws -> Job
    /// Finishes a running job with its images.
    func complete(_ params: CompleteParams) async throws -> Job
    /// Puts a running job back in the queue until `params.runAfter`.
    func retry(_ params: RetryParams) async throws -> Job
    /// Finishes a running job as failed.
    func fail(_ params: FailParams) async throws -> Job
    /// Cancels a queued or running job.
    func cancel(_ params: CancelParams) async throws -> Job
    /// Re-queues (or parks as poison) running jobs whose lease expired.
    func rescueExpired(_ params: RescueParams) async throws -> RescueResult
    /// Ends every queued or running job whose deadline has passed as `expired` (with
    /// ``JobFailure/deadlineExceeded``), at most `limit` of them, and returns them. A running job's lease ends with
    /// it: its worker hears the change and stops the GPU work, and its outcome no longer matches a lease.
    func expireOverdue(_ params: ExpireParams) async throws -> [Job]
    /// One job, or `nil` when there is no such job.
    func job(id: JobID) async throws -> Job?
    /// The job `idempotency`'s key names for `tenant` (created within ``IdempotencyKey/retention`` of `now`),
    /// or `nil` when it names none: what a repeat of that submit would return, read without writing.
    ///
    /// - Throws: ``JobStoreError/idempotencyKeyReused(_:)`` when that job came from a different request.
    func job(named idempotency: IdempotencyKey, tenant: String, now: Date?) async throws -> Job?
    /// Jobs newest first, a page at a time.
    func list(_ params: ListParams) async throws -> JobPage
    /// How many queued jobs a claim would take before this one, counting at most `limit` of them (the cost
    /// grows with the count, not with the queue); `nil` unless the job is queued.
    func position(of id: JobID, countingAtMost limit: Int) async throws -> Int?
    /// Counts and recent rates for the queue endpoints and metrics.
    func stats(_ params: StatsParams) async throws -> StoreStats
    /// Deletes terminal jobs that finished before `params.finishedBefore` and returns them (their images go too).
    func deleteFinished(_ params: DeleteFinishedParams) async throws -> [Job]
    /// A stream of every job as it is after each committed change, from now on.
    func changes() -> AsyncStream<Job>
    /// A stream of job `id` as it is after each committed change, from now on: ``changes()`` of that job alone,
    /// which wakes its consumer for nothing else.
    func changes(of id: JobID) -> AsyncStream<Job>
    /// A stream of the new state of every job after each committed change, from now on: ``changes()`` without
    /// the rest of each job, which a shared store need not read to announce.
    func stateChanges() -> AsyncStream<JobStateChange>
}

extension JobQueue {
    /// The exact number of queued jobs ahead of this one, however many (see ``position(of:countingAtMost:)``).
    public func position(of id: JobID) async throws -> Int? {
        try await position(of: id, countingAtMost: .max)
    }
}
