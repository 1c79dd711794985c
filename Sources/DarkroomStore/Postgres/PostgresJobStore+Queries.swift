import DarkroomCore
import Foundation
import PostgresNIO

/// Reads: single jobs, pages, queue positions, statistics; and retention.
extension PostgresJobStore {
    public func job(id: JobID) async throws -> Job? {
        try await perform { [self] in try await fetchJobs(JobByIDStatement(id: id)).first }
    }

    public func list(_ params: ListParams) async throws -> JobPage {
        let limit = max(1, params.limit)
        let jobs = try await perform { [self] in
            try await fetchJobs(
                """
                SELECT * FROM jobs
                 WHERE (\(params.state?.rawValue)::text IS NULL OR state = \(params.state?.rawValue))
                   AND (\(params.tenant)::text IS NULL OR tenant = \(params.tenant))
                   AND (\(params.cursor?.rawValue)::text IS NULL OR id < \(params.cursor?.rawValue))
                 ORDER BY id DESC
                 LIMIT \(limit + 1)
                """)
        }
        guard jobs.count > limit else { return JobPage(jobs: jobs, nextCursor: nil) }
        let page = Array(jobs.prefix(limit))
        return JobPage(jobs: page, nextCursor: page.last?.id)
    }

    public func position(of id: JobID, countingAtMost limit: Int) async throws -> Int? {
        try await perform { [self] in
            let statement = QueuePositionStatement(id: id, limit: limit)
            for try await count in try await client.execute(statement, logger: logger) { return count }
            return nil
        }
    }

    public func stats(_ params: StatsParams) async throws -> StoreStats {
        try await perform { [self] in
            var counts: [JobState: Int] = [:]
            let byState = try await client.query("SELECT state, count(*) FROM jobs GROUP BY state", logger: logger)
            for try await (state, count) in byState.decode((String, Int).self) {
                if let state = JobState(rawValue: state) { counts[state] = count }
            }
            var queuedByPriority: [Int: Int] = [:]
            let byPriority = try await client.query(
                "SELECT priority, count(*) FROM jobs WHERE state = 'queued' GROUP BY priority", logger: logger)
            for try await (priority, count) in byPriority.decode((Int, Int).self) { queuedByPriority[priority] = count }
            let recent = try await client.query(
                """
                SELECT count(*) FILTER (WHERE state = 'succeeded'),
                       count(*) FILTER (WHERE state = 'failed'),
                       count(*) FILTER (WHERE state = 'canceled'),
                       coalesce(avg(coalesce(service_seconds, extract(epoch FROM finished_at - started_at)))
                                FILTER (WHERE state = 'succeeded'), 0)::float8,
                       coalesce(avg(extract(epoch FROM finished_at - created_at)) FILTER (WHERE state = 'succeeded'), 0)::float8
                  FROM jobs WHERE finished_at >= \(params.recentSince)
                """, logger: logger)
            var stats = StoreStats(
                counts: counts, recentSucceeded: 0, recentFailed: 0, recentCanceled: 0, recentMeanServiceSeconds: 0,
                recentMeanLatencySeconds: 0, queuedByPriority: queuedByPriority)
            for try await (succeeded, failed, canceled, service, latency) in recent.decode(
                (Int, Int, Int, Double, Double).self)
            {
                stats.recentSucceeded = succeeded
                stats.recentFailed = failed
                stats.recentCanceled = canceled
                stats.recentMeanServiceSeconds = service
                stats.recentMeanLatencySeconds = latency
            }
            return stats
        }
    }

    public func deleteFinished(_ params: DeleteFinishedParams) async throws -> [Job] {
        // Deleted jobs are not published: nothing waits on a job that finished long ago.
        try await perform { [self] in
            try await fetchJobs(
                """
                DELETE FROM jobs
                 WHERE id IN (SELECT id FROM jobs WHERE finished_at < \(params.finishedBefore)
                                 AND (\(params.onlyJob?.rawValue)::text IS NULL OR id = \(params.onlyJob?.rawValue))
                               ORDER BY finished_at LIMIT \(params.limit))
                RETURNING *
                """)
        }
    }
}
