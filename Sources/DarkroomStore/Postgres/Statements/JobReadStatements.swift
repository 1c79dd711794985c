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

/// A queued job's place: two range scans of `jobs_claimable`, each stopped at `limit` (the jobs of higher
/// priority, then those of the same priority queued earlier), so it reads at most `limit` index entries whatever
/// the queue's depth; no row when the job is not queued. Each scan asks for the index's order, so that a plan made
/// without the limit's value still reads the index rather than the table (which a long history of finished
/// jobs would make slow).
struct QueuePositionStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT least($1, (SELECT count(*) FROM (SELECT 1 FROM jobs AS ahead
                                                 WHERE ahead.state = 'queued' AND ahead.priority > job.priority
                                                 ORDER BY ahead.priority DESC, ahead.created_at, ahead.id
                                                 LIMIT $1) AS higher)
                       + (SELECT count(*) FROM (SELECT 1 FROM jobs AS ahead
                                                 WHERE ahead.state = 'queued' AND ahead.priority = job.priority
                                                   AND (ahead.created_at, ahead.id) < (job.created_at, job.id)
                                                 ORDER BY ahead.priority DESC, ahead.created_at, ahead.id
                                                 LIMIT $1) AS earlier))
          FROM jobs AS job
         WHERE job.id = $2 AND job.state = 'queued'
        """
    static let bindingDataTypes: [PostgresDataType] = [.int8, .text]

    var id: JobID
    var limit: Int

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(limit)
        bindings.append(id.rawValue)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Int {
        try row.decode(Int.self)
    }
}
