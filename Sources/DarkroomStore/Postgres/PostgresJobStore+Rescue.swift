import DarkroomCore
import Foundation
import PostgresNIO

extension PostgresJobStore {
    /// Safe with many rescuers at once: each row is changed by one guarded UPDATE, and a second rescuer's
    /// UPDATE re-checks `state = 'running'` after the first commits, so it skips the row.
    public func rescueExpired(_ params: RescueParams) async throws -> RescueResult {
        let jobs = try await write { [self] in
            try await client.withTransaction(logger: logger) { connection in
                // Park first: a job whose lease is now lost for the poisonLimit-th time fails instead of looping.
                let poisoned = try await fetchJobs(
                    """
                    UPDATE jobs
                       SET state = 'failed', finished_at = coalesce(\(params.now)::timestamptz, now()),
                           lease_lost_count = lease_lost_count + 1, error_code = 'poison',
                           error_message = 'the job''s lease was lost too many times; it may crash or hang its worker',
                           lease_owner = NULL, lease_expires_at = NULL
                     WHERE state = 'running'
                       AND lease_expires_at < coalesce(\(params.expiredBefore)::timestamptz, \(params.now)::timestamptz, now())
                       AND lease_lost_count + 1 >= \(params.poisonLimit)
                    RETURNING *
                    """, on: connection)
                let requeued = try await fetchJobs(
                    """
                    UPDATE jobs
                       SET state = 'queued', run_after = coalesce(\(params.now)::timestamptz, now()),
                           lease_lost_count = lease_lost_count + 1, progress_step = 0,
                           lease_owner = NULL, lease_expires_at = NULL
                     WHERE state = 'running'
                       AND lease_expires_at < coalesce(\(params.expiredBefore)::timestamptz, \(params.now)::timestamptz, now())
                    RETURNING *
                    """, on: connection)
                return poisoned + requeued
            }
        }
        return RescueResult(
            requeued: jobs.filter { $0.state == .queued },
            poisoned: jobs.filter { $0.state == .failed })
    }
}
