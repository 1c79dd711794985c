import DarkroomCore
import Foundation
import GRDB

/// Weighted-fair claims on SQLite (docs/tenants.md, "Fair share"): the same order as PostgreSQL's
/// ``ClaimStatement``, in a few statements inside the one writer's transaction.
extension SQLiteJobStore {
    /// A new job's virtual start (`vstart`) and its tenant's weight (`weight`), for the enqueue's `INSERT`
    /// (``EnqueueStatement`` on PostgreSQL says how the start is chosen).
    /// Arguments: the tenant, twice.
    static let fairTag = """
        SELECT CASE WHEN tenant.last IS NULL THEN clock.v - 1e-9 ELSE max(clock.v, tenant.last) END AS vstart,
               coalesce((SELECT weight FROM tenants WHERE name = ?), 1) AS weight
          FROM (SELECT coalesce((SELECT vstart FROM jobs INDEXED BY jobs_fair_turn
                                  WHERE state = 'queued' ORDER BY vstart, id LIMIT 1),
                                (SELECT max(vstart) FROM jobs WHERE state = 'running'), 0) AS v) AS clock,
               (SELECT max(vfinish) AS last FROM jobs WHERE tenant = ? AND state IN ('queued', 'running')) AS tenant
        """

    /// The tenants at their cap on running jobs (`--max-running`).
    static let cappedTenants = """
        SELECT name FROM tenants INDEXED BY tenants_capped
         WHERE max_running IS NOT NULL
           AND max_running <= (SELECT count(*) FROM jobs WHERE tenant = tenants.name AND state = 'running')
        """

