import DarkroomCore
import PostgresNIO

/// `job(id:)` and the stream's first read.
struct JobByIDStatement: JobRowStatement {
    static let sql = "SELECT \(Job.postgresColumns()) FROM jobs WHERE id = $1"
    static let bindingDataTypes: [PostgresDataType] = [.text]

    var id: JobID

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(id.rawValue)
        return bindings
    }
}

/// The listener's read of the jobs other processes announced.
struct JobsByIDsStatement: JobRowStatement {
    static let sql = "SELECT \(Job.postgresColumns()) FROM jobs WHERE id = ANY($1)"
    static let bindingDataTypes: [PostgresDataType] = [.textArray]

    var ids: [String]

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(ids)
        return bindings
    }
}

/// A queued job's place: two range scans of `jobs_claimable`, each stopped at `limit` (see
/// ``PostgresJobStore/position(of:countingAtMost:)``).
struct QueuePositionStatement: PostgresPreparedStatement {
    typealias Row = Int

    static let sql = """
        SELECT least($2,
                     (SELECT count(*) FROM (SELECT 1 FROM jobs AS ahead
                                             WHERE ahead.state = 'queued' AND ahead.priority > job.priority
                                             LIMIT $2) AS higher)
                   + (SELECT count(*) FROM (SELECT 1 FROM jobs AS ahead
                                             WHERE ahead.state = 'queued' AND ahead.priority = job.priority
                                               AND (ahead.created_at, ahead.id) < (job.created_at, job.id)
                                             LIMIT $2) AS earlier))
          FROM jobs AS job
         WHERE job.id = $1 AND job.state = 'queued'
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .int8]

    var id: JobID
    var limit: Int

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(id.rawValue)
        bindings.append(limit)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Int {
        try row.decode(Int.self)
    }
}
