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
