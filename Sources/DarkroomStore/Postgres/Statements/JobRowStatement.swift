import DarkroomCore
import PostgresNIO

/// A hot-path statement that returns job rows, prepared once on each connection: PostgreSQL then parses and plans
/// it once instead of on every call (planning was over half of the database's time per job; see
/// docs/benchmarks.md). PostgresNIO prepares it on a connection's first use.
///
/// Each statement names its columns (``Job/postgresColumns(of:)``) rather than `*`, so a migration that adds a
/// column does not change the result of a statement another process has already prepared, and declares its
/// parameters' types, so a first call binding `NULL` cannot leave a parameter typed differently from later calls.
///
/// A prepared statement's plan must be good for every value of its parameters: after a few calls PostgreSQL may
/// plan it once for all values (a generic plan). ``ClaimStatement`` says how the claim was written for that.
protocol JobRowStatement: PostgresPreparedStatement where Row == Job {}

extension JobRowStatement {
    func decodeRow(_ row: PostgresRow) throws -> Job {
        try Job(postgresRow: row)
    }
}

extension Job {
    /// The columns of `jobs` that ``init(postgresRow:)`` reads, each qualified by `table` when given.
    static func postgresColumns(of table: String? = nil) -> String {
        let columns = [
            "id", "tenant", "priority", "state", "request", "attempt", "max_attempts", "run_after", "lease_owner",
            "lease_token", "lease_expires_at", "lease_lost_count", "progress_step", "progress_steps", "backend",
            "created_at", "started_at", "finished_at", "images", "error_code", "error_message", "metadata",
            "webhook_url", "webhook_events", "deadline_at",
        ]
        return columns.map { column in table.map { "\($0).\(column)" } ?? column }.joined(separator: ", ")
    }
}
