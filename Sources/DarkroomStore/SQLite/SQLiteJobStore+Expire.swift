import DarkroomCore
import Foundation
import GRDB

extension SQLiteJobStore {
    /// The states and the end are the lifecycle table's (``JobEvent/expire``).
    private static let expireSQL = """
        UPDATE jobs
           SET state = \(JobEvent.expire.targetSQL), finished_at = ?, error_code = ?, error_message = ?,
               lease_owner = NULL, lease_expires_at = NULL
         WHERE id IN (SELECT id FROM jobs INDEXED BY jobs_deadlines
                       WHERE state IN (\(JobEvent.expire.sourcesSQL)) AND deadline_at IS NOT NULL
                         AND deadline_at <= ?
                       ORDER BY deadline_at
                       LIMIT ?)
        RETURNING *
        """

    public func expireOverdue(_ params: ExpireParams) async throws -> [Job] {
        let now = params.now.unixSecondsOrNow
        let failure = JobFailure.deadlineExceeded
        return try await write { db in
            try Job.fetchAll(
                db.cachedStatement(sql: Self.expireSQL),
                arguments: [now, failure.code, failure.message, now, params.limit])
        }
    }
}
