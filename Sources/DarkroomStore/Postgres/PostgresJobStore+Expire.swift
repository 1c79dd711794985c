import DarkroomCore
import Foundation
import PostgresNIO

extension PostgresJobStore {
    /// Safe with many sweepers at once: `SKIP LOCKED` gives each a different set, and the UPDATE re-checks the
    /// state, so a job a worker completes or a client cancels meanwhile keeps that end. The states and the end are
    /// the lifecycle table's (``JobEvent/expire``).
    public func expireOverdue(_ params: ExpireParams) async throws -> [Job] {
        let failure = JobFailure.deadlineExceeded
        return try await write { [self] in
            try await fetchJobs(
                """
                WITH clock AS (SELECT coalesce(\(params.now)::timestamptz, now()) AS now),
                overdue AS (
                    SELECT jobs.id FROM jobs, clock
                     WHERE jobs.state IN (\(unescaped: JobEvent.expire.sourcesSQL)) AND jobs.deadline_at IS NOT NULL
                       AND jobs.deadline_at <= clock.now
                     ORDER BY jobs.deadline_at
                     LIMIT \(params.limit)
                     FOR UPDATE OF jobs SKIP LOCKED)
                UPDATE jobs
                   SET state = \(unescaped: JobEvent.expire.targetSQL), finished_at = clock.now,
                       error_code = \(failure.code),
                       error_message = \(failure.message), lease_owner = NULL, lease_expires_at = NULL
                  FROM overdue, clock
                 WHERE jobs.id = overdue.id AND jobs.state IN (\(unescaped: JobEvent.expire.sourcesSQL))
                RETURNING \(unescaped: Job.postgresColumns(of: "jobs"))
                """)
        }
    }
}