    /// Claims the job that takes the next turn, or returns `nil` when nothing is claimable.
    ///
    /// The turn belongs to the claimable job with the earliest virtual start among the tenants below their cap on
    /// running jobs (a capped tenant's turns passed over move to the end of its work: see
    /// ``forfeitTurns(before:db:)``); its tenant's claimable jobs then
    /// compete for it in priority order, re-ordered by the backend's preferences among the first
    /// `preferenceDepth`. When another of the tenant's jobs wins, the two swap places in the fair order, so the
    /// tenant's share is unchanged and the passed-over job keeps the next place its tenant has.
    static func claimNextTurn(_ params: ClaimParams, now: Double, db: Database) throws -> Job? {
        guard
            let turn = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT id, tenant, vstart, vfinish FROM jobs INDEXED BY jobs_fair_turn
                         WHERE state = 'queued' AND run_after <= ? AND (deadline_at IS NULL OR deadline_at > ?)
                           AND tenant NOT IN (\(Self.cappedTenants))
                         ORDER BY vstart, id
                         LIMIT 1
                        """),
                arguments: [now, now])
        else { return nil }
        try forfeitTurns(before: turn, db: db)
        let tenant: String = turn["tenant"]
        guard
            let job = try claimFirstUnlessPassedOver(params, tenant: tenant, now: now, db: db)
                ?? claimByPreference(params, tenant: tenant, now: now, db: db)
        else { return nil }
        let turnID: String = turn["id"]
        guard job.id.rawValue != turnID else { return job }
        try db.execute(
            sql: "UPDATE jobs SET (vstart, vfinish) = (SELECT vstart, vfinish FROM jobs WHERE id = ?) WHERE id = ?",
            arguments: [job.id.rawValue, turnID])
        try db.execute(
            sql: "UPDATE jobs SET vstart = ?, vfinish = ? WHERE id = ?",
            arguments: [turn["vstart"] as Double, turn["vfinish"] as Double, job.id.rawValue])
        return job
    }

    /// The backend's preferences, each true when it passes a job over: it just failed on this backend (arguments:
    /// the backend, the window's start), and it wants another model (arguments: the affinity twice, the window's
    /// start).
    private static let failedHere = "(backend IS ? AND attempt > 0 AND run_after > ?)"
    private static let otherModel = "(? IS NOT NULL AND affinity IS NOT ? AND created_at > ?)"

    /// What a claim sets on the job it takes. Arguments: the owner, the lease's end, now, the backend.
    private static let claimed = """
        state = 'running', attempt = attempt + 1, lease_owner = ?, lease_token = lease_token + 1,
        lease_expires_at = ?, started_at = ?, progress_step = 0, backend = ?
        """

    /// Claims the tenant's first claimable job in priority order when no preference would pass it over (it did
    /// not just fail on this backend, and it wants the backend's model or none): then it sorts first among all of
    /// them, and one index probe replaces reading and sorting the first `preferenceDepth`. `nil` otherwise.
    private static func claimFirstUnlessPassedOver(
        _ params: ClaimParams, tenant: String, now: Double, db: Database
    ) throws -> Job? {
        let windowStart = now - params.preferenceWindow.seconds
        guard
            let first = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT id, \(failedHere) OR \(otherModel) AS passed_over
                          FROM jobs INDEXED BY jobs_tenant_claimable
                         WHERE tenant = ? AND state = 'queued' AND run_after <= ?
                           AND (deadline_at IS NULL OR deadline_at > ?)
                         ORDER BY priority DESC, created_at, id
                         LIMIT 1
                        """),
                arguments: [
                    params.backend, windowStart, params.affinity?.key, params.affinity?.key, windowStart, tenant, now,
                    now,
                ]),
            !(first["passed_over"] as Bool)
        else { return nil }
        return try Job.fetchOne(
            db.cachedStatement(sql: "UPDATE jobs SET \(claimed) WHERE id = ? RETURNING *"),
            arguments: [
                params.owner, now + params.leaseDuration.seconds, now, params.backend, first["id"] as String,
            ])
    }

    /// Claims the tenant's job that sorts first by priority, then the backend's preferences, among its first
    /// `preferenceDepth` claimable jobs in priority order.
    private static func claimByPreference(
        _ params: ClaimParams, tenant: String, now: Double, db: Database
    ) throws -> Job? {
        let windowStart = now - params.preferenceWindow.seconds
        return try Job.fetchOne(
            db.cachedStatement(
                sql: """
                    UPDATE jobs SET \(claimed)
                     WHERE id IN (SELECT id FROM (SELECT id, priority, created_at, backend, attempt, run_after,
                                                         affinity
                                                    FROM jobs INDEXED BY jobs_tenant_claimable
                                                   WHERE tenant = ? AND state = 'queued' AND run_after <= ?
                                                     AND (deadline_at IS NULL OR deadline_at > ?)
                                                   ORDER BY priority DESC, created_at, id
                                                   LIMIT ?)
                                   ORDER BY priority DESC, \(failedHere), \(otherModel), created_at, id
                                   LIMIT 1)
                    RETURNING *
                    """),
            arguments: [
                params.owner, now + params.leaseDuration.seconds, now, params.backend,
                tenant, now, now, max(params.preferenceDepth, 1),
                params.backend, windowStart,
                params.affinity?.key, params.affinity?.key, windowStart,
            ])
    }

    /// Moves the queued turns of capped tenants that lie before `turn` to the end of their tenant's work, in order,
    /// each keeping its length: a tenant banks no credit while capped, and no later claim passes the same turns.
    private static func forfeitTurns(before turn: Row, db: Database) throws {
        // The row value `(vstart, id) < (?, ?)` is a range of the index; spelled `vstart < ? OR (vstart = ? AND
        // id < ?)` SQLite scanned every queued job (4.8 ms a claim at 30,000 queued, 0.04 ms now).
        let passed = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, tenant, vfinish - vstart AS length FROM jobs INDEXED BY jobs_fair_turn
                     WHERE state = 'queued' AND (vstart, id) < (?, ?)
                       AND tenant IN (\(cappedTenants))
                     ORDER BY vstart, id
                    """),
            arguments: [turn["vstart"] as Double, turn["id"] as String])
        var ends: [String: Double] = [:]
        for row in passed {
            let tenant: String = row["tenant"]
            let start: Double
            if let end = ends[tenant] {
                start = end
            } else {
                start =
                    try Double.fetchOne(
                        db.cachedStatement(
                            sql: "SELECT max(vfinish) FROM jobs WHERE tenant = ? AND state IN ('queued', 'running')"),
                        arguments: [tenant]) ?? 0
            }
            let length: Double = row["length"]
            ends[tenant] = start + length
            try db.execute(
                sql: "UPDATE jobs SET vstart = ?, vfinish = ? WHERE id = ?",
                arguments: [start, start + length, row["id"] as String])
        }
    }
}
