import DarkroomCore
import Foundation
import GRDB

/// Reads: single jobs, pages, queue positions, statistics; and retention.
extension SQLiteJobStore {
    public func job(id: JobID) async throws -> Job? {
        try await read { db in
            try Job.fetchOne(db.cachedStatement(sql: "SELECT * FROM jobs WHERE id = ?"), arguments: [id.rawValue])
        }
    }

    public func list(_ params: ListParams) async throws -> JobPage {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let state = params.state {
            conditions.append("state = ?")
            arguments += [state.rawValue]
        }
        if let tenant = params.tenant {
            conditions.append("tenant = ?")
            arguments += [tenant]
        }
        if let cursor = params.cursor {
            conditions.append("id < ?")
            arguments += [cursor.rawValue]
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let limit = max(1, params.limit)
        arguments += [limit + 1]
        let statementArguments = arguments
        let sql = "SELECT * FROM jobs \(whereClause) ORDER BY id DESC LIMIT ?"
        let jobs = try await read { db in
            try Job.fetchAll(db.makeStatement(sql: sql), arguments: statementArguments)
        }
        guard jobs.count > limit else { return JobPage(jobs: jobs, nextCursor: nil) }
        let page = Array(jobs.prefix(limit))
        return JobPage(jobs: page, nextCursor: page.last?.id)
    }

    /// Two range scans of `jobs_claimable`, each stopped at `limit`: the jobs of higher priority, then those of
    /// the same priority queued earlier. Each reads at most `limit` index entries, whatever the queue's depth.
    public func position(of id: JobID, countingAtMost limit: Int) async throws -> Int? {
        try await read { db in
            guard
                let job = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT priority, created_at FROM jobs WHERE id = ? AND state = 'queued'"),
                    arguments: [id.rawValue])
            else { return nil }
            let priority: Int = job["priority"]
            let createdAt: Double = job["created_at"]
            let higher =
                try Int.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT count(*) FROM (SELECT 1 FROM jobs INDEXED BY jobs_claimable
                                                   WHERE state = 'queued' AND priority > ? LIMIT ?)
                            """),
                    arguments: [priority, limit]) ?? 0
            guard higher < limit else { return limit }
            let earlier =
                try Int.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT count(*) FROM (SELECT 1 FROM jobs INDEXED BY jobs_claimable
                                                   WHERE state = 'queued' AND priority = ? AND (created_at, id) < (?, ?)
                                                   LIMIT ?)
                            """),
                    arguments: [priority, createdAt, id.rawValue, limit - higher]) ?? 0
            return higher + earlier
        }
    }

    public func stats(_ params: StatsParams) async throws -> StoreStats {
        let since = params.recentSince.timeIntervalSince1970
        return try await read { db in
            var counts: [JobState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM jobs GROUP BY state") {
                if let state = JobState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            var queuedByPriority: [Int: Int] = [:]
            let byPriority = try Row.fetchAll(
                db.cachedStatement(
                    sql:
                        "SELECT priority, count(*) AS n FROM jobs INDEXED BY jobs_claimable WHERE state = 'queued' GROUP BY priority"
                ))
            for row in byPriority { queuedByPriority[row["priority"]] = row["n"] }
            let recent = try Row.fetchOne(
                db,
                sql: """
                    SELECT coalesce(sum(state = 'succeeded'), 0) AS succeeded,
                           coalesce(sum(state = 'failed'), 0) AS failed,
                           coalesce(sum(state = 'canceled'), 0) AS canceled,
                           coalesce(avg(CASE WHEN state = 'succeeded'
                                        THEN coalesce(service_seconds, finished_at - started_at) END), 0) AS service,
                           coalesce(avg(CASE WHEN state = 'succeeded' THEN finished_at - created_at END), 0) AS latency
                      FROM jobs WHERE finished_at >= ?
                    """,
                arguments: [since]
            )
            return StoreStats(
                counts: counts,
                recentSucceeded: recent?["succeeded"] ?? 0,
                recentFailed: recent?["failed"] ?? 0,
                recentCanceled: recent?["canceled"] ?? 0,
                recentMeanServiceSeconds: recent?["service"] ?? 0,
                recentMeanLatencySeconds: recent?["latency"] ?? 0,
                queuedByPriority: queuedByPriority
            )
        }
    }

    public func deleteFinished(_ params: DeleteFinishedParams) async throws -> [Job] {
        let cutoff = params.finishedBefore.timeIntervalSince1970
        let limit = params.limit
        let only = params.onlyJob?.rawValue
        // Deleted jobs are not published: nothing waits on a job that finished long ago.
        return try await update { db in
            try Job.fetchAll(
                db.makeStatement(
                    sql: """
                        DELETE FROM jobs
                         WHERE id IN (SELECT id FROM jobs WHERE finished_at < ? AND (? IS NULL OR id = ?)
                                       ORDER BY finished_at LIMIT ?)
                        RETURNING *
                        """),
                arguments: [cutoff, only, only, limit])
        }
    }
}
