import DarkroomCore
import Foundation
import PostgresNIO

/// Up to `limit` queued jobs, taken for one backend: the head of the queue (`preferenceDepth` jobs in claim
/// order, read but not locked) re-ordered by the backend's preferences (away from a backend a job just failed on,
/// towards the model the backend has loaded), then locked with `SKIP LOCKED` (concurrent claimers each take
/// different rows) and moved to `running` under a new lease. A claim costs the same at any queue depth. A job past
/// its deadline is never taken; the sweeper (``PostgresJobStore/expireOverdue(_:)``) ends it.
///
/// Its plan must not depend on the limits, because after a few calls PostgreSQL may plan a prepared statement
/// once for every value: without a value, it assumes a limit keeps a tenth of the rows, and joined the head back
/// to `jobs` by reading every queued row (13.7 ms a claim with 20,000 queued). The lock therefore looks the head
/// up by primary key (`id = ANY`), which no assumption about its length turns into a scan.
struct ClaimStatement: JobRowStatement {
    static let sql = """
        WITH clock AS (SELECT coalesce($1, now()) AS now,
                              coalesce($1, now()) - make_interval(secs => $2) AS window_start),
        head AS (
            SELECT jobs.id, jobs.priority, jobs.created_at,
                   (jobs.backend IS NOT DISTINCT FROM $3 AND jobs.attempt > 0
                    AND jobs.run_after > clock.window_start) AS failed_here,
                   ($4::text IS NOT NULL AND jobs.affinity IS DISTINCT FROM $4
                    AND jobs.created_at > clock.window_start) AS other_model
              FROM jobs, clock
             WHERE jobs.state = 'queued' AND jobs.run_after <= clock.now
               AND (jobs.deadline_at IS NULL OR jobs.deadline_at > clock.now)
             ORDER BY jobs.priority DESC, jobs.created_at, jobs.id
             LIMIT $5),
        candidates AS (
            SELECT jobs.id FROM jobs JOIN head ON jobs.id = head.id
             WHERE jobs.state = 'queued' AND jobs.id = ANY (ARRAY(SELECT id FROM head))
             ORDER BY head.priority DESC, head.failed_here, head.other_model, head.created_at, head.id
             LIMIT $6
             FOR UPDATE OF jobs SKIP LOCKED)
        UPDATE jobs
           SET state = 'running', attempt = attempt + 1, lease_owner = $7, lease_token = lease_token + 1,
               lease_expires_at = clock.now + make_interval(secs => $8), started_at = clock.now, progress_step = 0,
               backend = $3
          FROM candidates, clock
         WHERE jobs.id = candidates.id
        RETURNING \(Job.postgresColumns(of: "jobs"))
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .timestamptz, .float8, .text, .text, .int8, .int8, .text, .float8,
    ]

    var params: ClaimParams

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 8)
        bindings.append(params.now)
        bindings.append(params.preferenceWindow.seconds)
        bindings.append(params.backend)
        bindings.append(params.affinity?.key)
        bindings.append(max(params.preferenceDepth, params.limit))
        bindings.append(params.limit)
        bindings.append(params.owner)
        bindings.append(params.leaseDuration.seconds)
        return bindings
    }
}
