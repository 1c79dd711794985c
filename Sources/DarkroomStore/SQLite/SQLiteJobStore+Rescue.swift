import DarkroomCore
import Foundation
import GRDB

extension SQLiteJobStore {
    public func rescueExpired(_ params: RescueParams) async throws -> RescueResult {
        let now = params.now.unixSecondsOrNow
        let cutoff = params.expiredBefore?.timeIntervalSince1970 ?? now
        let jobs = try await write { db in
            // Park first: a job whose lease is now lost for the poisonLimit-th time fails instead of looping.
            let poisoned = try Row.fetchAll(
                db,
                sql: """
                    UPDATE jobs
                       SET state = 'failed', finished_at = ?, lease_lost_count = lease_lost_count + 1,
                           error_code = 'poison',
                           error_message = 'the job''s lease was lost too many times; it may crash or hang its worker',
                           lease_owner = NULL, lease_expires_at = NULL
                     WHERE state = 'running' AND lease_expires_at < ? AND lease_lost_count + 1 >= ?
                    RETURNING *
                    """,
                arguments: [now, cutoff, params.poisonLimit]
            ).map(Job.init(sqliteRow:))
            let requeued = try Row.fetchAll(
                db,
                sql: """
                    UPDATE jobs
                       SET state = 'queued', run_after = ?, lease_lost_count = lease_lost_count + 1, progress_step = 0,
                           lease_owner = NULL, lease_expires_at = NULL
                     WHERE state = 'running' AND lease_expires_at < ?
                    RETURNING *
                    """,
                arguments: [now, cutoff]
            ).map(Job.init(sqliteRow:))
            return poisoned + requeued
        }
        return RescueResult(
            requeued: jobs.filter { $0.state == .queued },
            poisoned: jobs.filter { $0.state == .failed }
        )
    }
}
