import DarkroomCore
import DarkroomStore
import Logging

/// Submitting and canceling as every API does it (`/v1` and `/sdapi/v1`): the store call, its metric and its
/// log line in one place.
extension Gateway {
    /// Commits a job and counts it; a repeat of an idempotent submit returns the first job and counts nothing.
    ///
    /// - Parameter api: which API asked, for the log.
    func submit(_ params: EnqueueParams, api: String) async throws -> Job {
        let job = try await store.enqueue(params)
        if job.id == params.id {
            metrics.jobSubmitted(priority: job.priority)
            logger.info("Job accepted", metadata: [LogKey.jobID.rawValue: "\(job.id)", "api": "\(api)"])
        }
        return job
    }

    /// Cancels a queued job, or with `runningToo` a running one; a queued job canceled is counted here (a
    /// running one by the worker that ran it).
    ///
    /// - Throws: ``JobStoreError/conflict(_:state:)`` for a job in another state, `notFound` for no job or one
    ///   `principal` may not see.
    func cancel(_ id: JobID, by principal: Principal, runningToo: Bool, reason: String) async throws -> Job {
        guard try await job(id: id, visibleTo: principal) != nil else { throw JobStoreError.notFound(id) }
        let job: Job
        do {
            job = try await store.cancel(CancelParams(id: id, onlyIfQueued: true))
            metrics.queuedJobCanceled()
        } catch JobStoreError.conflict(_, .running) where runningToo {
            job = try await store.cancel(CancelParams(id: id))
        }
        logger.info("Job canceled", metadata: [LogKey.jobID.rawValue: "\(id)", "reason": "\(reason)"])
        return job
    }

    /// Deletes a finished job of `principal`'s, and its images. A job still queued or running is a conflict:
    /// cancel it first.
    func delete(_ id: JobID, by principal: Principal) async throws {
        guard let job = try await job(id: id, visibleTo: principal) else { throw JobStoreError.notFound(id) }
        guard job.state.isTerminal else { throw JobStoreError.conflict(id, state: job.state) }
        for deleted in try await store.deleteFinished(.job(id)) { images.remove(deleted.images) }
        logger.info("Job deleted", metadata: [LogKey.jobID.rawValue: "\(id)"])
    }
}
